import { describe, expect, it } from 'vitest';
import { dcgan } from './dcgan.js';
import { infogan } from './infogan.js';
import { interpolateLatent, noiseDimOf, slerp, walkLatents } from './latent.js';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, eps = 1e-5) =>
  Array.from(a).every((x, i) => Math.abs(x - b[i]!) < eps);

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
