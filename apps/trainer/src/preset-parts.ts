/** Pieces the preset tables share: an Adam config and an image run's settings. */
import type { OptimizerConfig } from '@gankit/train';
import type { RunSettings } from './config.js';

export const adam = (learningRate: number, beta1 = 0.5, beta2 = 0.999): OptimizerConfig => ({
  kind: 'adam',
  learningRate,
  beta1,
  beta2,
});

export const imageRun = (over: Partial<RunSettings>): RunSettings => ({
  backend: 'auto',
  logEvery: 10,
  sampleEvery: 250,
  checkpointEvery: 500,
  evalEvery: 0,
  evalSamples: 2000,
  keep: 3,
  ...over,
});
