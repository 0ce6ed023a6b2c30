/** Training the style-based generator: its w̄ lives in G's state and moves in G's updates only; no tensor growth. */
import { useBackend } from '@gankit/backends';
import { averageStyle, stylegan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
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
});
