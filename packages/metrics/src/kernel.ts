import { uniform } from '@gankit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from './yield.js';

/**
 * Kernel Inception Distance (Bińkowski et al. 2018) on any features: the unbiased estimate of the squared MMD with
 * the cubic polynomial kernel k(x, y) = (xᵀy/d + 1)³, averaged over random subsets. Unlike FID it is unbiased, so
 * equal distributions give ≈ 0 at any sample size.
 */
export interface KidResult {
  mean: number;
  std: number;
  subsets: number;
  subsetSize: number;
  /** True when the default 1,000 was shrunk to half the smaller set (fewer than 2,000 samples). */
  shrunk: boolean;
  seed: number;
}

function sample(n: number, m: number, rand: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, m);
}

/** Rows `idx` of a row-major `[n, dim]` set as a `[m, dim]` tensor and its transpose `[dim, m]`. */
function rows(x: ArrayLike<number>, idx: number[], dim: number): { m: tf.Tensor2D; t: tf.Tensor2D } {
  const m = idx.length;
  const a = new Float32Array(m * dim);
  const t = new Float32Array(m * dim);
  for (let r = 0; r < m; r++) {
    const base = idx[r]! * dim;
    for (let c = 0; c < dim; c++) {
      const v = x[base + c]!;
      a[r * dim + c] = v;
      t[c * m + r] = v;
    }
  }
  return { m: tf.tensor2d(a, [m, dim]), t: tf.tensor2d(t, [dim, m]) };
}

/**
 * Unbiased MMD² between two row-major feature sets of `dim` columns (rows chosen by `ix`, `iy`). The kernel
 * matrices are computed on the active tfjs backend (matrix products with pre-transposed operands) and summed in
 * float64 here, since MMD² is a small difference of large sums.
 */
async function mmd2(
  x: ArrayLike<number>,
  ix: number[],
  y: ArrayLike<number>,
  iy: number[],
  dim: number,
): Promise<number> {
  const X = rows(x, ix, dim);
  const Y = rows(y, iy, dim);
  const kernel = (a: tf.Tensor2D, bT: tf.Tensor2D) =>
    tf.tidy(() => tf.pow(tf.add(tf.div(tf.matMul(a, bT), dim), 1), 3));
  const ks = [kernel(X.m, X.t), kernel(Y.m, Y.t), kernel(X.m, Y.t)];
  tf.dispose([X.m, X.t, Y.m, Y.t]);
  const [kxx, kyy, kxy] = await Promise.all(ks.map((k) => k.data() as Promise<Float32Array>));
  tf.dispose(ks);
  const m = ix.length;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const i = a * m + b;
      if (a !== b) {
        sxx += kxx![i]!;
        syy += kyy![i]!;
      }
      sxy += kxy![i]!;
    }
  }
  return sxx / (m * (m - 1)) + syy / (m * (m - 1)) - (2 * sxy) / (m * m);
}

/**
 * KID between real and generated features (`[n, dim]` row-major each): mean and standard deviation of the unbiased
 * MMD² over `subsets` random subsets of `subsetSize` (defaults 100 × 1000, as in the reference implementation).
 * With fewer than 2,000 samples in a set the default subset is half the smaller set, so that subsets differ and the
 * standard deviation means something; a subset size larger than a set, or several subsets that are each the whole
 * set, is refused.
 */
export async function kernelDistance(
  real: ArrayLike<number>,
  fake: ArrayLike<number>,
  dim: number,
  options: { subsets?: number; subsetSize?: number; seed?: number } = {},
): Promise<KidResult> {
  const { subsets = 100, seed = 0 } = options;
  const nReal = real.length / dim;
  const nFake = fake.length / dim;
  const smaller = Math.min(nReal, nFake);
  const asked = options.subsetSize;
  if (asked != null && asked > smaller)
    throw new Error(
      `KID subsets of ${asked} need at least ${asked} samples of each set, got ${nReal} real and ${nFake} generated: ` +
        'ask for a smaller subsetSize or evaluate more samples',
    );
  if (asked != null && asked === smaller && subsets > 1)
    throw new Error(
      `KID subsets of ${asked} are each the whole set of ${smaller}, so all ${subsets} are the same: ` +
        'use subsets: 1, or a smaller subsetSize',
    );
  const shrunk = asked == null && smaller < 2000;
  const subsetSize = asked ?? (shrunk ? Math.floor(smaller / 2) : 1000);
  if (subsetSize < 2)
    throw new Error(`KID needs at least 4 samples per set, got ${nReal} real and ${nFake} generated`);
  const rand = uniform(seed);
  const values: number[] = [];
  for (let s = 0; s < subsets; s++) {
    values.push(
      await mmd2(real, sample(nReal, subsetSize, rand), fake, sample(nFake, subsetSize, rand), dim),
    );
    await yieldToEventLoop();
  }
  const mean = values.reduce((s, v) => s + v, 0) / subsets;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, subsets - 1));
  return { mean, std, subsets, subsetSize, shrunk, seed };
}
