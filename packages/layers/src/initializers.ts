import { normalStream, uniformStream } from './rng.js';
import type { Rng, Shape } from './types.js';

/**
 * An initialiser fills a parameter of `shape` from a seed, in JavaScript (float64 arithmetic, float32 result), so
 * the same seed gives the same weights on every backend. Fans follow Keras: for a kernel `[..., in, out]` the
 * receptive field is the product of the leading dimensions.
 */
export type Initializer = (shape: Shape, rng: Rng) => Float32Array;

export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: receptive * shape[shape.length - 2]!, fanOut: receptive * shape[shape.length - 1]! };
}

const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

function uniform(shape: Shape, rng: Rng, limit: number): Float32Array {
  const u = uniformStream(rng);
  return Float32Array.from({ length: size(shape) }, () => (2 * u() - 1) * limit);
}

/** Keras's TruncatedNormal: N(mean, std²) redrawn outside two standard deviations. */
function truncatedNormal(shape: Shape, rng: Rng, std: number, mean = 0): Float32Array {
  const n = normalStream(rng);
  return Float32Array.from({ length: size(shape) }, () => {
    let v = n();
    while (Math.abs(v) > 2) v = n();
    return mean + std * v;
  });
}

/** Glorot/Xavier uniform, U(±√(6 / (fanIn + fanOut))) — the Keras default for kernels. */
export const glorotUniform = (): Initializer => (shape, rng) => {
  const { fanIn, fanOut } = fans(shape);
  return uniform(shape, rng, Math.sqrt(6 / (fanIn + fanOut)));
};

/** Glorot normal: truncated normal with σ = √(2 / (fanIn + fanOut)) / 0.8796 (Keras's correction). */
export const glorotNormal = (): Initializer => (shape, rng) => {
  const { fanIn, fanOut } = fans(shape);
  return truncatedNormal(shape, rng, Math.sqrt(2 / (fanIn + fanOut)) / 0.87962566103423978);
};

/** He normal (Keras): truncated normal with σ = √(2 / fanIn) / 0.8796; for ReLU layers. */
export const heNormal = (): Initializer => (shape, rng) =>
  truncatedNormal(shape, rng, Math.sqrt(2 / fans(shape).fanIn) / 0.87962566103423978);

/** He uniform: U(±√(6 / fanIn)). */
export const heUniform = (): Initializer => (shape, rng) =>
  uniform(shape, rng, Math.sqrt(6 / fans(shape).fanIn));

/** N(mean, std²), by default N(0, 0.02²) — the DCGAN paper's initialisation. */
export const randomNormal =
  (std = 0.02, mean = 0): Initializer =>
  (shape, rng) => {
    const n = normalStream(rng);
    return Float32Array.from({ length: size(shape) }, () => mean + std * n());
  };

/** U(lo, hi); Keras's Embedding default is U(−0.05, 0.05). */
export const randomUniform =
  (lo = -0.05, hi = 0.05): Initializer =>
  (shape, rng) => {
    const u = uniformStream(rng);
    return Float32Array.from({ length: size(shape) }, () => lo + (hi - lo) * u());
  };

export const zeros = (): Initializer => (shape) => new Float32Array(size(shape));
export const ones = (): Initializer => (shape) => new Float32Array(size(shape)).fill(1);
export const constant =
  (value: number): Initializer =>
  (shape) =>
    new Float32Array(size(shape)).fill(value);

/**
 * Orthogonal (Saxe et al. 2014): the kernel seen as a `[fanIn / receptive · receptive, out]` matrix has
 * orthonormal columns (or rows, when it is wide), times `gain`. QR of a Gaussian matrix by modified Gram–Schmidt
 * in float64 (run twice for orthogonality to machine precision). Gram–Schmidt gives the QR factor whose R has a
 * positive diagonal, which is the sign convention that makes Q Haar-distributed (what Keras and PyTorch get
 * by multiplying Householder QR's Q by sign(diag R)).
 */
export const orthogonal =
  (gain = 1): Initializer =>
  (shape, rng) => {
    const cols = shape.length < 2 ? 1 : shape[shape.length - 1]!;
    const rows = size(shape) / cols;
    const tall = rows >= cols;
    const [m, n] = tall ? [rows, cols] : [cols, rows];
    const normal = normalStream(rng);
    // columns of an m × n Gaussian matrix, m >= n
    const q = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => normal()));
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < n; j++) {
        const v = q[j]!;
        for (let k = 0; k < j; k++) {
          const u = q[k]!;
          let dot = 0;
          for (let i = 0; i < m; i++) dot += u[i]! * v[i]!;
          for (let i = 0; i < m; i++) v[i]! -= dot * u[i]!;
        }
        let norm = 0;
        for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
        norm = Math.sqrt(norm);
        for (let i = 0; i < m; i++) v[i]! /= norm;
      }
    }
    const out = new Float32Array(rows * cols);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        const value = gain * q[j]![i]!;
        if (tall) out[i * cols + j] = value;
        else out[j * cols + i] = value;
      }
    }
    return out;
  };
