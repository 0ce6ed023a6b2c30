import { useBackend } from '@gankit/backends';
import { cgan, dcgan, infogan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatTruncation,
  gridLatents,
  interpolateLatent,
  noiseDimOf,
  slerp,
  sliderToTruncation,
  TRUNCATION_OFF,
  truncationToSlider,
  walkLatents,
} from './latent.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-5) =>
  Array.from(a).every((x, i) => Math.abs(x - b[i]!) < eps);

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

describe('latent walks', () => {
  it('slerp: the ends are the two vectors, and the norm holds between vectors of equal norm', () => {
    const a = [3, 0, 0, 4];
    const b = [0, 5, 0, 0];
    expect(close(slerp(a, b, 0), a)).toBe(true);
    expect(close(slerp(a, b, 1), b)).toBe(true);
    for (const t of [0.25, 0.5, 0.75]) expect(norm(slerp(a, b, t))).toBeCloseTo(5, 5);
    // a straight line through the middle would shrink it: |(a + b) / 2| = 3.54
    expect(norm([1.5, 2.5, 0, 2])).toBeLessThan(4);
    // orthogonal unit vectors: the midpoint is at 45°
    expect(close(slerp([1, 0], [0, 1], 0.5), [Math.SQRT1_2, Math.SQRT1_2])).toBe(true);
  });

  it('slerp: parallel vectors fall back to a straight line; lengths must match', () => {
    expect(close(slerp([1, 2], [2, 4], 0.5), [1.5, 3])).toBe(true);
    expect(close(slerp([0, 0], [2, 4], 0.5), [1, 2])).toBe(true);
    expect(() => slerp([1], [1, 2], 0.5)).toThrow(/vectors of 1 and 2 values/);
  });

  it('InfoGAN codes are interpolated on a straight line, the noise on the sphere', () => {
    const info = infogan();
    const noiseDim = noiseDimOf(info);
    expect(noiseDim).toBe(info.latentDim - 10 - 2);
    expect(noiseDimOf(dcgan({ latentDim: 20 }))).toBe(20);
    const a = [1, 0, 1, 0];
    const b = [0, 1, 0, 1];
    const mid = interpolateLatent(a, b, 0.5, 2);
    expect(close(mid, [Math.SQRT1_2, Math.SQRT1_2, 0.5, 0.5])).toBe(true);
  });

  it('a walk of n frames starts at a and ends at b', () => {
    const a = [1, 0, 0];
    const b = [0, 0, 1];
    const w = walkLatents(a, b, 5);
    expect(w).toHaveLength(15);
    expect(close(w.subarray(0, 3), a)).toBe(true);
    expect(close(w.subarray(12, 15), b)).toBe(true);
    expect(close(w.subarray(6, 9), [Math.SQRT1_2, 0, Math.SQRT1_2])).toBe(true);
    expect(() => walkLatents(a, b, 1)).toThrow(/at least 2 frames/);
  });
});
