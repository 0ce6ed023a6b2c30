/** Training the style-based generator: its w̄ lives in G's state and moves in G's updates only; no tensor growth. */
import { useBackend } from '@gankit/backends';
import { flattenTree } from '@gankit/layers';
import { averageStyle, dcgan, stylegan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { DataSource } from './step.js';
import { createTrainer } from './trainer.js';

const SMALL = { latentDim: 8, styleDim: 8, mappingLayers: 2, gFilters: [8, 8, 4, 4], dFilters: [4, 4, 8] };

const source = (n: number): DataSource => ({
  next: () => ({ x: tf.randomUniform([n, 28, 28, 1], -1, 1, 'float32', 3) }),
  state: () => ({}),
  restore() {},
});

beforeAll(async () => {
  await useBackend('wasm');
});

describe('stylegan training', () => {
  it('non-saturating + lazy R1 steps: w̄ moves in G updates (not D updates), no tensor growth', async () => {
    const t = createTrainer(stylegan(SMALL), {
      batchSize: 4,
      optimizers: {
        generator: { kind: 'adam', learningRate: 2e-3, beta1: 0, beta2: 0.99 },
        discriminator: { kind: 'adam', learningRate: 2e-3, beta1: 0, beta2: 0.99 },
      },
      penalties: { r1: { gamma: 1, every: 2 } },
      ema: { decay: 0.99 },
    });
    const data = source(4);
    const read = () => Array.from(averageStyle(t.G).dataSync());
    expect(read().every((v) => v === 0)).toBe(true);
    const d = await t.update('D', data.next());
    expect(d.finite).toBe(true);
    expect(read().every((v) => v === 0)).toBe(true); // G was frozen: its new w̄ was dropped
    const logs = await t.step(data);
    expect(logs.finite).toBe(true);
    expect(Object.keys(logs)).toEqual(expect.arrayContaining(['dLoss', 'gLoss']));
    const after1 = read();
    expect(after1.some((v) => v !== 0)).toBe(true);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await t.step(data); // R1 on every other D update
    expect(tf.memory().numTensors).toBe(tensors);
    expect(read()).not.toEqual(after1);
    // sampling reads the EMA weights and w̄: finite images of the data shape
    const images = t.generate(4, { seed: 1 });
    expect(images.shape).toEqual([4, 28, 28, 1]);
    expect(Array.from(images.dataSync()).every(Number.isFinite)).toBe(true);
    images.dispose();
    t.dispose();
  }, 300_000);

  const plConfig = (extra: Partial<TrainConfig> = {}): Partial<TrainConfig> => ({
    batchSize: 4,
    optimizers: {
      generator: { kind: 'adam', learningRate: 2e-3, beta1: 0, beta2: 0.99 },
      discriminator: { kind: 'adam', learningRate: 2e-3, beta1: 0, beta2: 0.99 },
    },
    penalties: { r1: { gamma: 1, every: 4 }, pathLength: { every: 2 } },
    ...extra,
  });
  const mean = (t: ReturnType<typeof createTrainer>) => t.state.terms.pathLength!.mean!.dataSync()[0]!;
  const weights = (t: ReturnType<typeof createTrainer>) =>
    flattenTree(t.G.params).map(([path, v]) => [path, Array.from(v.dataSync())]);

  it('path-length regularisation: lazy in G updates, its running mean in the checkpoint, resumed exactly', async () => {
    const data = source(4);
    const straight = createTrainer(stylegan(SMALL), plConfig());
    expect(mean(straight)).toBe(0);
    const first = await straight.step(data);
    expect(first.terms.pathLength).toBeGreaterThan(0); // G update 0 computes it …
    const m1 = mean(straight);
    expect(m1).toBeGreaterThan(0);
    const second = await straight.step(data);
    expect(second.terms.pathLength).toBeUndefined(); // … update 1 does not, and its mean stays
    expect(mean(straight)).toBe(m1);
    const tensors = tf.memory().numTensors;
    await straight.step(data);
    expect(mean(straight)).not.toBe(m1);
    await straight.step(data);
    expect(tf.memory().numTensors).toBe(tensors);

    const before = createTrainer(stylegan(SMALL), plConfig());
    await before.step(data);
    await before.step(data);
    await before.step(data);
    const bytes = await saveCheckpoint(before, data);
    const resumed = createTrainer(stylegan(SMALL), plConfig());
    restoreCheckpoint(bytes, resumed, data);
    expect(mean(resumed)).toBe(mean(before));
    await resumed.step(data);
    expect(mean(resumed)).toBe(mean(straight));
    expect(weights(resumed)).toEqual(weights(straight));
    for (const t of [straight, before, resumed]) t.dispose();
  }, 300_000);

  it('path-length regularisation: a skipped update leaves the mean; refused for a generator without W', async () => {
    const poisoned = createTrainer(
      stylegan(SMALL),
      plConfig({
        terms: [{ name: 'poison', group: 'G', uses: {}, compute: () => tf.scalar(Number.NaN) }],
      }),
    );
    const logs = await poisoned.step(source(4));
    expect(logs.terms.pathLength).toBeGreaterThan(0);
    expect(mean(poisoned)).toBe(0); // the G update was not applied: nor was the new mean
    poisoned.dispose();
    expect(() => createTrainer(dcgan({ imageSize: 28 }), plConfig())).toThrow(
      /config\.penalties\.pathLength needs a style-based generator \(model stylegan\); this dcgan-28 generator has no W space/,
    );
  }, 300_000);
});
