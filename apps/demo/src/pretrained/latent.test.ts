import { useBackend } from '@gankit/backends';
import { cgan, dcgan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatTruncation,
  gridLatents,
  sliderToTruncation,
  TRUNCATION_OFF,
  truncationToSlider,
} from './latent.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the truncation slider', () => {
  it('runs from 0.2 to 2 standard deviations, and its last notch is off', () => {
    expect(sliderToTruncation(0.2)).toBe(0.2);
    expect(sliderToTruncation(0.7000001)).toBe(0.7);
    expect(sliderToTruncation(2)).toBe(2);
    expect(sliderToTruncation(0.05)).toBe(0.2);
    expect(sliderToTruncation(TRUNCATION_OFF)).toBeUndefined();
    expect(sliderToTruncation(Number.NaN)).toBeUndefined();
    expect(truncationToSlider(undefined)).toBe(TRUNCATION_OFF);
    expect(truncationToSlider(1.3)).toBe(1.3);
    expect(sliderToTruncation(truncationToSlider(0.5))).toBe(0.5);
    expect(formatTruncation(undefined)).toBe('off');
    expect(formatTruncation(0.5)).toBe('0.5 σ');
  });
});

describe('grid latents', () => {
  const cond = cgan({ imageSize: 28, width: 4, latentDim: 16 });
  const uncond = dcgan({ imageSize: 28, width: 4, latentDim: 16 });
  const read = async (t: tf.Tensor) => Array.from(await t.data());

  it('one class: rows × cols samples of that class from the seed, the same for the same seed', async () => {
    const a = gridLatents(cond, { cols: 8, rows: 4, seed: 3, choice: 7 });
    const b = gridLatents(cond, { cols: 8, rows: 4, seed: 3, choice: 7 });
    const c = gridLatents(cond, { cols: 8, rows: 4, seed: 4, choice: 7 });
    expect(a.z.shape).toEqual([32, 16]);
    expect(a.count).toBe(32);
    expect(await read(a.labels!)).toEqual(new Array(32).fill(7));
    expect(a.classes).toEqual(new Array(32).fill(7));
    expect(await read(a.z)).toEqual(await read(b.z));
    expect(await read(a.z)).not.toEqual(await read(c.z));
    tf.dispose([a.z, a.labels!, b.z, b.labels!, c.z, c.labels!]);
  });

  it('a row per class: the same noise down each column', async () => {
    const g = gridLatents(cond, { cols: 3, rows: 4, seed: 1, choice: 'all' });
    expect(g).toMatchObject({ count: 30, rows: 10, cols: 3 });
    const labels = await read(g.labels!);
    expect(labels.slice(0, 7)).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(g.classes).toEqual(labels);
    const z = await read(g.z);
    const row = (r: number) => z.slice(r * 3 * 16, (r + 1) * 3 * 16);
    expect(row(9)).toEqual(row(0));
    expect(z.slice(0, 16)).not.toEqual(z.slice(16, 32));
    tf.dispose([g.z, g.labels!]);
  });

  it('truncation keeps every noise value within ±T', async () => {
    const g = gridLatents(uncond, { cols: 8, rows: 8, seed: 2, truncation: 0.5, choice: undefined });
    const z = await read(g.z);
    expect(g.labels).toBeUndefined();
    expect(Math.max(...z.map(Math.abs))).toBeLessThanOrEqual(0.5);
    const free = gridLatents(uncond, { cols: 8, rows: 8, seed: 2, choice: undefined });
    expect(Math.max(...(await read(free.z)).map(Math.abs))).toBeGreaterThan(2);
    tf.dispose([g.z, free.z]);
  });

  it('an unconditional generator takes no class', () => {
    expect(() => gridLatents(uncond, { cols: 2, rows: 2, seed: 1, choice: 3 })).toThrow(/no classes/);
    expect(() => gridLatents(cond, { cols: 2, rows: 2, seed: 1, choice: 10 })).toThrow(
      /class must be an integer from 0 to 9, got 10/,
    );
  });
});
