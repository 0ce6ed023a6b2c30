/**
 * @gankit/datasets, the part that runs anywhere (browsers, Node, workers). The Node entry adds file, npm-package
 * and download sources.
 */
export { datasetFromImageFiles, fetchBytes } from './browser-images.js';
export type { DomainStyle } from './domains.js';
export { DOMAIN_STYLES, halfOf, restyle } from './domains.js';
export type { GridLayout, Rgb } from './grid.js';
export { cellOrigin, gridLayout, gridPixels, toByte } from './grid.js';
export type { IdxArray, IdxDtype } from './idx.js';
export { gunzip, gzip, IdxFormatError, isGzip, parseIdx, readIdx, sha256, writeIdx } from './idx.js';
export type { ImageDataset, KnownDataset, KnownFile } from './image-dataset.js';
export {
  datasetFromIdx,
  FASHION_MNIST,
  KNOWN_DATASETS,
  knownDataset,
  labelCounts,
  MNIST,
} from './image-dataset.js';
export type { PairedBatch, PairedTask } from './paired.js';
export { PAIRED_TASKS, PairedBatcher, pairedSourceShape, pairedTaskProblems } from './paired.js';
export type { EdgeOptions, MaskKind } from './paired-transforms.js';
export { areaDownscale, holeMask, luma, sobelEdges } from './paired-transforms.js';
export type { Batch, BatcherState, BatchOptions } from './pipeline.js';
export { ImageBatcher, toyBatch } from './pipeline.js';
export { normal, permutation, uniform } from './random.js';
export { stackedMnist } from './stacked.js';
export type { ToyDistribution } from './toys.js';
export {
  gaussian1d,
  gaussianMixture,
  grid25,
  ring8,
  spirals,
  swissRoll,
  TOY_DISTRIBUTIONS,
  userPoints,
} from './toys.js';
export type { SourceTask } from './translation-source.js';
export { bicubicUpscale, translationSource } from './translation-source.js';
export type { UnpairedBatch } from './unpaired.js';
export { UnpairedBatcher, unpairedProblems } from './unpaired.js';
