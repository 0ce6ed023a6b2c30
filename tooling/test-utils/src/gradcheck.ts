import * as tf from '@tensorflow/tfjs-core';
import { uniformStream } from '../../../packages/layers/src/rng.js';

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
  /** Coordinates compared. */
  checked: number;
  /**
   * Coordinates where the function has a kink within the smallest step tried (ReLU-like activations): one-sided
   * differences disagree, so no finite difference is meaningful there. Not compared, reported.
   */
  nonSmooth: { input: number; index: number }[];
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
 * const r = await checkGradients((w) => tf.sum(tf.mul(tf.conv2d(x, w, 2, 'same'), weights)), [w]);
 * expect(r.failures).toEqual([]);
 */
export async function checkGradients(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: tf.Tensor[],
  options: GradCheckOptions = {},
): Promise<GradCheckResult> {
  const { samples = 24, seed = 1, relativeStep = 1e-2, atol = 1e-3, rtol = 1e-2 } = options;

  // An input the result does not depend on has no gradient in tfjs (null); it is zero, and finite differences
  // must agree. Reads are asynchronous: WebGPU in Node (Dawn) cannot read synchronously.
  const { value, grads } = tf.engine().gradients(() => f(...xs), xs, undefined, true);
  const analytic = await Promise.all(
    grads.map((g, i) => (g == null ? Promise.resolve(new Float32Array(xs[i]!.size)) : g.data())),
  );
  tf.dispose([value, ...grads.filter((g): g is tf.Tensor => g != null)]);
  const values = await Promise.all(xs.map(async (x) => Float64Array.from(await x.data())));
  const rng = mulberry32(seed);
  const entries: GradCheckEntry[] = [];
  const nonSmooth: { input: number; index: number }[] = [];
  // f at the unperturbed inputs: the same for every coordinate, so evaluated once
  const f0 = await read(tf.tidy(() => f(...xs)));
  for (let input = 0; input < xs.length; input++) {
    const base = values[input]!;
    for (const index of pickIndices(base.length, samples, rng)) {
      const v = base[index]!;
      const a = analytic[input]![index]!;
      const numeric = await centralDifference(
        f,
        xs,
        input,
        base,
        index,
        f0,
        relativeStep * Math.max(1, Math.abs(v)),
        atol,
        rtol,
      );
      if (numeric == null) {
        nonSmooth.push({ input, index });
        continue;
      }
      const error = Math.abs(a - numeric);
      const allowed = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric));
      entries.push({ input, index, analytic: a, numeric, error, allowed });
    }
  }
  const failures = entries.filter((e) => !(e.error <= e.allowed));
  const worst = entries.reduce<GradCheckEntry | undefined>(
    (w, e) => (w == null || e.error / e.allowed > w.error / w.allowed ? e : w),
    undefined,
  );
  return { ok: failures.length === 0, checked: entries.length, worst, failures, nonSmooth };
}

/**
 * Central difference at one coordinate, or null when the function is not smooth there. One-sided differences must
 * agree (within the check's tolerance); when they do not, a kink lies within the step, and the step is shrunk
 * tenfold, twice, before giving up.
 */
async function centralDifference(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: tf.Tensor[],
  input: number,
  base: Float64Array,
  index: number,
  f0: number,
  step: number,
  atol: number,
  rtol: number,
): Promise<number | null> {
  const v = Math.fround(base[index]!);
  for (let h = step, tries = 0; tries < 3; h /= 10, tries++) {
    const plus = Math.fround(v + h);
    const minus = Math.fround(v - h);
    const fPlus = await evalAt(f, xs, input, base, index, plus);
    const fMinus = await evalAt(f, xs, input, base, index, minus);
    const forward = (fPlus - f0) / (plus - v);
    const backward = (f0 - fMinus) / (v - minus);
    // one-sided differences carry an O(h·f'') error of their own: allow it on top of the tolerance
    const curvature = Math.abs(forward - backward);
    if (curvature <= 2 * (atol + rtol * Math.max(Math.abs(forward), Math.abs(backward))) + 1e-6) {
      return (fPlus - fMinus) / (plus - minus);
    }
  }
  return null;
}

async function evalAt(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  xs: tf.Tensor[],
  input: number,
  base: Float64Array,
  index: number,
  value: number,
): Promise<number> {
  return read(
    tf.tidy(() => {
      const x = xs[input]!;
      const data = Float32Array.from(base);
      data[index] = value;
      const perturbed = tf.tensor(data, x.shape, x.dtype);
      return f(...xs.map((t, i) => (i === input ? perturbed : t)));
    }),
  );
}

/** A scalar's value, read asynchronously (WebGPU in Node cannot read synchronously); the tensor is freed. */
async function read(out: tf.Tensor): Promise<number> {
  const v = (await out.data())[0]!;
  out.dispose();
  return v;
}

function pickIndices(size: number, samples: number, rng: () => number): number[] {
  if (size <= samples) return Array.from({ length: size }, (_, i) => i);
  const picked = new Set<number>();
  while (picked.size < samples) picked.add(Math.floor(rng() * size));
  return [...picked].sort((a, b) => a - b);
}

/**
 * A small seeded PRNG (mulberry32) for reproducible test data: gankit's one uniform stream, read from the layers
 * package's sources (the helpers cannot depend on a package whose tests use them).
 */
export const mulberry32: (seed: number) => () => number = uniformStream;

/** Seeded uniform data in [lo, hi) as a Float32Array, for tensors that must be identical on every backend. */
export function seededUniform(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}

/**
 * Every coordinate's analytic gradient of `f` at `leaves`, read asynchronously (zeros where f does not depend on a
 * tensor, as a penalty's gradient w.r.t. a bias can be) — to compare one backend's gradients with another's.
 */
export async function analyticGradients(
  f: (...v: tf.Tensor[]) => tf.Scalar,
  leaves: tf.Tensor[],
): Promise<number[][]> {
  const { value, grads } = tf.engine().gradients(() => f(...leaves), leaves, undefined, true);
  const values = await Promise.all(
    grads.map(async (g, i) =>
      g == null ? new Array<number>(leaves[i]!.size).fill(0) : Array.from(await g.data()),
    ),
  );
  tf.dispose([value, ...grads.filter((g): g is tf.Tensor => g != null)]);
  return values;
}
