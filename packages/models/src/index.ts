export type { CycleManifest } from './cycle-file.js';
export { CYCLE_FORMAT, exportCycle, loadCycle } from './cycle-file.js';
export type { CycleDef, CycleganOptions, ResnetGeneratorOptions } from './cyclegan.js';
export { cyclegan, discogan, resnetGenerator } from './cyclegan.js';
export type { DcganOptions } from './dcgan.js';
export { acgan, cgan, dcgan, dcganDiscriminatorBody, dcganGeneratorBody, wgan } from './dcgan.js';
export type { InfoganOptions } from './infogan.js';
export { infogan, splitInfoganQ } from './infogan.js';
export { interpolateLatent, latentBatch, noiseDimOf, slerp, walkLatents } from './latent.js';
export type { MlpGanOptions } from './mlp.js';
export { ganLabMlp, mlpGan, pacganMlp } from './mlp.js';
export type { GanDef, GanStage, Network, NetworkDef, NetworkOutputs, TranslationDef } from './network.js';
export { instantiate } from './network.js';
export type { PatchganOptions } from './patchgan.js';
export { PATCH_SIZES, patchgan } from './patchgan.js';
export type { Pix2pixOptions } from './pix2pix.js';
export { inpainting, pix2pix } from './pix2pix.js';
export type { ProganOptions } from './progan.js';
export { fadeIn, progan, proganResolutions } from './progan.js';
export { seedKerasMnist } from './seed-keras.js';
export type { SnganOptions } from './sngan.js';
export { sngan } from './sngan.js';
export type {
  CycleSpec,
  GeneratorManifest,
  ModelFamily,
  ModelSpec,
  TranslationFamily,
  TranslationSpec,
} from './spec.js';
export {
  CYCLE_FAMILIES,
  cycleFromSpec,
  exportGenerator,
  GENERATOR_FORMAT,
  ganFromSpec,
  isCycleSpec,
  isTranslationSpec,
  loadGenerator,
  MODEL_FAMILIES,
  TRANSLATION_FAMILIES,
  translationFromSpec,
} from './spec.js';
export type { SrganOptions } from './srgan.js';
export { srgan } from './srgan.js';
export type { MixingCell } from './style-mixing.js';
export { mixedStyles, mixingImages, mixingLayout } from './style-mixing.js';
export { pathLengthGenerator } from './style-path.js';
export type { StyleNetworkDef, StyleSampleOptions, StyleSpace } from './style-space.js';
export {
  averageStyle,
  mixingCrossover,
  mixStyles,
  styleSpaceOf,
  stylesOf,
  synthesize,
  truncateStyles,
  updateAverage,
} from './style-space.js';
export type { StyleganOptions } from './stylegan.js';
export { stylegan } from './stylegan.js';
export type { TranslatorManifest } from './translator.js';
export { exportTranslator, loadTranslator, TRANSLATOR_FORMAT, translateImages } from './translator.js';
export type { UnetOptions } from './unet.js';
export { unet } from './unet.js';
