import { ganFromSpec } from '@gankit/models';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IMAGE_CONFIG,
  type ImageConfig,
  imageConfigProblems,
  sampleGrid,
  speedNote,
  toImageModelSpec,
  toImageTrainConfig,
} from './config.js';

describe('image playground settings', () => {
  it("default: the quick preset's class-conditional 28×28 DCGAN, narrower, with Adam β₁ 0.5", () => {
    expect(toImageModelSpec(DEFAULT_IMAGE_CONFIG)).toEqual({
      family: 'cgan',
      options: { imageSize: 28, channels: 1, width: 16, latentDim: 64, classes: 10 },
    });
    expect(toImageTrainConfig(DEFAULT_IMAGE_CONFIG)).toEqual({
      seed: 1,
      batchSize: 32,
      loss: 'non-saturating',
      schedule: { dSteps: 1, gSteps: 1 },
      optimizers: {
        generator: { kind: 'adam', learningRate: 1e-3, beta1: 0.5, beta2: 0.999 },
        discriminator: { kind: 'adam', learningRate: 1e-3, beta1: 0.5, beta2: 0.999 },
      },
    });
    const gan = ganFromSpec(toImageModelSpec(DEFAULT_IMAGE_CONFIG));
    expect(gan).toMatchObject({
      architecture: 'cgan-28',
      latentDim: 64,
      classes: 10,
      dataShape: [28, 28, 1],
    });
  });

  it('DCGAN is unconditional', () => {
    const c: ImageConfig = { ...DEFAULT_IMAGE_CONFIG, model: 'dcgan', width: 8 };
    expect(toImageModelSpec(c)).toEqual({
      family: 'dcgan',
      options: { imageSize: 28, channels: 1, width: 8, latentDim: 64 },
    });
    expect(ganFromSpec(toImageModelSpec(c)).classes).toBeUndefined();
  });

  it('names every problem with the settings', () => {
    expect(imageConfigProblems(DEFAULT_IMAGE_CONFIG)).toEqual([]);
    const bad = {
      ...DEFAULT_IMAGE_CONFIG,
      dataset: 'cifar',
      width: 0,
      batchSize: 1.5,
      lr: 0,
    } as unknown as ImageConfig;
    expect(imageConfigProblems(bad)).toEqual([
      "unknown dataset 'cifar'",
      'width must be an integer from 1 to 128',
      'batch size must be an integer from 1 to 512',
      'learning rate must be in (0, 1], got 0',
    ]);
    expect(() => toImageTrainConfig(bad)).toThrow(/unknown dataset 'cifar'; width/);
    // the TrainConfig's own checks are @gankit/train's
    expect(imageConfigProblems({ ...DEFAULT_IMAGE_CONFIG, seed: 1.5 })).toEqual([
      'seed must be an integer ≥ 0, got 1.5',
    ]);
  });
});

describe('the live sample grid', () => {
  it('conditional: a row per class, the same noise down each column', () => {
    const g = sampleGrid(10, 8);
    expect(g).toMatchObject({ count: 80, rows: 10, cols: 8 });
    expect(Array.from(g.labels!.subarray(0, 9))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(g.labels![79]).toBe(9);
    expect(Array.from(g.noiseIndex.subarray(6, 10))).toEqual([6, 7, 0, 1]);
    expect(new Set(g.noiseIndex).size).toBe(8);
  });

  it('unconditional: cols × cols samples, each its own noise', () => {
    const g = sampleGrid(undefined, 8);
    expect(g).toMatchObject({ count: 64, rows: 8, cols: 8 });
    expect(g.labels).toBeUndefined();
    expect(new Set(g.noiseIndex).size).toBe(64);
    expect(() => sampleGrid(0)).toThrow(/classes must be ≥ 1/);
    expect(() => sampleGrid(10, 0)).toThrow(/cols must be ≥ 1/);
  });
});

describe('the speed note', () => {
  it('points slow backends (a software WebGPU adapter, plain JavaScript) to WebAssembly', () => {
    expect(speedNote('wasm', false).slow).toBe(false);
    expect(speedNote('webgpu', true)).toMatchObject({
      slow: true,
      text: expect.stringMatching(/slow on webgpu.*WebAssembly/),
    });
    expect(speedNote('cpu', true).slow).toBe(true);
    expect(speedNote('webgpu', false)).toEqual({ text: 'Training on webgpu.', slow: false });
  });
});
