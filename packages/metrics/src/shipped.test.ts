import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useBackend } from '@gankit/backends';
import { type ImageDataset, loadDataset, stackedMnist } from '@gankit/datasets';
import { readSafetensors } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifierScore } from './classifier-score.js';
import { datasetImages, evaluateImages, evaluateStackedMnist, extractFeatures } from './evaluate.js';
import { type FeatureExtractor, loadShippedExtractor, shippedWeightsUrl } from './extractors.js';

// The shipped extractors on the real data they were trained for: the numbers the issue asks them to reach.

let mnist: FeatureExtractor;
let mnistTest: ImageDataset;
let fashionTestSet: Promise<ImageDataset> | undefined;
/** Fashion-MNIST's test split, read once for the two tests that use it. */
const fashionTest = () => {
  fashionTestSet ??= loadDataset('fashion-mnist', { split: 'test' });
  return fashionTestSet;
};

beforeAll(async () => {
  await useBackend('wasm');
  mnist = await loadShippedExtractor('mnist');
  mnistTest = await loadDataset('mnist', { split: 'test' });
}, 300_000);
afterAll(() => {
  mnist?.dispose();
});

async function accuracy(
  extractor: FeatureExtractor,
  data: ImageDataset,
): Promise<{ accuracy: number; probabilities: Float32Array }> {
  const { probabilities } = await extractFeatures(extractor, datasetImages(data), data.count, {
    batchSize: 500,
    probabilities: true,
  });
  let correct = 0;
  for (let i = 0; i < data.count; i++) {
    const row = probabilities!.subarray(i * 10, (i + 1) * 10);
    if (row.indexOf(Math.max(...row)) === data.labels![i]) correct++;
  }
  return { accuracy: correct / data.count, probabilities: probabilities! };
}

describe('shipped extractors', () => {
  it('feature maps: the first convolutions, differentiable w.r.t. the images (a content loss)', async () => {
    const images = tf.tensor4d(
      Array.from(mnistTest.images.subarray(0, 4 * 784), (v) => v / 255),
      [4, 28, 28, 1],
    );
    expect(mnist.featureMaps!(images, 1).shape).toEqual([4, 28, 28, 32]);
    expect(mnist.featureMaps!(images, 2).shape).toEqual([4, 14, 14, 64]);
    expect(mnist.featureMaps!(images, 4).shape).toEqual([4, 4, 4, 64]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(mnist.featureMaps!(x as tf.Tensor4D, 2)))(images);
    expect((await tf.sum(tf.abs(g)).data())[0]).toBeGreaterThan(0);
    expect(() => mnist.featureMaps!(images, 5)).toThrow(/featureMaps depth must be 1 to 4, got 5/);
    tf.dispose([images, g]);
  });

  it('are small files that record how they were trained', () => {
    for (const dataset of ['mnist', 'fashion-mnist'] as const) {
      const path = fileURLToPath(shippedWeightsUrl(dataset));
      expect(statSync(path).size).toBeLessThan(1_000_000);
      const meta = readSafetensors(new Uint8Array(readFileSync(path))).metadata;
      expect(meta).toMatchObject({ dataset });
      expect(meta.version).toMatch(/seed\d+-e\d+/);
    }
  });

  it('MNIST: ≥ 99.0 % test accuracy; the real test set scores ≈ 9.7 as a classifier score (9.70 here; published 9.88 with another classifier)', async () => {
    const r = await accuracy(mnist, mnistTest);
    expect(r.accuracy).toBeGreaterThanOrEqual(0.99);
    const score = classifierScore(r.probabilities, 10);
    expect(score).toBeGreaterThan(9.6);
    expect(score).toBeLessThanOrEqual(10);
  }, 300_000); // 10 s alone

  it('Fashion-MNIST: ≥ 90 % test accuracy', async () => {
    const fashion = await loadShippedExtractor('fashion-mnist');
    const test = await fashionTest();
    expect((await accuracy(fashion, test)).accuracy).toBeGreaterThanOrEqual(0.9);
    fashion.dispose();
  }, 300_000); // 13 s alone

  it('Stacked MNIST: real stacked digits cover (nearly) all 1000 modes with a KL near the sampling floor', async () => {
    // 5,000 samples, not the protocol's 26,000 (the trainer's default): a perfect uniform sampler then misses
    // 1000 · e⁻⁵ ≈ 7 modes on average and its KL to uniform has a floor of ≈ 999 / (2 · 5,000) = 0.1 (≈ 0.019 at
    // 26,000); real triples are a little less even (the test set's classes differ in size).
    const count = 5000;
    const stacked = stackedMnist(mnistTest, { count, seed: 3 });
    const [record] = await evaluateStackedMnist({
      extractor: mnist,
      generated: datasetImages(stacked),
      count,
      seed: 3,
    });
    expect(record!.samples.generated).toBe(count);
    expect(record!.value).toBeGreaterThanOrEqual(980); // 991 here
    expect(record!.details!.kl).toBeLessThan(0.1 + 0.05); // 0.116 here
  }, 300_000); // 10 s alone

  it('real vs real: FID near 0 between the MNIST train and test sets, far from Fashion-MNIST images', async () => {
    const train = await loadDataset('mnist', { split: 'train' });
    const clothes = await fashionTest();
    const before = tf.memory().numTensors;
    const againstTest = (images: ImageDataset) =>
      evaluateImages({
        extractor: mnist,
        generated: datasetImages(images),
        real: datasetImages(mnistTest),
        count: 2000,
        metrics: ['fid'],
      });
    const same = await againstTest(train);
    const other = await againstTest(clothes);
    const fid = (rs: typeof same) => rs.find((r) => r.metric === 'fid')!.value;
    expect(fid(same)).toBeLessThan(0.05 * fid(other));
    expect(same[0]!.extractor!.name).toBe('gankit-mnist-classifier');
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000); // 8 s alone
});
