import { useBackend } from '@gankit/backends';
import { gaussian1d, ring8 } from '@gankit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateImages, evaluateMixture, type ImageSource, tensorImages } from './evaluate.js';
import type { FeatureExtractor } from './extractors.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** A stand-in extractor: a fixed random projection of the pixels to 64 features, and 10 "class" logits. */
function projectionExtractor(): FeatureExtractor {
  const w = tf.keep(tf.randomNormal([784, 64], 0, 1 / 28, 'float32', 3));
  const head = tf.keep(tf.randomNormal([64, 10], 0, 1, 'float32', 4));
  const features = (x: tf.Tensor4D) => tf.tidy(() => tf.matMul(tf.reshape(x, [-1, 784]), w)) as tf.Tensor2D;
  return {
    name: 'projection',
    version: '1',
    inputShape: [28, 28, 1],
    featureDim: 64,
    features,
    logits: (x) => tf.tidy(() => tf.matMul(features(x), head)),
    dispose: () => tf.dispose([w, head]),
  };
}

/** Images keyed by their index: the same sample whatever the batching. */
const seededImages =
  (seed: number, brightness = 1): ImageSource =>
  (start, size) =>
    tf.tidy(() =>
      tf.concat(
        Array.from({ length: size }, (_, i) =>
          tf.mul(tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', seed * 100_003 + start + i), brightness),
        ),
      ),
    ) as tf.Tensor4D;

describe('evaluateImages', () => {
  it('records counts, extractor, settings and seed with every metric; equal sources score as equal', async () => {
    const extractor = projectionExtractor();
    const before = tf.memory().numTensors;
    const records = await evaluateImages({
      extractor,
      real: seededImages(1),
      generated: seededImages(2),
      count: 400,
      realCount: 500,
      seed: 7,
      kid: { subsets: 10, subsetSize: 200 },
      batchSize: 64,
    });
    expect(records.map((r) => r.metric)).toEqual([
      'fid',
      'kid',
      'precision',
      'recall',
      'density',
      'coverage',
      'classifier-score',
    ]);
    for (const r of records) {
      expect(r.extractor).toEqual({ name: 'projection', version: '1' });
      expect(r.seed).toBe(7);
      expect(r.samples.generated).toBe(400);
      if (r.metric !== 'classifier-score') expect(r.samples.real).toBe(500);
      expect(Number.isFinite(r.value)).toBe(true);
    }
    const byName = Object.fromEntries(records.map((r) => [r.metric, r]));
    expect(byName.kid!.settings).toMatchObject({ subsets: 10, subsetSize: 200 });
    expect(byName.precision!.settings).toEqual({ k: 3 });
    expect(byName.coverage!.settings).toEqual({ k: 5 });
    expect(byName.precision!.value).toBeGreaterThan(0.5); // same distribution
    expect(byName.kid!.value).toBeLessThan(3 * byName.kid!.details!.std! + 1e-4);

    // darker generated images: a clearly worse FID and KID, lower precision
    const worse = await evaluateImages({
      extractor,
      real: seededImages(1),
      generated: seededImages(2, 0.5),
      count: 400,
      realCount: 500,
      metrics: ['fid', 'kid', 'prdc'],
      kid: { subsets: 10, subsetSize: 200 },
    });
    const worseBy = Object.fromEntries(worse.map((r) => [r.metric, r.value]));
    expect(worseBy.fid).toBeGreaterThan(10 * byName.fid!.value);
    expect(worseBy.kid).toBeGreaterThan(10 * Math.abs(byName.kid!.value));
    // halving the pixels shrinks the features towards the real cloud's centre: still "precise", but the real
    // manifold is not recalled — the failure FID folds into one number and precision/recall separate
    expect(worseBy.recall).toBeLessThan(0.05);
    expect(byName.recall!.value).toBeGreaterThan(0.5);
    expect(worseBy.coverage).toBeLessThan(byName.coverage!.value);
    expect(tf.memory().numTensors).toBe(before);
    extractor.dispose();
  });

  it('gives the same features whatever the batch size, and names bad inputs', async () => {
    const extractor = projectionExtractor();
    const run = (batchSize: number) =>
      evaluateImages({
        extractor,
        real: seededImages(1),
        generated: seededImages(2),
        count: 90,
        metrics: ['fid'],
        batchSize,
      });
    expect((await run(7))[0]!.value).toBeCloseTo((await run(90))[0]!.value, 6);
    await expect(
      evaluateImages({ extractor, generated: seededImages(2), count: 10, metrics: ['fid'] }),
    ).rejects.toThrow(/fid need real images/);
    await expect(
      evaluateImages({ extractor, generated: seededImages(2), count: 10, metrics: ['is' as never] }),
    ).rejects.toThrow(/unknown metric\(s\) is; known: fid, kid, prdc, classifier-score/);
    const rgb = tf.zeros([4, 32, 32, 3]) as tf.Tensor4D;
    await expect(
      evaluateImages({ extractor, generated: tensorImages(rgb), count: 4, metrics: ['classifier-score'] }),
    ).rejects.toThrow(/projection expects \[4, 28, 28, 1\].*gave \[4,32,32,3\]/);
    await expect(
      evaluateImages({ extractor, generated: tensorImages(rgb), count: 5, metrics: ['classifier-score'] }),
    ).rejects.toThrow(/has 4 images/);
    rgb.dispose();
    extractor.dispose();
  });

  it('keeps memory bounded: no full distance matrix, and the images are never all held', async () => {
    // The property at a size a test can afford: 3,000 × 3,000 samples, whose one distance matrix alone would be
    // 36 MB and whose images 9.4 MB, evaluated in chunks of 100 rows (1.2 MB) and batches of 250 images (0.8 MB).
    // The same bound at 10,000 × 10,000 (chunks of 16 MB by default) is the bench's FID-cost case.
    const n = 3000;
    const extractor = projectionExtractor();
    const before = tf.memory().numTensors;
    let records: Awaited<ReturnType<typeof evaluateImages>> = [];
    const profile = await tf.profile(async () => {
      records = await evaluateImages({
        extractor,
        real: seededImages(1),
        generated: seededImages(2),
        count: n,
        batchSize: 250,
        kid: { subsets: 10, subsetSize: 300 },
        prdc: { chunk: 100 },
      });
    });
    expect(records.find((r) => r.metric === 'coverage')!.samples).toEqual({ real: n, generated: n });
    const fullMatrix = n * n * 4;
    const allImages = n * 784 * 4;
    expect(profile.peakBytes).toBeLessThan(allImages); // 4.9 MB measured
    expect(profile.peakBytes).toBeLessThan(fullMatrix / 4);
    expect(tf.memory().numTensors).toBe(before);
    extractor.dispose();
  });
});

describe('evaluateMixture', () => {
  it('scores the true ring with all modes, ≈ 98.9 % high quality and a small JS divergence', () => {
    const real = ring8().sample(2500, 1);
    const generated = ring8().sample(2500, 2);
    const records = evaluateMixture({ generated, real, dim: 2, mixture: ring8(), seed: 2 });
    const by = Object.fromEntries(records.map((r) => [r.metric, r]));
    expect(by['modes-covered']!.value).toBe(8);
    expect(by['high-quality']!.value).toBeGreaterThan(0.97);
    expect(by['reverse-kl']!.value).toBeLessThan(0.01);
    expect(by.js!.value).toBeLessThan(0.2);
    expect(by.js!.samples).toEqual({ generated: 2500, real: 2500 });
    // a generator collapsed onto one mode
    const centre = ring8().modes![0]!;
    const collapsed = Float32Array.from({ length: 5000 }, (_, i) => centre[i % 2]!);
    const bad = Object.fromEntries(
      evaluateMixture({ generated: collapsed, real, dim: 2, mixture: ring8() }).map((r) => [
        r.metric,
        r.value,
      ]),
    );
    expect(bad['modes-covered']).toBe(1);
    expect(bad['reverse-kl']).toBeCloseTo(Math.log(8), 6);
    expect(bad.js).toBeGreaterThan(0.5);
    // 1-D: the seeds' two-Gaussian example, a generator that found only one of them
    const two = gaussian1d({ means: [-2, 2], std: 0.5 });
    const oneSided = gaussian1d({ means: [2], std: 0.5 }).sample(2500, 3);
    const oneD = Object.fromEntries(
      evaluateMixture({ generated: oneSided, real: two.sample(2500, 4), dim: 1, mixture: two }).map((r) => [
        r.metric,
        r.value,
      ]),
    );
    expect(oneD['modes-covered']).toBe(1);
    expect(oneD.js).toBeGreaterThan(0.18);
    expect(oneD.js).toBeLessThan(0.25);
    // half the real mass is missing: JS = ½·½ log 2 + ½(½ log ⅔ + log 4/3) ≈ 0.216
    expect(() => evaluateMixture({ generated, dim: 2, mixture: { name: 'swiss roll' } })).toThrow(
      /swiss roll is not a mixture of Gaussians/,
    );
  });
});
