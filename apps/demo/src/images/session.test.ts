import { useBackend } from '@gankit/backends';
import type { ImageDataset } from '@gankit/datasets';
import { tensorsLeakedPerRun } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_CONFIG, type ImageConfig } from './config.js';
import { ImageController } from './controller.js';
import { ImageSession } from './session.js';

/** 200 random 28×28 "images" of 10 classes: enough to exercise the pipeline, no data files needed. */
function tinyDataset(name = 'mnist'): ImageDataset {
  const count = 200;
  let s = 7;
  const rand = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s >>> 24;
  };
  return {
    name,
    split: 'train',
    images: Uint8Array.from({ length: count * 784 }, rand),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    shape: [28, 28, 1],
    classes: Array.from({ length: 10 }, (_, i) => String(i)),
    source: 'test',
  };
}

const small: ImageConfig = { ...DEFAULT_IMAGE_CONFIG, width: 4, latentDim: 8, batchSize: 8 };
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

describe('ImageSession', () => {
  const sessions: ImageSession[] = [];
  afterAll(() => {
    for (const s of sessions) s.dispose();
  });

  it('cGAN: trains on the data and reads a grid of a row per class from one read', async () => {
    const s = new ImageSession(small, tinyDataset(), 4);
    sessions.push(s);
    const first = await s.samples();
    expect(first.step).toBe(0);
    expect(first.shape).toEqual([40, 28, 28, 1]);
    expect(first.values).toHaveLength(40 * 784);
    expect(first.range).toEqual([-1, 1]);
    expect(first.grid.labels?.[4]).toBe(1);
    expect(first.values.every((v) => v >= -1 && v <= 1)).toBe(true);
    const logs = await s.trainStep();
    expect(logs.finite).toBe(true);
    expect(Number.isFinite(logs.dLoss) && Number.isFinite(logs.gLoss)).toBe(true);
    expect(s.step).toBe(1);
    const after = await s.samples();
    expect(after.step).toBe(1);
    expect(after.values).not.toEqual(first.values);
    // fixed noise: reading again without training gives the same grid
    expect((await s.samples()).values).toEqual(after.values);
  });

  it('leaves no tensors behind: steps, reads, and dispose free what they make', async () => {
    const before = tf.memory().numTensors;
    const s = new ImageSession({ ...small, model: 'dcgan' }, tinyDataset(), 3);
    expect((await s.samples()).shape).toEqual([9, 28, 28, 1]);
    expect(
      await tensorsLeakedPerRun(async () => {
        await s.trainStep();
        await s.samples();
      }, 4),
    ).toBe(0);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => s.trainStep()).toThrow(/was reset/);
  });
});

describe('ImageController', () => {
  it('loads the data, plays, pauses (the step then stays still), and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const loads: string[] = [];
    const progress: string[] = [];
    const c = new ImageController(small, {
      cols: 4,
      loadData: async (name, onProgress) => {
        loads.push(name);
        onProgress?.({ phase: 'fetching', loaded: 5e5, total: 1e6 });
        return tinyDataset(name);
      },
      onChange: () => progress.push(c.dataStatus),
    });
    await c.reset();
    expect(progress).toContain('fetching 0.5 / 1.0 MB…');
    expect(c.dataStatus).toBe('200 training images of 28×28×1');
    expect(c.samples?.step).toBe(0);
    c.play();
    await until(() => c.step >= 5);
    await c.pause();
    const paused = c.step;
    await new Promise((r) => setTimeout(r, 100));
    expect(c.step).toBe(paused);
    expect(c.samples?.step).toBe(paused); // the pause read the last grid
    expect(Number.isFinite(c.last.dLoss) && Number.isFinite(c.last.gLoss)).toBe(true);
    expect(c.history.get('gLoss').x.length).toBeGreaterThanOrEqual(5);
    // a new dataset is loaded; the step starts again
    await c.reset({ dataset: 'fashion-mnist', model: 'dcgan' });
    expect(loads).toEqual(['mnist', 'fashion-mnist']);
    expect(c.step).toBe(0);
    expect(c.samples?.grid.labels).toBeUndefined();
    await c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says why it cannot train: data that will not load, bad settings', async () => {
    const c = new ImageController(small, {
      loadData: async () => {
        throw new Error('data/mnist-train-images.idx.gz: HTTP 404');
      },
    });
    await c.reset();
    expect(c.session).toBeUndefined();
    expect(c.problem).toBe('the training data could not be loaded: data/mnist-train-images.idx.gz: HTTP 404');
    c.play();
    expect(c.playing).toBe(false);
    await c.reset({ lr: -1 });
    expect(c.problem).toMatch(/learning rate must be in \(0, 1\]/);
    await c.dispose();
  });
});
