import * as tf from '@tensorflow/tfjs-core';

export interface GradCheckOptions {
  /** Coordinates of each input to check; all when the input is smaller. Default 24. */
  samples?: number;
  /** Seed for choosing the coordinates. */
  seed?: number;
  /** Step size relative to max(1, |x|). Default 1e-2 (float32 data: rounding error ~1e-7/h, truncation ~h²). */
  relativeStep?: number;
  /** Allowed |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|). Defaults 1e-3 and 1e-2. */
  atol?: number;
  rtol?: number;
}

export interface GradCheckEntry {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
  error: number;
  allowed: number;
}

export interface GradCheckResult {
  ok: boolean;
  checked: number;
  worst: GradCheckEntry | undefined;
  failures: GradCheckEntry[];
}

/**
 * Checks the gradients tfjs computes for a scalar function against central finite differences.
 *
 * The arithmetic of the check is float64: each perturbed input is rounded to float32 first and the step actually
 * taken (x₊ − x₋ after rounding) is the denominator, so rounding of the step never shows up as gradient error.
 * Only the function values come from the (float32) backend. Pick a function whose output is O(1) — e.g. a
 * weighted sum of a layer's outputs with random weights — so that errors are not hidden by cancellation.
 *
 * @example
 * const r = checkGradients((w) => tf.sum(tf.mul(tf.conv2d(x, w, 2, 'same'), weights)), [w]);
 * expect(r.failures).toEqual([]);
 */
export function checkGradients(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: tf.Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  const { samples = 24, seed = 1, relativeStep = 1e-2, atol = 1e-3, rtol = 1e-2 } = options;
  const analytic = tf.tidy(() =>
    tf
      .grads(f)(xs)
      .map((g) => g.dataSync().slice()),
  );
  const values = xs.map((x) => Float64Array.from(x.dataSync()));
  const rng = mulberry32(seed);
  const entries: GradCheckEntry[] = [];
  xs.forEach((_x, input) => {
    const base = values[input]!;
    for (const index of pickIndices(base.length, samples, rng)) {
      const v = base[index]!;
      const h = relativeStep * Math.max(1, Math.abs(v));
      const plus = Math.fround(v + h);
      const minus = Math.fround(v - h);
      const fPlus = evalAt(f, xs, input, index, plus);
      const fMinus = evalAt(f, xs, input, index, minus);
      const numeric = (fPlus - fMinus) / (plus - minus);
      const a = analytic[input]![index]!;
      const error = Math.abs(a - numeric);
      const allowed = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric));
      entries.push({ input, index, analytic: a, numeric, error, allowed });
    }
  });
  const failures = entries.filter((e) => !(e.error <= e.allowed));
  const worst = entries.reduce<GradCheckEntry | undefined>(
    (w, e) => (w == null || e.error / e.allowed > w.error / w.allowed ? e : w),
    undefined,
  );
  return { ok: failures.length === 0, checked: entries.length, worst, failures };
}

function evalAt(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: tf.Tensor[],
  input: number,
  index: number,
  value: number,
): number {
  return tf.tidy(() => {
    const x = xs[input]!;
    const data = x.dataSync().slice();
    data[index] = value;
    const perturbed = tf.tensor(data, x.shape, x.dtype);
    const args = xs.map((t, i) => (i === input ? perturbed : t));
    return f(...args).dataSync()[0]!;
  });
}

function pickIndices(size: number, samples: number, rng: () => number): number[] {
  if (size <= samples) return Array.from({ length: size }, (_, i) => i);
  const picked = new Set<number>();
  while (picked.size < samples) picked.add(Math.floor(rng() * size));
  return [...picked].sort((a, b) => a - b);
}

/** A small seeded PRNG (mulberry32) for reproducible test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded uniform data in [lo, hi) as a Float32Array, for tensors that must be identical on every backend. */
export function seededUniform(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}
