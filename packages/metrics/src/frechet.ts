import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Streaming mean and covariance of feature vectors in float64: batches are added as they are extracted, so 10,000
 * or 50,000 samples never need to be held at once. Covariance with N − 1 normalisation, as FID defines it.
 */
export class StreamingMoments {
  readonly dim: number;
  private n = 0;
  private readonly sum: Float64Array;
  private readonly outer: Float64Array;

  constructor(dim: number) {
    if (!Number.isInteger(dim) || dim <= 0)
      throw new Error(`StreamingMoments: dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.sum = new Float64Array(dim);
    this.outer = new Float64Array(dim * dim);
  }

  /** Adds `count` row-major feature vectors. */
  add(features: ArrayLike<number>, count: number): this {
    const d = this.dim;
    if (features.length !== count * d)
      throw new Error(`StreamingMoments.add: ${features.length} values are not ${count} × ${d}`);
    const row = new Float64Array(d);
    for (let r = 0; r < count; r++) {
      for (let i = 0; i < d; i++) row[i] = features[r * d + i]!;
      for (let i = 0; i < d; i++) {
        const xi = row[i]!;
        this.sum[i]! += xi;
        const base = i * d;
        for (let j = i; j < d; j++) this.outer[base + j]! += xi * row[j]!;
      }
    }
    this.n += count;
    return this;
  }

  get count(): number {
    return this.n;
  }

  /** Mean vector and covariance matrix (N − 1 normalised). */
  result(): { mean: Float64Array; cov: Float64Array; count: number } {
    const { n, dim: d } = this;
    if (n < 2) throw new Error(`covariance needs at least 2 samples, got ${n}`);
    const mean = this.sum.map((s) => s / n);
    const cov = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const c = (this.outer[i * d + j]! - n * mean[i]! * mean[j]!) / (n - 1);
        cov[i * d + j] = c;
        cov[j * d + i] = c;
      }
    }
    return { mean, cov, count: n };
  }
}

function symmetricSqrt(m: Matrix): Matrix {
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = eig.eigenvectorMatrix;
  const roots = eig.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0)));
  return v.mmul(Matrix.diag(roots)).mmul(v.transpose());
}

/**
 * Fréchet distance between Gaussians N(μ₁, Σ₁) and N(μ₂, Σ₂):
 * ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½), with Tr((Σ₁Σ₂)^½) = Σ √λᵢ of the symmetric PSD matrix Σ₁^½ Σ₂ Σ₁^½ — two
 * symmetric eigendecompositions (ml-matrix), no general matrix square root and no complex parts to discard.
 */
export function frechetDistance(
  a: { mean: ArrayLike<number>; cov: ArrayLike<number> },
  b: { mean: ArrayLike<number>; cov: ArrayLike<number> },
): number {
  const d = a.mean.length;
  if (b.mean.length !== d || a.cov.length !== d * d || b.cov.length !== d * d) {
    throw new Error(`frechetDistance: dimensions differ (${a.mean.length} vs ${b.mean.length})`);
  }
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
  const toMatrix = (c: ArrayLike<number>) =>
    new Matrix(Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => c[i * d + j]!)));
  const s1 = toMatrix(a.cov);
  const s2 = toMatrix(b.cov);
  const root1 = symmetricSqrt(s1);
  const m = root1.mmul(s2).mmul(root1);
  const sym = m.add(m.transpose()).div(2); // symmetric up to rounding
  const eig = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const traceSqrt = eig.realEigenvalues.reduce((s, l) => s + Math.sqrt(Math.max(l, 0)), 0);
  return meanTerm + s1.trace() + s2.trace() - 2 * traceSqrt;
}
