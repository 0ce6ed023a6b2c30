import { gaussian as normalDraw, rngFromSeed, uniformStream } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { GanDef } from './network.js';

/**
 * Latent vectors, in one place: their layout — Gaussian noise, then InfoGAN's one-hot categorical codes, then its
 * continuous codes — batches of them from a seed, and walks between them.
 */

/** The Gaussian part of a latent vector: everything before InfoGAN's codes. */
export function noiseDimOf(gan: Pick<GanDef, 'latentDim' | 'codes'>): number {
  const codes = gan.codes;
  if (codes == null) return gan.latentDim;
  return gan.latentDim - codes.categorical.reduce((s, k) => s + k, 0) - codes.continuous;
}

/**
 * A batch of generator inputs for `n` samples from `seed`: N(0, 1) noise — with InfoGAN's codes appended (one-hot
 * categorical, continuous U(−1, 1)) — and, for conditional models, labels.
 *
 * `truncation` T redraws every noise value outside [−T, T] (the truncation trick: fidelity for variety).
 * `label` fixes the class (conditional models) or InfoGAN's first categorical code; otherwise classes cycle
 * 0, 1, …, k − 1 so a batch is balanced.
 */
export function latentBatch(
  gan: Pick<GanDef, 'latentDim' | 'codes' | 'classes'>,
  n: number,
  seed: number,
  options: { truncation?: number; label?: number } = {},
): { z: tf.Tensor2D; labels?: tf.Tensor1D } {
  const { truncation, label } = options;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`the number of samples must be a positive integer, got ${n}`);
  if (truncation != null && !(truncation > 0))
    throw new Error(`truncation must be a positive number of standard deviations, got ${truncation}`);
  const classes = gan.classes ?? gan.codes?.categorical[0];
  if (label != null && (classes == null || !Number.isInteger(label) || label < 0 || label >= classes)) {
    throw new Error(
      classes == null
        ? 'this generator has no classes; leave the class out'
        : `class must be an integer from 0 to ${classes - 1}, got ${label}`,
    );
  }
  const codes = gan.codes;
  const noiseDim = noiseDimOf(gan);
  const random = uniformStream(rngFromSeed(seed));
  const gaussian = () => {
    for (;;) {
      const g = normalDraw(random);
      if (truncation == null || Math.abs(g) <= truncation) return g;
    }
  };
  const data = new Float32Array(n * gan.latentDim);
  const labelOf = (i: number) => label ?? i % (classes ?? 1);
  for (let i = 0; i < n; i++) {
    const row = i * gan.latentDim;
    for (let j = 0; j < noiseDim; j++) data[row + j] = gaussian();
    if (codes) {
      let at = row + noiseDim;
      codes.categorical.forEach((k, c) => {
        const pick = c === 0 ? labelOf(i) : Math.floor(random() * k);
        data[at + pick] = 1;
        at += k;
      });
      for (let j = 0; j < codes.continuous; j++) data[at + j] = 2 * random() - 1;
    }
  }
  const z = tf.tensor2d(data, [n, gan.latentDim]);
  if (gan.classes == null) return { z };
  return {
    z,
    labels: tf.tensor1d(
      Int32Array.from({ length: n }, (_, i) => labelOf(i)),
      'int32',
    ),
  };
}

/**
 * Spherical interpolation (Shoemake 1985; White 2016, "Sampling Generative Networks") between latent vectors `a`
 * and `b` at `t` ∈ [0, 1]: it keeps the norm that Gaussian latents concentrate at, which a straight line through
 * the middle does not. Nearly parallel vectors fall back to a straight line.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  if (a.length !== b.length) throw new Error(`slerp: vectors of ${a.length} and ${b.length} values`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  const out = new Float32Array(a.length);
  const cos = na > 0 && nb > 0 ? Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))) : 1;
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  if (sin < 1e-6) {
    for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
    return out;
  }
  const wa = Math.sin((1 - t) * omega) / sin;
  const wb = Math.sin(t * omega) / sin;
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i]! + wb * b[i]!;
  return out;
}

/**
 * A latent between `a` and `b`: slerp on the first `noiseDim` values (the Gaussian noise), a straight line on the
 * rest (InfoGAN's codes, which are not Gaussian).
 */
export function interpolateLatent(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  t: number,
  noiseDim = a.length,
): Float32Array {
  if (a.length !== b.length) throw new Error(`interpolate: vectors of ${a.length} and ${b.length} values`);
  const out = new Float32Array(a.length);
  const head = (v: ArrayLike<number>) => Array.from({ length: noiseDim }, (_, i) => v[i]!);
  out.set(slerp(head(a), head(b), t));
  for (let i = noiseDim; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
  return out;
}

/** `frames` latents from `a` to `b` (both included), row-major `[frames, dim]`. */
export function walkLatents(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  frames: number,
  noiseDim = a.length,
): Float32Array {
  if (!Number.isInteger(frames) || frames < 2)
    throw new Error(`a walk needs at least 2 frames, got ${frames}`);
  const out = new Float32Array(frames * a.length);
  for (let f = 0; f < frames; f++) out.set(interpolateLatent(a, b, f / (frames - 1), noiseDim), f * a.length);
  return out;
}
