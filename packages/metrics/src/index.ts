export { classifierScore } from './classifier-score.js';
export type {
  ExtractedFeatures,
  ImageEvaluationOptions,
  ImageMetric,
  ImageSource,
  MetricRecord,
} from './evaluate.js';
export {
  datasetImages,
  evaluateImages,
  evaluateMixture,
  evaluateStackedMnist,
  extractFeatures,
  tensorImages,
} from './evaluate.js';
export type { FeatureExtractor } from './extractors.js';
export {
  classifierExtractor,
  classifierLayers,
  createClassifier,
  loadShippedExtractor,
  SHIPPED_EXTRACTORS,
  shippedWeightsUrl,
} from './extractors.js';
export type { PsnrOptions, SsimOptions } from './fidelity.js';
export { FidelityMeans, psnr, ssim } from './fidelity.js';
export { frechetDistance, StreamingMoments } from './frechet.js';
export { checkImageMetrics, IMAGE_METRIC_NAMES } from './image-metrics.js';
export type { KidResult } from './kernel.js';
export { kernelDistance } from './kernel.js';
export type { ModeCoverage } from './modes.js';
export { histogram1d, histogram2d, histogramDivergences, modeCoverage } from './modes.js';
export type { PairedEvaluationOptions, PairSource, Translator } from './paired.js';
export { evaluatePairs } from './paired.js';
export type { PathLengthGenerator, PathLengthOptions } from './path-length.js';
export { perceptualPathLength } from './path-length.js';
export type { PrdcResult } from './prdc.js';
export { precisionRecallDensityCoverage } from './prdc.js';
export type { StackedModes } from './stacked.js';
export { stackedMnistModes } from './stacked.js';
export type { LabelledSource, UnpairedEvaluationOptions } from './unpaired.js';
export { evaluateUnpaired } from './unpaired.js';
