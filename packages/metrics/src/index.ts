export { frechetDistance, StreamingMoments } from './frechet.js';
export type { KidResult } from './kernel.js';
export { kernelDistance } from './kernel.js';
export type { ModeCoverage } from './modes.js';
export { histogram2d, histogramDivergences, modeCoverage } from './modes.js';
export type { PrdcResult } from './prdc.js';
export { precisionRecallDensityCoverage } from './prdc.js';
