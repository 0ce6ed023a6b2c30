/**
 * The latent paths perceptual path length steps along (path-length.ts): Gaussian end points, and each step's two
 * ends by lerp (in W) or the paper's slerp (in Z), computed in float64.
 */
import { gaussian } from '@gankit/layers';

/** z ~ N(0, I) (Box–Muller). */
export function gaussianLatent(random: () => number, latentDim: number): Float64Array {
  const z = new Float64Array(latentDim);
  for (let j = 0; j < latentDim; j++) z[j] = gaussian(random);
  return z;
}

type Interpolate = (out: Float32Array, at: number, a: Float64Array, b: Float64Array, t: number) => void;

/**
 * `[2n, dim]` float32: rows 0…n−1 the path at t, rows n…2n−1 at t + ε, for the pairs of end points `ends`
 * (`[2n, dim]`, pair i in rows 2i and 2i + 1).
 */
export function stepEnds(
  ends: Float64Array,
  ts: Float64Array,
  dim: number,
  epsilon: number,
  interpolate: Interpolate,
): Float32Array {
  const n = ts.length;
  const out = new Float32Array(2 * n * dim);
  for (let i = 0; i < n; i++) {
    const a = ends.subarray(2 * i * dim, (2 * i + 1) * dim);
    const b = ends.subarray((2 * i + 1) * dim, (2 * i + 2) * dim);
    interpolate(out, i * dim, a, b, ts[i]!);
    interpolate(out, (n + i) * dim, a, b, ts[i]! + epsilon);
  }
  return out;
}

export function lerpInto(out: Float32Array, at: number, a: Float64Array, b: Float64Array, t: number) {
  for (let j = 0; j < a.length; j++) out[at + j] = a[j]! + t * (b[j]! - a[j]!);
}

/**
 * The paper's slerp on directions — â rotated towards b̂ by t·Ω in their plane — times a norm going linearly from
 * ‖a‖ to ‖b‖. Nearly parallel directions fall back to a straight line.
 */
export function slerpInto(out: Float32Array, at: number, a: Float64Array, b: Float64Array, t: number) {
  const na = Math.hypot(...a);
  const nb = Math.hypot(...b);
  let dot = 0;
  for (let j = 0; j < a.length; j++) dot += (a[j]! / na) * (b[j]! / nb);
  dot = Math.min(1, Math.max(-1, dot));
  const omega = Math.acos(dot);
  const norm = (1 - t) * na + t * nb;
  // c: the unit vector in the plane of a and b, orthogonal to â.
  const c = new Float64Array(a.length);
  for (let j = 0; j < a.length; j++) c[j] = b[j]! / nb - dot * (a[j]! / na);
  const nc = Math.hypot(...c);
  if (!(nc > 1e-12)) {
    lerpInto(out, at, a, b, t);
    return;
  }
  const cos = Math.cos(t * omega);
  const sin = Math.sin(t * omega);
  for (let j = 0; j < a.length; j++) out[at + j] = norm * ((a[j]! / na) * cos + (c[j]! / nc) * sin);
}
