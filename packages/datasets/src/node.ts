/**
 * @gankit/datasets for Node: everything in the browser entry, plus files, npm-shipped data, downloads with a
 * verified cache, and image folders.
 */

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
