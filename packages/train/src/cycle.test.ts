/** Unpaired translation: CycleGAN and DiscoGAN train on toy domains, keep their tensors, pool per D, resume exactly. */
import { useBackend } from '@gankit/backends';
import { type ImageDataset, UnpairedBatcher } from '@gankit/datasets';
import { flattenTree, uniformStream } from '@gankit/layers';
import { cyclegan, discogan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import { createCycleTrainer } from './cycle.js';
import { resolveCycleConfig } from './cycle-config.js';
import { learningRateAt } from './optim.js';
import { unpairedSource } from './sources.js';

/** 48 seeded 8×8 grey images of a bright 3×3 square on dark — or, `inverted`, a dark square on bright. */
function squares(inverted: boolean, seed: number): ImageDataset {
  const u = uniformStream(seed);
  const images = new Uint8Array(48 * 64).fill(inverted ? 255 : 0);
  for (let i = 0; i < 48; i++) {
    const [y0, x0] = [Math.floor(u() * 5), Math.floor(u() * 5)];
    for (let y = y0; y < y0 + 3; y++)
      for (let x = x0; x < x0 + 3; x++) images[i * 64 + y * 8 + x] = inverted ? 0 : 255;
  }
  return {
    name: inverted ? 'dark squares' : 'bright squares',
    split: 'train',
    images,
    labels: undefined,
    count: 48,
    shape: [8, 8, 1],
    classes: [],
    source: 'test',
  };
}

const data = (seed = 1) =>
  unpairedSource(new UnpairedBatcher(squares(false, 3), squares(true, 4), { batchSize: 4, seed }));
const small = { imageSize: 8, gFilters: 4, blocks: 1, dFilters: 4, patchLayers: 1 as const };
const fast = {
  batchSize: 4,
  optimizers: {
    generator: { kind: 'adam' as const, learningRate: 2e-3, beta1: 0.5 },
    discriminator: { kind: 'adam' as const, learningRate: 2e-3, beta1: 0.5 },
  },
};
const weights = (t: { state: { networks: Record<string, { params: object }> } }) =>
  Object.entries(t.state.networks).flatMap(([name, n]) =>
    flattenTree(n.params as never).map(([p, v]) => [name, p, Array.from((v as tf.Tensor).dataSync())]),
  );

describe.each(['cpu', 'wasm'] as const)('unpaired translation on %s', (backend) => {
  it('CycleGAN: both Ds, both Gs, cycle and identity terms logged; a pool per D; cycle L1 falls; no tensor growth', async () => {
    await useBackend(backend);
    const t = createCycleTrainer(cyclegan(small), fast);
    const source = data();
    const first = await t.step(source);
    expect(Object.keys(first.terms).sort()).toEqual([
      'adversarialAB',
      'adversarialBA',
      'adversarialDA',
      'adversarialDB',
      'cycleA',
      'cycleB',
      'identityA',
      'identityB',
    ]);
    // D's loss: both discriminators' terms, each halved
    expect(first.dLoss).toBeCloseTo(0.5 * (first.terms.adversarialDA! + first.terms.adversarialDB!), 4);
    expect(first.gLoss).toBeCloseTo(
      first.terms.adversarialAB! +
        first.terms.adversarialBA! +
        10 * (first.terms.cycleA! + first.terms.cycleB!) +
        5 * (first.terms.identityA! + first.terms.identityB!),
      3,
    );
    let tensors = 0;
    let last = first;
    for (let i = 1; i < 30; i++) {
      if (i === 3) tensors = tf.memory().numTensors;
      last = await t.step(source);
    }
    // the pools are full by now (50 fakes each): the count stays flat from here
    expect(Object.keys(t.state.replay).sort()).toEqual(['fakeA', 'fakeB']);
    expect(t.state.replay.fakeA!.length).toBe(50);
    for (let i = 0; i < 10; i++) last = await t.step(source);
    const flat = tf.memory().numTensors;
    await t.step(source);
    expect(tf.memory().numTensors).toBe(flat);
    expect(tensors).toBeGreaterThan(0);
    expect(last.terms.cycleA! + last.terms.cycleB!).toBeLessThan(
      0.7 * (first.terms.cycleA! + first.terms.cycleB!),
    );
    const a = tf.zeros([2, 8, 8, 1]) as tf.Tensor4D;
    const b = t.translate('a2b', a);
    expect(b.shape).toEqual([2, 8, 8, 1]);
    expect(() => t.translate('b2a', tf.zeros([1, 4, 4, 1]))).toThrow(
      /translates B images of shape \[8,8,1\], got \[4,4,1\]/,
    );
    tf.dispose([a, b]);
    t.dispose();
  }, 180_000);

  it('CycleGAN resumes exactly mid-run, its pools included', async () => {
    await useBackend(backend);
    const config = { ...fast, pool: { size: 6, probability: 0.5 } };
    const straight = createCycleTrainer(cyclegan(small), config);
    const src = data(2);
    const logs = [];
    for (let i = 0; i < 6; i++) logs.push(await straight.step(src));
    const before = createCycleTrainer(cyclegan(small), config);
    const src2 = data(2);
    for (let i = 0; i < 3; i++) await before.step(src2);
    const bytes = await saveCheckpoint(before, src2);
    const resumed = createCycleTrainer(cyclegan(small), config);
    const src3 = data(2);
    restoreCheckpoint(bytes, resumed, src3);
    expect(resumed.state.replay.fakeA!.length).toBe(6);
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await resumed.step(src3));
    expect(after.map((l) => [l.gLoss, l.dLoss])).toEqual(logs.slice(3).map((l) => [l.gLoss, l.dLoss]));
    expect(weights(resumed)).toEqual(weights(straight));
    for (const t of [straight, before, resumed]) t.dispose();
  }, 180_000);

  it('DiscoGAN as a config of the same problem: no identity, no pool, its loss; resumes exactly mid-run', async () => {
    await useBackend(backend);
    const config = {
      ...fast,
      loss: 'non-saturating' as const,
      cycle: { norm: 'l2' as const, weight: 1 },
      identity: null,
      pool: null,
      lrSchedule: { kind: 'linear' as const, start: 3, totalSteps: 6 },
    };
    const straight = createCycleTrainer(discogan(small), config);
    const src = data(2);
    const logs = [];
    for (let i = 0; i < 6; i++) logs.push(await straight.step(src));
    expect(Object.keys(logs[0]!.terms).sort()).toEqual([
      'adversarialAB',
      'adversarialBA',
      'adversarialDA',
      'adversarialDB',
      'cycleA',
      'cycleB',
    ]);
    expect(Object.keys(straight.state.replay)).toEqual([]);
    const before = createCycleTrainer(discogan(small), config);
    const src2 = data(2);
    for (let i = 0; i < 2; i++) await before.step(src2);
    const bytes = await saveCheckpoint(before, src2);
    const resumed = createCycleTrainer(discogan(small), config);
    const src3 = data(2);
    restoreCheckpoint(bytes, resumed, src3);
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await resumed.step(src3));
    expect(after.map((l) => [l.gLoss, l.dLoss])).toEqual(logs.slice(2).map((l) => [l.gLoss, l.dLoss]));
    expect(weights(resumed)).toEqual(weights(straight));
    for (const t of [straight, before, resumed]) t.dispose();
  }, 180_000);
});

describe('unpaired translation configs', () => {
  it('CycleGAN’s defaults; identity and pool removed by null; the learning rate held, then decayed to 0', () => {
    const c = resolveCycleConfig();
    expect(c).toMatchObject({
      loss: 'least-squares',
      cycle: { norm: 'l1', weight: 10 },
      identity: { weight: 5 },
    });
    expect(c.pool).toEqual({ size: 50, probability: 0.5 });
    const bare = resolveCycleConfig({ identity: null, pool: null });
    expect('identity' in bare || 'pool' in bare).toBe(false);
    expect(() => resolveCycleConfig({ cycle: { norm: 'l3' as never, weight: 10 } })).toThrow(
      /config\.cycle\.norm/,
    );
    const schedule = { kind: 'linear' as const, start: 100, totalSteps: 200 };
    expect([0, 100, 150, 200, 250].map((s) => learningRateAt(2e-4, schedule, s))).toEqual([
      2e-4, 2e-4, 1e-4, 0, 0,
    ]);
  });
});
