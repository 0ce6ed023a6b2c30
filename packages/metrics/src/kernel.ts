import { uniform } from '@gankit/datasets';

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

/** Unbiased MMD² between two row-major feature sets of `dim` columns (rows chosen by `ix`, `iy`). */
function mmd2(x: ArrayLike<number>, ix: number[], y: ArrayLike<number>, iy: number[], dim: number): number {
  const k = (a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number) => {
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += a[i * dim + t]! * b[j * dim + t]!;
    return (dot / dim + 1) ** 3;
  };
  const m = ix.length;
  let kxx = 0;
  let kyy = 0;
  let kxy = 0;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      if (a !== b) {
        kxx += k(x, ix[a]!, x, ix[b]!);
        kyy += k(y, iy[a]!, y, iy[b]!);
      }
      kxy += k(x, ix[a]!, y, iy[b]!);
    }
  }
  return kxx / (m * (m - 1)) + kyy / (m * (m - 1)) - (2 * kxy) / (m * m);
}

/**
 * KID between real and generated features (`[n, dim]` row-major each): mean and standard deviation of the unbiased
 * MMD² over `subsets` random subsets of `subsetSize` (defaults 100 × 1000, as in the reference implementation).
 */
export function kernelDistance(
  real: ArrayLike<number>,
  fake: ArrayLike<number>,
  dim: number,
  options: { subsets?: number; subsetSize?: number; seed?: number } = {},
): KidResult {
  const { subsets = 100, seed = 0 } = options;
  const nReal = real.length / dim;
  const nFake = fake.length / dim;
  const subsetSize = Math.min(options.subsetSize ?? 1000, nReal, nFake);
  if (subsetSize < 2)
    throw new Error(`KID needs at least 2 samples per set, got ${nReal} real and ${nFake} generated`);
  const rand = uniform(seed);
  const values = Array.from({ length: subsets }, () =>
    mmd2(real, sample(nReal, subsetSize, rand), fake, sample(nFake, subsetSize, rand), dim),
  );
  const mean = values.reduce((s, v) => s + v, 0) / subsets;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, subsets - 1));
  return { mean, std, subsets, subsetSize, seed };
}
