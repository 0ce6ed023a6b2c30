import { useBackend } from '@gankit/backends';
import { tensorsLeakedPerRun } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, LOSSES, type PlaygroundConfig } from './config.js';
import { sampleQuality } from './quality.js';
import { PlaygroundSession, type SnapshotSizes } from './session.js';

const SMALL: SnapshotSizes = { heatmap: 12, manifold: 5, fakes: 64, arrows: 16, reals: 256 };
const config = (over: Partial<PlaygroundConfig> = {}): PlaygroundConfig => ({
  ...DEFAULT_CONFIG,
  hiddenLayers: 1,
  units: 16,
  batchSize: 32,
  ...over,
});
const values = (vars: tf.Variable[]) => Promise.all(vars.map(async (v) => Array.from(await v.data())));

beforeAll(async () => {
  await useBackend('wasm');
});

describe('PlaygroundSession', () => {
  const sessions: PlaygroundSession[] = [];
  const open = (c = config(), sizes = SMALL) => {
    const s = new PlaygroundSession(c, sizes);
    sessions.push(s);
    return s;
  };
  afterAll(() => {
    for (const s of sessions) s.dispose();
  });

  it('a snapshot holds the fakes, the manifold, D on the grid and the arrows, from one read', async () => {
    const s = open();
    const snap = await s.snapshot();
    expect(snap.fakes).toHaveLength(64 * 2);
    expect(snap.manifold).toHaveLength(25 * 2);
    expect(snap.heat).toHaveLength(144);
    expect(snap.pushes).toHaveLength(16 * 2);
    expect(snap.outputs).toBe('logits');
    expect(snap.counters).toEqual({ iterations: 0, dUpdates: 0, gUpdates: 0 });
    for (const a of [snap.fakes, snap.manifold, snap.heat, snap.pushes])
      expect(a.every(Number.isFinite)).toBe(true);
    expect(s.reals).toHaveLength(256 * 2);
  });

  it('the arrows are −∂L_G/∂x: moving a fake along its arrow lowers G’s loss', async () => {
    const s = open();
    for (let i = 0; i < 5; i++) await s.step();
    const snap = await s.snapshot();
    const D = s.trainer.D;
    const gLossAt = (xy: number[]) =>
      tf.tidy(() =>
        s.loss.generator(
          D.apply(D.params, D.state, tf.tensor2d([xy], [1, 2]), { training: false }).out.logits!,
        ),
      );
    for (let i = 0; i < 4; i++) {
      const p = [snap.fakes[2 * i]!, snap.fakes[2 * i + 1]!];
      const d = [snap.pushes[2 * i]!, snap.pushes[2 * i + 1]!];
      const norm = Math.hypot(d[0]!, d[1]!);
      if (norm === 0) continue;
      const eps = 1e-3 / norm;
      const before = gLossAt(p);
      const after = gLossAt([p[0]! + eps * d[0]!, p[1]! + eps * d[1]!]);
      expect((await after.data())[0]).toBeLessThan((await before.data())[0]!);
      tf.dispose([before, after]);
    }
  });

  it('step D changes only D and counts one D update; step G changes only G and counts one G update', async () => {
    const s = open();
    const { G, D } = s.trainer;
    const g0 = await values(G.variables());
    const d0 = await values(D.variables());
    const d = await s.stepDiscriminator();
    expect(d.finite).toBe(true);
    expect(Number.isFinite(d.loss)).toBe(true);
    expect(s.counters).toEqual({ iterations: 0, dUpdates: 1, gUpdates: 0 });
    expect(await values(G.variables())).toEqual(g0);
    const d1 = await values(D.variables());
    expect(d1).not.toEqual(d0);
    const g = await s.stepGenerator();
    expect(g.finite).toBe(true);
    expect(s.counters).toEqual({ iterations: 0, dUpdates: 1, gUpdates: 1 });
    expect(await values(D.variables())).toEqual(d1);
    expect(await values(G.variables())).not.toEqual(g0);
    // a full iteration after them: the trainer's own counters go on from there
    const logs = await s.step();
    expect(logs.step).toBe(1);
    expect(s.counters).toEqual({ iterations: 1, dUpdates: 2, gUpdates: 2 });
    const k3 = open(config({ dSteps: 3 }));
    await k3.step();
    expect(k3.counters).toEqual({ iterations: 1, dUpdates: 3, gUpdates: 1 });
  });

  it('a D step lowers D’s loss on a fixed batch, as a G step lowers G’s', async () => {
    const s = open(config({ lrD: 1e-2, lrG: 1e-2 }));
    let first = await s.stepDiscriminator();
    let last = first;
    for (let i = 0; i < 15; i++) last = await s.stepDiscriminator();
    expect(last.loss).toBeLessThan(first.loss);
    first = await s.stepGenerator();
    for (let i = 0; i < 15; i++) last = await s.stepGenerator();
    expect(last.loss).toBeLessThan(first.loss);
  });

  it.each(LOSSES.map((l) => l.value))(
    '%s: steps and snapshots are finite (critic losses read raw values)',
    async (loss) => {
      const s = open(config({ loss }));
      const logs = await s.step();
      expect(logs.finite).toBe(true);
      if (loss === 'wgan-gp') expect(logs.terms.gradientPenalty).toBeGreaterThanOrEqual(0);
      expect((await s.stepDiscriminator()).finite).toBe(true);
      expect((await s.stepGenerator()).finite).toBe(true);
      const snap = await s.snapshot();
      expect(snap.outputs).toBe(loss === 'non-saturating' || loss === 'minimax' ? 'logits' : 'critic');
      expect(snap.heat.every(Number.isFinite)).toBe(true);
      expect(snap.pushes.every(Number.isFinite)).toBe(true);
    },
  );

  it('leaks no tensors: steps, single updates and snapshots, and dispose frees everything it made', async () => {
    const before = tf.memory().numTensors;
    const s = new PlaygroundSession(config({ loss: 'wgan-gp' }), SMALL);
    const perRun = await tensorsLeakedPerRun(async () => {
      await s.step();
      await s.stepDiscriminator();
      await s.stepGenerator();
      await s.snapshot();
    }, 4);
    expect(perRun).toBe(0);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(s.snapshot()).rejects.toThrow(/reset/);
  });

  it('the default model on the ring of 8 covers most modes within a few hundred iterations', async () => {
    const s = open({ ...DEFAULT_CONFIG }, { ...SMALL, fakes: 1024 });
    const start = sampleQuality((await s.snapshot()).fakes, s.reals, s.data).modesCovered;
    for (let i = 0; i < 300; i++) await s.step();
    const end = sampleQuality((await s.snapshot()).fakes, s.reals, s.data);
    expect(start).toBeLessThanOrEqual(3);
    expect(end.modesCovered).toBeGreaterThanOrEqual(6);
  });
});
