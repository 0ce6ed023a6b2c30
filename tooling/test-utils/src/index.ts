export { preferSwiftShader, webgpuRequired, webgpuUnderTest } from './backends.js';
export { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
export { maxRelativeError } from './compare.js';
export type { GradCheckEntry, GradCheckOptions, GradCheckResult } from './gradcheck.js';
export { analyticGradients, checkGradients, mulberry32, seededUniform } from './gradcheck.js';
export { tensorsLeakedPerRun, tidyResult } from './leaks.js';
export { readmeExample, runReadmeExample } from './readme.js';
export type { StepLosses, TinyGan, TinyGanConfig } from './tiny-gan.js';
export { createTinyGan } from './tiny-gan.js';
