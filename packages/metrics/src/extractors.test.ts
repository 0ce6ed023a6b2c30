import { useBackend } from '@gankit/backends';
import { saveTrees } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierScore } from './classifier-score.js';
import {
  classifierExtractor,
  createClassifier,
  type FeatureExtractor,
  shippedWeightsUrl,
} from './extractors.js';
import { stackedMnistModes } from './stacked.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('classifier extractors', () => {
  it('round-trip through their weights file: same features and logits; wrong shapes are named', async () => {
    const c = createClassifier(3, 'roundtrip');
    const bytes = await saveTrees(
      { params: { features: c.features.params, head: c.head.params } },
      { version: '1-test' },
    );
    const extractor = classifierExtractor(bytes, { name: 'test' });
    expect(extractor).toMatchObject({
      name: 'test',
      version: '1-test',
      featureDim: 64,
      inputShape: [28, 28, 1],
    });
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const direct = tf.tidy(() => {
      const f = c.layers.features.apply(c.features.params, {}, x, { training: false }).y;
      return c.layers.head.apply(c.head.params, {}, f, { training: false }).y;
    });
    const viaFile = extractor.logits!(x);
    expect(Array.from(viaFile.dataSync())).toEqual(Array.from(direct.dataSync()));
    // only the result stays: no intermediate activations leak (10,000 images would exhaust wasm's heap)
    const before = tf.memory().numTensors;
    const f = extractor.features(x);
    expect(f.shape).toEqual([3, 64]);
    expect(tf.memory().numTensors).toBe(before + 1);
    f.dispose();
    expect(() => extractor.features(tf.zeros([1, 32, 32, 3]))).toThrow(/expects \[batch, 28, 28, 1\]/);
    expect(() => shippedWeightsUrl('cifar' as never)).toThrow(/no shipped extractor for 'cifar'/);
    extractor.dispose();
    tf.dispose([x, direct, viaFile]);
  });
});

describe('classifier score', () => {
  it('is k for confident, balanced predictions and 1 for constant ones', () => {
    expect(classifierScore([1, 0, 0, 1], 2)).toBeCloseTo(2, 10);
    expect(classifierScore([0.5, 0.5, 0.5, 0.5], 2)).toBeCloseTo(1, 10);
    const tenWay = Array.from({ length: 100 }, (_, i) => (i % 10 === Math.floor(i / 10) ? 1 : 0)); // each class once
    expect(classifierScore(tenWay, 10)).toBeCloseTo(10, 10);
    expect(() => classifierScore([1, 2, 3], 2)).toThrow(/not rows of 2/);
  });
});

describe('Stacked-MNIST modes', () => {
  it('labels each channel and counts digit triples; KL is log 1000 − log(modes) for balanced coverage', async () => {
    // a stand-in classifier whose predicted digit is the mean pixel value × 10 of each channel
    const fake: FeatureExtractor = {
      name: 'mean-digit',
      version: '1',
      inputShape: [28, 28, 1],
      featureDim: 1,
      features: (x) => tf.tidy(() => tf.reshape(tf.mean(x, [1, 2, 3]), [-1, 1])) as tf.Tensor2D,
      logits: (x) =>
        tf.tidy(() => {
          const digit = tf.cast(tf.floor(tf.mul(tf.mean(x, [1, 2, 3]), 10)), 'int32');
          return tf.mul(tf.oneHot(digit as tf.Tensor1D, 10, 1, 0, 'float32'), 10) as tf.Tensor2D;
        }),
      dispose: () => {},
    };
    // four samples with channel values (0.05, 0.15, 0.25) → digits (0, 1, 2) → mode 12, and (0.95, 0.95, 0.95) → 999
    const values = [
      [0.05, 0.15, 0.25],
      [0.05, 0.15, 0.25],
      [0.95, 0.95, 0.95],
      [0.95, 0.95, 0.95],
    ];
    const images = tf.tidy(() =>
      tf.stack(values.map((v) => tf.mul(tf.ones([28, 28, 3]), tf.tensor1d(v)))),
    ) as tf.Tensor4D;
    const r = await stackedMnistModes(fake, images, { batchSize: 3 });
    expect(r).toMatchObject({ modesCovered: 2, samples: 4, extractor: 'mean-digit@1' });
    expect(r.kl).toBeCloseTo(Math.log(1000 / 2), 6);
    await expect(stackedMnistModes(fake, tf.zeros([1, 28, 28, 1]) as tf.Tensor4D)).rejects.toThrow(
      /\[n, 28, 28, 3\]/,
    );
    images.dispose();
  });
});
