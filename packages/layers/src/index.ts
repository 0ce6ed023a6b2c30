export type { Built } from './build.js';
export { build } from './build.js';
export { concat, residual, sequential, snakeCase } from './combinators.js';
export { decodeFloat16, encodeFloat16, FLOAT16_MAX } from './float16.js';
export type { Initializer } from './initializers.js';
export {
  constant,
  fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  ones,
  orthogonal,
  randomNormal,
  randomUniform,
  zeros,
} from './initializers.js';
export type { SafetensorsFile, SaveOptions } from './io.js';
export { loadTrees, loadTreesFromFile, readSafetensors, saveTrees } from './io.js';
export type { LeafSpec } from './layer.js';
export { elementwise, leaf } from './layer.js';
export type { Conv2DOptions, Conv2DTransposeOptions, ConvPadding } from './layers/conv.js';
export { conv2d, conv2dTranspose, convOutputLength, convTransposeOutputLength } from './layers/conv.js';
export type { ActivationName, DenseOptions, EmbeddingOptions } from './layers/core.js';
export {
  activate,
  dense,
  downsample,
  dropout,
  elu,
  embedding,
  flatten,
  leakyRelu,
  relu,
  reshape,
  sigmoid,
  tanh,
  upsample,
} from './layers/core.js';
export type { EqualizedOptions } from './layers/equalized.js';
export { equalizedScale } from './layers/equalized.js';
export {
  concatLabels,
  constantInput,
  minibatchDiscrimination,
  minibatchStdDev,
  noiseInjection,
} from './layers/gan.js';
export type { ModulatedConv2DOptions } from './layers/modulated-conv.js';
export { modulatedConv2d } from './layers/modulated-conv.js';
export type { BatchNormOptions, ConditionalBatchNormOptions, LayerNormOptions } from './layers/norm.js';
export { batchNorm, conditionalBatchNorm, instanceNorm, layerNorm, pixelNorm } from './layers/norm.js';
export { depthToSpace, pixelShuffle } from './layers/pixel-shuffle.js';
export type { PReLUOptions } from './layers/prelu.js';
export { prelu } from './layers/prelu.js';
export { reflectionPad, reflectionPad2d } from './layers/reflection-pad.js';
export { estimatedSpectralNorm, spectralNorm } from './layers/spectral-norm.js';
export type { AdaINOptions } from './layers/style.js';
export { adain, requireStyle, styleAffine, styleAt } from './layers/style.js';
export {
  foldIn,
  gaussian,
  keyFor,
  normalStream,
  permutation,
  rngFromSeed,
  splitRng,
  uniformStream,
} from './rng.js';
export { summary } from './summary.js';
export {
  countParams,
  discardState,
  disposeTree,
  flattenTree,
  mapTree,
  replaceState,
  uniquePath,
  variablesOf,
} from './tree.js';
export type {
  ApplyCtx,
  ApplyResult,
  InitResult,
  Layer,
  LayerOptions,
  ParamTree,
  Rng,
  Shape,
  StateTree,
  SummaryRow,
} from './types.js';
