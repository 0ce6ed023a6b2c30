import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from './yield.js';

/**
 * Squared Euclidean distances between row chunks of `a` and all rows of `b` (both `[n, dim]`), computed with the
 * active tfjs backend (‖a‖² + ‖b‖² − 2abᵀ) and handed to `visit` one chunk at a time: 10,000 × 10,000 never
 * exists as one matrix. `chunk` is the number of rows per chunk; by default as many as keep one chunk's matrix
 * within 4M values (16 MB), and at most two such matrices are alive at once.
 */
async function forEachDistanceChunk(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  chunk: number | undefined,
  visit: (rowStart: number, rows: number, d2: Float32Array) => void,
): Promise<void> {
  const nb = b.shape[0];
  const step = chunk ?? Math.max(1, Math.floor(4_194_304 / nb));
  const bNorms = tf.tidy(() => tf.reshape(tf.sum(tf.square(b), 1), [1, nb]));
  const bT = tf.tidy(() => tf.mul(tf.transpose(b), -2)); // once, so every chunk is a plain matMul
  // each step frees its input at once, so a chunk never holds more than two row-block matrices
  const then = (x: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor) => {
    const y = f(x);
    x.dispose();
    return y;
  };
  for (let start = 0; start < a.shape[0]; start += step) {
    const rows = Math.min(step, a.shape[0] - start);
    const part = tf.slice(a, [start, 0], [rows, -1]);
    const aNorms = tf.tidy(() => tf.sum(tf.square(part), 1, true));
    let d2 = then(part, (p) => tf.matMul(p, bT));
    d2 = then(d2, (x) => tf.add(x, bNorms));
    d2 = then(d2, (x) => tf.add(x, aNorms));
    d2 = then(d2, (x) => tf.relu(x));
    aNorms.dispose();
    const values = (await d2.data()) as Float32Array;
    d2.dispose();
    visit(start, rows, values);
    await yieldToEventLoop();
  }
  tf.dispose([bNorms, bT]);
}

/** k-th smallest value of `row` (k ≥ 1), by partial selection. */
function kthSmallest(row: Float32Array, k: number): number {
  const best = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  for (const v of row) {
    if (v >= best[k - 1]!) continue;
    let i = k - 1;
    while (i > 0 && best[i - 1]! > v) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = v;
  }
  return best[k - 1]!;
}

/** Squared distance of each row to its k-th nearest other row of the same set. */
async function kNearestRadii(x: tf.Tensor2D, k: number, chunk?: number): Promise<Float64Array> {
  const n = x.shape[0];
  if (n <= k) throw new Error(`k-nearest neighbours with k = ${k} need more than ${k} samples, got ${n}`);
  const radii = new Float64Array(n);
  await forEachDistanceChunk(x, x, chunk, (start, rows, d2) => {
    for (let r = 0; r < rows; r++) {
      // k + 1: the nearest "neighbour" of a sample is itself, at distance 0
      radii[start + r] = kthSmallest(d2.subarray(r * n, (r + 1) * n), k + 1);
    }
  });
  return radii;
}

export interface PrdcResult {
  precision: number;
  recall: number;
  density: number;
  coverage: number;
  /** The k used for precision/recall, and for density/coverage. */
  kPrecisionRecall: number;
  kDensityCoverage: number;
  realCount: number;
  fakeCount: number;
}

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, k = 3 by default) and density and coverage (Naeem et al.
 * 2020, k = 5) between real and generated features. Each sample's manifold ball has the radius of its k-th nearest
 * neighbour within its own set; precision is the share of fakes inside the real manifold, recall the share of
 * reals inside the fake one, density counts real balls containing each fake (÷ k), coverage is the share of real
 * balls with at least one fake. Distances are computed in chunks on the active tfjs backend.
 */
export async function precisionRecallDensityCoverage(
  real: tf.Tensor2D,
  fake: tf.Tensor2D,
  options: { kPrecisionRecall?: number; kDensityCoverage?: number; chunk?: number } = {},
): Promise<PrdcResult> {
  const { kPrecisionRecall = 3, kDensityCoverage = 5, chunk } = options;
  if (real.shape[1] !== fake.shape[1])
    throw new Error(`feature sizes differ: real ${real.shape[1]}, generated ${fake.shape[1]}`);
  const nReal = real.shape[0];
  const nFake = fake.shape[0];
  const realR = await kNearestRadii(real, kPrecisionRecall, chunk);
  const fakeR = await kNearestRadii(fake, kPrecisionRecall, chunk);
  const realRd =
    kDensityCoverage === kPrecisionRecall ? realR : await kNearestRadii(real, kDensityCoverage, chunk);
  const inRealManifold = new Uint8Array(nFake);
  const recalled = new Uint8Array(nReal);
  const covered = new Uint8Array(nReal);
  let densityCount = 0;
  await forEachDistanceChunk(fake, real, chunk, (start, rows, d2) => {
    for (let r = 0; r < rows; r++) {
      const j = start + r;
      const row = d2.subarray(r * nReal, (r + 1) * nReal);
      for (let i = 0; i < nReal; i++) {
        const d = row[i]!;
        if (d < realR[i]!) inRealManifold[j] = 1;
        if (d < fakeR[j]!) recalled[i] = 1;
        if (d < realRd[i]!) {
          densityCount++;
          covered[i] = 1;
        }
      }
    }
  });
  const share = (flags: Uint8Array) => flags.reduce((s, v) => s + v, 0) / flags.length;
  return {
    precision: share(inRealManifold),
    recall: share(recalled),
    density: densityCount / (kDensityCoverage * nFake),
    coverage: share(covered),
    kPrecisionRecall,
    kDensityCoverage,
    realCount: nReal,
    fakeCount: nFake,
  };
}
