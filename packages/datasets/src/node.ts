/**
 * @gankit/datasets for Node: everything in the browser entry, plus files, npm-shipped data, downloads with a
 * verified cache, image folders, and `openDataset(spec)`.
 */

export type {
  DatasetOpener,
  OpenDatasetOptions,
  OpenedDataset,
  OpenedImages,
  OpenedPoints,
} from './dataset-spec.js';
export { UnknownDatasetError } from './dataset-spec.js';
export { loadImageFolder } from './image-folder.js';
export * from './index.js';
export type { DatasetSource, LoadOptions, Split } from './load-dataset.js';
export { loadDataset, loadFashionMnist, loadMnist } from './load-dataset.js';
export {
  cachedDownload,
  defaultCacheDir,
  readIdxFile,
  writeFileAtomic,
  writeIdxFile,
} from './node-files.js';
export type { Rgba } from './node-images.js';
export { decodeImageFile, fitImage } from './node-images.js';
export type { OpenedFor } from './open-dataset.js';
export { checkDatasetSpec, DATASET_OPENERS, DATASET_SPECS, openDataset } from './open-dataset.js';
export type { PairedFolderOptions, PairedImages } from './paired-folder.js';
export { loadPairedFolder } from './paired-folder.js';
