import { useBackend } from '@gankit/backends';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureExtractor } from './extractors.js';
import { evaluateUnpaired, type LabelledSource } from './unpaired.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** The brightest quadrant of an 8×8 image is its class; features are the four quadrant means. */
const quadrants: FeatureExtractor = {
  name: 'quadrants',
  version: '1',
  inputShape: [8, 8, 1],
  featureDim: 4,
  features: (x) => tf.tidy(() => tf.reshape(tf.avgPool(x, 4, 4, 'valid'), [x.shape[0], 4])) as tf.Tensor2D,
  logits: (x) => tf.tidy(() => tf.reshape(tf.avgPool(x, 4, 4, 'valid'), [x.shape[0], 4])) as tf.Tensor2D,
  dispose() {},
};

/** Domain A: seeded 8×8 images, labelled by their brightest quadrant. Domain B: the same images mirrored left–right. */
const pixels = seededUniform(40 * 64, 1, 0, 1);
const sources: LabelledSource = async (start, size) => {
  const images = tf.tensor4d(pixels.subarray(start * 64, (start + size) * 64), [size, 8, 8, 1]);
  const labels = tf.tidy(() => tf.cast(tf.argMax(quadrants.logits!(images), 1), 'int32')) as tf.Tensor1D;
  return { images, labels };
};
const mirror = (x: tf.Tensor4D) => tf.reverse(x, 2) as tf.Tensor4D;
const reals = async (start: number, size: number) =>
  mirror(tf.tensor4d(pixels.subarray(start * 64, (start + size) * 64), [size, 8, 8, 1]));
/** B's classifier: A's on the image mirrored back. */
const readB: FeatureExtractor = {
  ...quadrants,
  features: (x) => tf.tidy(() => quadrants.features(mirror(x))),
  logits: (x) => tf.tidy(() => quadrants.logits!(mirror(x))),
};

describe('evaluateUnpaired', () => {
  it('a true translator (the mirror) keeps every class, matches real B and cycles back exactly; the identity does not', async () => {
    const records = await evaluateUnpaired({
      forward: mirror,
      backward: mirror,
      sources,
      reals,
      count: 40,
      batchSize: 16,
      extractor: readB,
      direction: 'a2b',
      seed: 2,
    });
    const by = Object.fromEntries(records.map((r) => [r.metric, r]));
    expect(Object.keys(by)).toEqual(['class-preservation', 'fid', 'cycle-l1', 'cycle-psnr', 'cycle-ssim']);
    expect(by['class-preservation']!.value).toBe(1);
    expect(by.fid!.value).toBeCloseTo(0, 3);
    expect(by['cycle-l1']!.value).toBe(0);
    expect(by['cycle-psnr']!.value).toBe(Infinity);
    expect(by['cycle-ssim']!.value).toBeCloseTo(1, 6);
    // the identity baseline: the classes of mirrored images are mostly wrong, and A's statistics are not B's
    expect(by['class-preservation']!.details!.baseline).toBeLessThan(0.6);
    expect(by.fid!.details!.baseline).toBeGreaterThan(0.001);
    for (const r of records) expect(r.settings?.direction).toBe('a2b');
  });

  it('a translator that loses the image: the cycle numbers say so; no tensors left', async () => {
    const before = tf.memory().numTensors;
    const grey = (x: tf.Tensor4D) => tf.fill(x.shape, 0.5) as tf.Tensor4D;
    const records = await evaluateUnpaired({
      forward: grey,
      backward: (x) => tf.clone(x),
      sources,
      reals,
      count: 40,
      direction: 'b2a',
      baseline: null,
    });
    const by = Object.fromEntries(records.map((r) => [r.metric, r.value]));
    expect(Object.keys(by)).toEqual(['cycle-l1', 'cycle-psnr', 'cycle-ssim']); // no classifier: no class or FID
    expect(by['cycle-l1']).toBeCloseTo(0.25, 1); // E|U(0,1) − ½| = ¼
    expect(by['cycle-psnr']).toBeLessThan(12);
    expect(tf.memory().numTensors).toBe(before);
  });
});
