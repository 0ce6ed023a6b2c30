import { useBackend } from '@gankit/backends';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureExtractor } from './extractors.js';
import { evaluatePairs, type PairSource } from './paired.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** A 4-feature "classifier" of 8×8 images: the mean of each quadrant; its class is the brightest quadrant. */
const quadrants: FeatureExtractor = {
  name: 'quadrants',
  version: '1',
  inputShape: [8, 8, 1],
  featureDim: 4,
  features: (x) => tf.tidy(() => tf.reshape(tf.avgPool(x, 4, 4, 'valid'), [x.shape[0], 4])) as tf.Tensor2D,
  logits: (x) =>
    tf.tidy(() => tf.mul(tf.reshape(tf.avgPool(x, 4, 4, 'valid'), [x.shape[0], 4]), 10)) as tf.Tensor2D,
  dispose() {},
};

/** Pairs whose target is the source (8×8 in [0, 1]), labelled with the target's brightest quadrant. */
const pixels = seededUniform(40 * 64, 1, 0, 1);
const pairs: PairSource = async (start, size) => {
  const target = tf.tensor4d(pixels.subarray(start * 64, (start + size) * 64), [size, 8, 8, 1]);
  const labels = tf.tidy(() => tf.cast(tf.argMax(quadrants.logits!(target), 1), 'int32')) as tf.Tensor1D;
  return { source: tf.clone(target), target, labels };
};

describe('evaluatePairs', () => {
  it('a perfect translator against a flat baseline: every metric, the baseline beside it, on every pair', async () => {
    const records = await evaluatePairs({
      translate: (s) => tf.clone(s),
      pairs,
      count: 40,
      batchSize: 16,
      extractor: quadrants,
      baseline: { name: 'grey', translate: (s) => tf.fill(s.shape, 0.5) as tf.Tensor4D },
      seed: 3,
    });
    const by = Object.fromEntries(records.map((r) => [r.metric, r]));
    expect(Object.keys(by)).toEqual(['psnr', 'ssim', 'class-preservation', 'fid']);
    expect(by.psnr!.value).toBe(Infinity);
    expect(by.ssim!.value).toBeCloseTo(1, 6);
    expect(by['class-preservation']!.value).toBe(1);
    expect(by.fid!.value).toBeCloseTo(0, 3);
    // grey everywhere: MSE = E(x − 0.5)² = 1/12 for U(0, 1) pixels, so PSNR ≈ 10.8 dB
    expect(by.psnr!.details!.baseline).toBeGreaterThan(10);
    expect(by.psnr!.details!.baseline).toBeLessThan(11.6);
    expect(by.ssim!.details!.baseline).toBeLessThan(0.05);
    expect(by['class-preservation']!.details!.baseline).toBeLessThan(0.5); // ties go to quadrant 0
    expect(by.fid!.details!.baseline).toBeGreaterThan(0.01);
    for (const r of records) {
      expect(r.samples).toEqual({ generated: 40, real: 40 });
      expect(r.extractor).toEqual({ name: 'quadrants', version: '1' });
      expect(r.settings?.baseline).toBe('grey');
    }
  });

  it('without an extractor: PSNR and SSIM only; too few pairs are refused', async () => {
    const records = await evaluatePairs({ translate: (s) => tf.clone(s), pairs, count: 8 });
    expect(records.map((r) => r.metric)).toEqual(['psnr', 'ssim']);
    await expect(evaluatePairs({ translate: (s) => s, pairs, count: 1 })).rejects.toThrow(
      /count must be a whole number of pairs ≥ 2/,
    );
  });
});
