import { useBackend } from '@gankit/backends';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PlaygroundConfig } from './config.js';
import { PlaygroundController } from './controller.js';
import type { SnapshotSizes } from './session.js';

const SMALL: SnapshotSizes = { heatmap: 8, manifold: 4, fakes: 128, arrows: 8, reals: 256 };
const config: PlaygroundConfig = { ...DEFAULT_CONFIG, hiddenLayers: 1, units: 16, batchSize: 32 };
const until = async (cond: () => boolean, ms = 120_000) => {
  // a hang guard: each wait took < 3 s alone
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('PlaygroundController', () => {
  it('plays, pauses (the counters then stay still), and steps D and G by exactly one update', async () => {
    let changes = 0;
    const c = new PlaygroundController(config, { sizes: SMALL, onChange: () => changes++ });
    expect(c.state).toBe('waiting');
    await c.reset();
    expect(c.state).toBe('paused');
    expect(c.snapshot?.counters.iterations).toBe(0);
    expect(c.quality?.modes).toBe(8);
    c.play();
    expect(c.playing).toBe(true);
    expect(c.state).toBe('training');
    await until(() => c.counters.iterations >= 20);
    await c.pause();
    expect(c.playing).toBe(false);
    const paused = c.counters;
    await new Promise((r) => setTimeout(r, 100));
    expect(c.counters).toEqual(paused);
    expect(paused.dUpdates).toBe(paused.iterations);
    expect(Number.isFinite(c.last.dLoss)).toBe(true);
    expect(Number.isFinite(c.last.gLoss)).toBe(true);
    expect(c.history.get('dLoss').x.length).toBeGreaterThanOrEqual(20);
    // the pause read the visuals of the last iteration
    expect(c.snapshot?.counters).toEqual(paused);

    // the view shows 'busy' while a read (or an update) is queued or in flight
    const reading = c.refresh();
    expect(c.busy).toBe(true);
    expect(c.state).toBe('busy');
    await reading;
    expect(c.busy).toBe(false);
    expect(c.state).toBe('paused');
    await c.stepDiscriminator();
    expect(c.counters).toEqual({ ...paused, dUpdates: paused.dUpdates + 1 });
    await c.stepGenerator();
    expect(c.counters).toEqual({ ...paused, dUpdates: paused.dUpdates + 1, gUpdates: paused.gUpdates + 1 });
    expect(c.snapshot?.counters).toEqual(c.counters);
    expect(changes).toBeGreaterThan(3);
    await c.dispose();
    expect(c.state).toBe('waiting');
  });

  it('a step button pauses play first', async () => {
    const c = new PlaygroundController(config, { sizes: SMALL });
    await c.reset();
    c.play();
    await until(() => c.counters.iterations >= 3);
    await c.stepGenerator();
    expect(c.playing).toBe(false);
    const after = c.counters;
    await new Promise((r) => setTimeout(r, 50));
    expect(c.counters).toEqual(after);
    await c.dispose();
  });

  it('a new setting starts again from a fresh model, and keeps playing if it was', async () => {
    const c = new PlaygroundController(config, { sizes: SMALL });
    await c.reset();
    c.play();
    await until(() => c.counters.iterations >= 5);
    await c.reset({ distribution: 'grid25', sigma: 0.05 });
    expect(c.playing).toBe(true);
    expect(c.session?.data.modes).toHaveLength(25);
    expect(c.history.get('modes').x[0]).toBe(0);
    await c.pause();
    await c.dispose();
  });

  it('draw your own without points: says what to do, and play does nothing', async () => {
    const c = new PlaygroundController({ ...config, distribution: 'draw', points: [] }, { sizes: SMALL });
    await c.reset();
    expect(c.session).toBeUndefined();
    expect(c.problem).toMatch(/place at least one point/);
    c.play();
    expect(c.playing).toBe(false);
    await c.reset({
      points: [
        [0.5, 0.5],
        [-0.5, 0.5],
      ],
    });
    expect(c.session?.data.modes).toEqual([
      [0.5, 0.5],
      [-0.5, 0.5],
    ]);
    expect(c.quality?.modes).toBe(2);
    await c.dispose();
  });

  it('a non-finite iteration pauses play with a message instead of going on with NaNs', async () => {
    const c = new PlaygroundController(config, { sizes: SMALL });
    await c.reset();
    const session = c.session!;
    const step = session.step.bind(session);
    session.step = async () => {
      const logs = await step();
      return logs.step < 4 ? logs : { ...logs, finite: false, nonFinite: ['generator loss or gradients'] };
    };
    c.play();
    await until(() => !c.playing);
    await c.pause();
    expect(c.counters.iterations).toBe(4);
    expect(c.status).toMatch(/paused: generator loss or gradients not finite at iteration 4/);
    await c.dispose();
  });

  it('the number of tensors stays flat over a long run (no leaks per iteration or per read)', async () => {
    const c = new PlaygroundController(config, { sizes: SMALL, scheduler: { readEveryMs: 1 } });
    await c.reset();
    c.play();
    await until(() => c.counters.iterations >= 20);
    await c.pause();
    const warm = tf.memory().numTensors;
    c.play();
    await until(() => c.counters.iterations >= 150);
    await c.pause();
    expect(c.history.get('modes').x.length).toBeGreaterThan(5); // it read the visuals many times
    expect(tf.memory().numTensors).toBe(warm);
    const before = tf.memory().numTensors;
    await c.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});
