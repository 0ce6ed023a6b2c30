import { useBackend } from '@gankit/backends';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FidelityMeans, psnr, ssim } from './fidelity.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** SSIM of one image pair in float64, written from Wang et al. 2004 independently of the tensor version. */
function ssimReference(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  [h, w, c]: number[],
  size: number,
  sigma = 1.5,
  L = 1,
): number {
  const half = (size - 1) / 2;
  const g: number[] = [];
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++)
      g.push(Math.exp(-((i - half) ** 2 + (j - half) ** 2) / (2 * sigma * sigma)));
  const total = g.reduce((s, v) => s + v, 0);
  const C1 = (0.01 * L) ** 2;
  const C2 = (0.03 * L) ** 2;
  let sum = 0;
  let count = 0;
  for (let ch = 0; ch < c!; ch++)
    for (let r = 0; r + size <= h!; r++)
      for (let q = 0; q + size <= w!; q++) {
        let mx = 0;
        let my = 0;
        let sxx = 0;
        let syy = 0;
        let sxy = 0;
        for (let i = 0; i < size; i++)
          for (let j = 0; j < size; j++) {
            const k = g[i * size + j]! / total;
            const at = ((r + i) * w! + (q + j)) * c! + ch;
            const a = x[at]!;
            const b = y[at]!;
            mx += k * a;
            my += k * b;
            sxx += k * a * a;
            syy += k * b * b;
            sxy += k * a * b;
          }
        const vx = sxx - mx * mx;
        const vy = syy - my * my;
        const cxy = sxy - mx * my;
        sum += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
        count++;
      }
  return sum / count;
}

describe('PSNR and SSIM', () => {
  it.each([
    ['grey 28×28, 11×11 window', [28, 28, 1], 11],
    ['grey 28×28, 7×7 window', [28, 28, 1], 7],
    ['colour 16×20, 11×11 window', [16, 20, 3], 11],
  ])('SSIM matches a float64 implementation of Wang et al. 2004: %s', async (_, shape, window) => {
    const n = 3;
    const size = shape.reduce((a, b) => a * b, 1);
    const target = seededUniform(n * size, 1, 0, 1);
    // outputs from close to far: the target plus noise of growing strength, clipped to [0, 1]
    const noise = seededUniform(n * size, 2, -1, 1);
    const output = target.map((v, i) =>
      Math.min(1, Math.max(0, v + noise[i]! * 0.15 * (1 + Math.floor(i / size)))),
    );
    const a = tf.tensor4d(output, [n, ...(shape as [number, number, number])]);
    const b = tf.tensor4d(target, [n, ...(shape as [number, number, number])]);
    const got = await ssim(a, b, { window }).data();
    for (let k = 0; k < n; k++) {
      const expected = ssimReference(
        output.subarray(k * size, (k + 1) * size),
        target.subarray(k * size, (k + 1) * size),
        shape,
        window,
      );
      expect(Math.abs(got[k]! - expected), `image ${k}: ${got[k]} vs ${expected}`).toBeLessThan(1e-5);
    }
    expect(got[0]).toBeGreaterThan(got[2]!); // more noise, less similar
    tf.dispose([a, b]);
  });

  it('closed forms: identical images (SSIM 1, PSNR ∞), constant images, a constant offset, the dynamic range', async () => {
    const x = tf.tensor4d(seededUniform(2 * 12 * 12, 3, 0, 1), [2, 12, 12, 1]);
    expect(Array.from(await ssim(x, x, { window: 7 }).data())).toEqual([1, 1]);
    expect(Array.from(await psnr(x, x).data())).toEqual([Infinity, Infinity]);
    // constant a and b: σ = 0, so SSIM = (2ab + C₁)/(a² + b² + C₁)
    const [ca, cb] = [0.3, 0.7];
    const s = await ssim(
      tf.fill([1, 12, 12, 1], ca) as tf.Tensor4D,
      tf.fill([1, 12, 12, 1], cb) as tf.Tensor4D,
      {
        window: 7,
      },
    ).data();
    // (float32: the variances come out as ~1e-8 instead of 0, against C₂ = 9e-4)
    expect(s[0]).toBeCloseTo((2 * ca * cb + 1e-4) / (ca * ca + cb * cb + 1e-4), 4);
    // an offset d everywhere: MSE d², PSNR −20·log₁₀ d
    const shifted = tf.add(x, 0.05) as tf.Tensor4D;
    const p = await psnr(shifted, x).data();
    expect(p[0]).toBeCloseTo(-20 * Math.log10(0.05), 3);
    // the same pair in bytes with maxValue 255 scores the same
    const y = tf.clipByValue(
      tf.add(x, tf.randomUniform(x.shape, -0.1, 0.1, 'float32', 4)),
      0,
      1,
    ) as tf.Tensor4D;
    const bytes = (t: tf.Tensor4D) => tf.mul(t, 255) as tf.Tensor4D;
    const [s1, s255, p1, p255] = await Promise.all([
      ssim(x, y, { window: 7 }).data(),
      ssim(bytes(x), bytes(y), { window: 7, maxValue: 255 }).data(),
      psnr(x, y).data(),
      psnr(bytes(x), bytes(y), { maxValue: 255 }).data(),
    ]);
    expect(s255[0]).toBeCloseTo(s1[0]!, 3); // float32 moments of values up to 255² lose ~1e-5
    expect(p255[0]).toBeCloseTo(p1[0]!, 3);
    tf.dispose([x, shifted, y]);
  });

  it('streams batches into per-image means; bad inputs are refused with the fix', async () => {
    const a = tf.tensor4d(seededUniform(5 * 8 * 8, 5, 0, 1), [5, 8, 8, 1]);
    const b = tf.tensor4d(seededUniform(5 * 8 * 8, 6, 0, 1), [5, 8, 8, 1]);
    const means = new FidelityMeans({ window: 7 });
    await means.add(tf.slice(a, 0, 2), tf.slice(b, 0, 2));
    await means.add(tf.slice(a, 2, 3), tf.slice(b, 2, 3));
    const whole = [await psnr(a, b).data(), await ssim(a, b, { window: 7 }).data()];
    const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;
    const r = means.result();
    expect(r.count).toBe(5);
    expect(r.psnr).toBeCloseTo(mean(whole[0]!), 4);
    expect(r.ssim).toBeCloseTo(mean(whole[1]!), 5);
    expect(() => new FidelityMeans().result()).toThrow(/no images were added/);
    expect(() => ssim(a, b)).toThrow(
      /the 11×11 window does not fit 8×8 images; use window 7 or larger images/,
    );
    expect(() => psnr(a, tf.zeros([5, 8, 8, 3]))).toThrow(/same shape, got \[5,8,8,1\] and \[5,8,8,3\]/);
    expect(() => ssim(a, b, { window: 4 })).toThrow(/window must be an odd positive whole number, got 4/);
    tf.dispose([a, b]);
  });
});
