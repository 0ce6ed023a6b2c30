/**
 * What goes into a pretrained generator: the truncation slider, the latent batches of the sample grid (a class, or
 * a row per class, from a seed), and latent walks by spherical interpolation. Pure math and @gankit/models'
 * `latentBatch`; tested in Node.
 */
import { type GanDef, latentBatch } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';

export const TRUNCATION_MIN = 0.2;
export const TRUNCATION_MAX = 2;
export const TRUNCATION_STEP = 0.1;
/** The slider's last notch, one step past the largest truncation: no truncation. */
export const TRUNCATION_OFF = TRUNCATION_MAX + TRUNCATION_STEP;

/** The slider's value as a truncation in standard deviations, or undefined for "off" (its last notch). */
export function sliderToTruncation(value: number): number | undefined {
  if (!Number.isFinite(value) || value > TRUNCATION_MAX + TRUNCATION_STEP / 2) return undefined;
  const snapped = Math.round(value / TRUNCATION_STEP) * TRUNCATION_STEP;
  return Number(Math.min(TRUNCATION_MAX, Math.max(TRUNCATION_MIN, snapped)).toFixed(1));
}

export function truncationToSlider(truncation: number | undefined): number {
  return truncation == null ? TRUNCATION_OFF : Math.min(TRUNCATION_MAX, Math.max(TRUNCATION_MIN, truncation));
}

export function formatTruncation(truncation: number | undefined): string {
  return truncation == null ? 'off' : `${truncation.toFixed(1)} σ`;
}

/** Which samples the grid shows: one class, or (conditional models) a row per class. */
export type ClassChoice = number | 'all' | undefined;

export interface GridRequest {
  /** Samples per row. */
  cols: number;
  /** Rows when one class (or no class) is shown. */
  rows: number;
  seed: number;
  truncation?: number;
  choice: ClassChoice;
}

export interface GridLatents {
  z: tf.Tensor2D;
  labels?: tf.Tensor1D;
  count: number;
  rows: number;
  cols: number;
  /** The class of each sample (row-major), for conditional models. */
  classes?: number[];
}

/**
 * The latent batch of the sample grid. One class (or none): `rows × cols` samples from `seed`. A row per class:
 * `classes × cols`, the same noise down each column, so a column is one "style" drawn as every class.
 */
export function gridLatents(
  gan: Pick<GanDef, 'latentDim' | 'codes' | 'classes'>,
  req: GridRequest,
): GridLatents {
  const { cols, rows, seed, truncation, choice } = req;
  const classes = gan.classes;
  if (classes == null) {
    if (choice != null && choice !== 'all')
      throw new Error('this generator has no classes; leave the class out');
    const { z } = latentBatch(gan, rows * cols, seed, { truncation });
    return { z, count: rows * cols, rows, cols };
  }
  if (choice === 'all' || choice == null) {
    const base = latentBatch(gan, cols, seed, { truncation });
    const count = classes * cols;
    const labelIds = Array.from({ length: count }, (_, i) => Math.floor(i / cols));
    const z = tf.tidy(() => tf.tile(base.z, [classes, 1]) as tf.Tensor2D);
    tf.dispose([base.z, ...(base.labels ? [base.labels] : [])]);
    return {
      z,
      labels: tf.tensor1d(labelIds, 'int32'),
      count,
      rows: classes,
      cols,
      classes: labelIds,
    };
  }
  const { z, labels } = latentBatch(gan, rows * cols, seed, { truncation, label: choice });
  return {
    z,
    ...(labels ? { labels } : {}),
    count: rows * cols,
    rows,
    cols,
    classes: new Array<number>(rows * cols).fill(choice),
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

/** The Gaussian part of a latent vector: everything before InfoGAN's codes. */
export function noiseDimOf(gan: Pick<GanDef, 'latentDim' | 'codes'>): number {
  const codes = gan.codes;
  if (codes == null) return gan.latentDim;
  return gan.latentDim - codes.categorical.reduce((s, k) => s + k, 0) - codes.continuous;
}
