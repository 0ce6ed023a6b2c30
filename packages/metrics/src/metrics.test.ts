import { useBackend } from '@gankit/backends';
import { grid25, normal, ring8 } from '@gankit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frechetDistance, StreamingMoments } from './frechet.js';
import { kernelDistance } from './kernel.js';
import { histogram2d, histogramDivergences, modeCoverage } from './modes.js';
import { precisionRecallDensityCoverage } from './prdc.js';

const gaussianSamples = (n: number, mean: number[], std: number[], seed: number) => {
  const g = normal(seed);
  const d = mean.length;
  return Float64Array.from({ length: n * d }, (_, i) => mean[i % d]! + std[i % d]! * g());
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Fréchet distance', () => {
  it('equals the closed form between two Gaussians (diagonal and rotated covariances)', () => {
    // diagonal: FID = ‖μ₁ − μ₂‖² + Σ (σ₁ − σ₂)²
    const a = { mean: [0, 1, 2], cov: [4, 0, 0, 0, 1, 0, 0, 0, 9] };
    const b = { mean: [1, 1, 0], cov: [1, 0, 0, 0, 1, 0, 0, 0, 4] };
    expect(frechetDistance(a, b)).toBeCloseTo(1 + 4 + (2 - 1) ** 2 + 0 + (3 - 2) ** 2, 10);
    // commuting full covariances: Σ and 4Σ → Tr(Σ + 4Σ − 2·2Σ) = Tr Σ
    const s = [2, 1, 1, 3];
    expect(frechetDistance({ mean: [0, 0], cov: s }, { mean: [0, 0], cov: s.map((v) => 4 * v) })).toBeCloseTo(
      5,
      10,
    );
    expect(frechetDistance(a, a)).toBeCloseTo(0, 10);
    expect(() => frechetDistance(a, { mean: [0], cov: [1] })).toThrow(/dimensions differ/);
  });

  it('streams moments in batches, and FID(x, x) ≈ 0 from samples', () => {
    const x = gaussianSamples(2000, [1, -1, 0.5, 2], [1, 2, 0.5, 1], 3);
    const whole = new StreamingMoments(4).add(x, 2000).result();
    const parts = new StreamingMoments(4).add(x.subarray(0, 1200), 300).add(x.subarray(1200), 1700).result();
    for (let i = 0; i < 16; i++) expect(parts.cov[i]).toBeCloseTo(whole.cov[i]!, 9);
    expect(whole.mean[3]).toBeCloseTo(2, 1);
    expect(whole.cov[5]).toBeCloseTo(4, 0); // var of the 2nd feature ≈ 2²
    expect(frechetDistance(whole, parts)).toBeCloseTo(0, 8);
    const y = gaussianSamples(2000, [1, -1, 0.5, 2], [1, 2, 0.5, 1], 4);
    const fid = frechetDistance(whole, new StreamingMoments(4).add(y, 2000).result());
    expect(fid).toBeGreaterThan(0);
    expect(fid).toBeLessThan(0.05); // same distribution, finite-sample bias only
  });
});

/** Precision, recall, density and coverage read literally from their definitions, in float64. */
function prdcReference(
  x: Float64Array,
  nx: number,
  y: Float64Array,
  ny: number,
  dim: number,
  kPr: number,
  kDc: number,
) {
  const d2 = (a: Float64Array, i: number, b: Float64Array, j: number) => {
    let s = 0;
    for (let t = 0; t < dim; t++) s += (a[i * dim + t]! - b[j * dim + t]!) ** 2;
    return s;
  };
  // squared distance to the k-th nearest other sample of the same set
  const radius = (a: Float64Array, n: number, k: number) =>
    Array.from({ length: n }, (_, i) => {
      const ds = Array.from({ length: n }, (_, j) => d2(a, i, a, j)).sort((p, q) => p - q);
      return ds[k]!; // ds[0] is the sample itself
    });
  const rxPr = radius(x, nx, kPr);
  const ryPr = radius(y, ny, kPr);
  const rxDc = radius(x, nx, kDc);
  let precision = 0;
  let density = 0;
  for (let j = 0; j < ny; j++) {
    let inside = false;
    for (let i = 0; i < nx; i++) {
      const d = d2(x, i, y, j);
      if (d < rxPr[i]!) inside = true;
      if (d < rxDc[i]!) density++;
    }
    if (inside) precision++;
  }
  let recall = 0;
  let coverage = 0;
  for (let i = 0; i < nx; i++) {
    let recalled = false;
    let covered = false;
    for (let j = 0; j < ny; j++) {
      const d = d2(x, i, y, j);
      if (d < ryPr[j]!) recalled = true;
      if (d < rxDc[i]!) covered = true;
    }
    if (recalled) recall++;
    if (covered) coverage++;
  }
  return {
    precision: precision / ny,
    recall: recall / nx,
    density: density / (kDc * ny),
    coverage: coverage / nx,
  };
}

/** Unbiased MMD² with the cubic kernel, all in float64 — the oracle for the backend implementation. */
function mmd2Reference(x: ArrayLike<number>, y: ArrayLike<number>, dim: number): number {
  const m = x.length / dim;
  const k = (a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number) => {
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += a[i * dim + t]! * b[j * dim + t]!;
    return (dot / dim + 1) ** 3;
  };
  let kxx = 0;
  let kyy = 0;
  let kxy = 0;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      if (a !== b) {
        kxx += k(x, a, x, b);
        kyy += k(y, a, y, b);
      }
      kxy += k(x, a, y, b);
    }
  }
  return (kxx + kyy) / (m * (m - 1)) - (2 * kxy) / (m * m);
}

describe('KID', () => {
  it('matches a float64 reference of the unbiased MMD² when one subset is the whole set', async () => {
    const x = gaussianSamples(300, new Array(16).fill(0), new Array(16).fill(1), 11);
    const z = gaussianSamples(300, new Array(16).fill(0.2), new Array(16).fill(1.1), 12);
    const r = await kernelDistance(x, z, 16, { subsets: 1, subsetSize: 300 });
    const expected = mmd2Reference(x, z, 16);
    expect(Math.abs(r.mean - expected)).toBeLessThan(1e-4 * Math.abs(expected) + 1e-6);
  });

  it('at small counts draws subsets of half the set (they differ, so the std means something), and refuses more', async () => {
    const x = gaussianSamples(500, new Array(8).fill(0), new Array(8).fill(1), 5);
    const y = gaussianSamples(500, new Array(8).fill(0), new Array(8).fill(1), 6);
    const r = await kernelDistance(x, y, 8, { subsets: 10 });
    expect(r).toMatchObject({ subsetSize: 250, shrunk: true, subsets: 10 });
    expect(r.std).toBeGreaterThan(0);
    await expect(kernelDistance(x, y, 8, { subsetSize: 1000 })).rejects.toThrow(
      /KID subsets of 1000 need at least 1000 samples of each set, got 500 real and 500 generated/,
    );
    await expect(kernelDistance(x, y, 8, { subsetSize: 500, subsets: 5 })).rejects.toThrow(
      /each the whole set of 500, so all 5 are the same/,
    );
  });

  it('is ≈ 0 in expectation for equal distributions and clearly positive for different ones', async () => {
    const x = gaussianSamples(1000, new Array(8).fill(0), new Array(8).fill(1), 5);
    const y = gaussianSamples(1000, new Array(8).fill(0), new Array(8).fill(1), 6);
    const z = gaussianSamples(1000, new Array(8).fill(0.5), new Array(8).fill(1), 7);
    const same = await kernelDistance(x, y, 8, { subsets: 20, subsetSize: 200, seed: 1 });
    const diff = await kernelDistance(x, z, 8, { subsets: 20, subsetSize: 200, seed: 1 });
    expect(Math.abs(same.mean)).toBeLessThan((3 * same.std) / Math.sqrt(20) + 1e-3); // unbiased: 0 within its error
    expect(diff.mean).toBeGreaterThan(10 * Math.abs(same.mean) + 0.01);
    expect(same).toMatchObject({ subsets: 20, subsetSize: 200, seed: 1 });
  });
});

describe('precision, recall, density and coverage', () => {
  it('equals a float64 brute-force reference of the four definitions, whatever the chunking', async () => {
    // Every pairwise distance in float64 and the definitions read literally (Kynkäänniemi et al. 2019, Naeem et
    // al. 2020). The published 10,000 × 10,000 example in 1,000 dimensions is the bench's (`pnpm bench`).
    const nReal = 700;
    const nFake = 600;
    const dim = 32;
    const x = gaussianSamples(nReal, new Array(dim).fill(0), new Array(dim).fill(1), 21);
    const y = gaussianSamples(nFake, new Array(dim).fill(0.1), new Array(dim).fill(1.1), 22);
    const expected = prdcReference(x, nReal, y, nFake, dim, 3, 5);
    const real = tf.tensor2d(Float32Array.from(x), [nReal, dim]);
    const fake = tf.tensor2d(Float32Array.from(y), [nFake, dim]);
    for (const chunk of [undefined, 64, 7]) {
      const r = await precisionRecallDensityCoverage(real, fake, { chunk });
      // float32 distances may flip a sample that lies on a ball's boundary: at most one per metric here
      expect(Math.abs(r.precision - expected.precision)).toBeLessThanOrEqual(1 / nFake);
      expect(Math.abs(r.recall - expected.recall)).toBeLessThanOrEqual(1 / nReal);
      expect(Math.abs(r.density - expected.density)).toBeLessThanOrEqual(1 / (5 * nFake));
      expect(Math.abs(r.coverage - expected.coverage)).toBeLessThanOrEqual(1 / nReal);
      expect(r).toMatchObject({
        realCount: nReal,
        fakeCount: nFake,
        kPrecisionRecall: 3,
        kDensityCoverage: 5,
      });
    }
    // the sample is large enough that the four numbers say something: neither 0 nor 1
    expect(expected.precision).toBeGreaterThan(0.2);
    expect(expected.recall).toBeLessThan(0.95);
    tf.dispose([real, fake]);
  });

  it('a collapsed generator has high precision, low recall and coverage', async () => {
    const real = tf.tidy(() => tf.randomNormal([600, 16], 0, 1, 'float32', 3)) as tf.Tensor2D;
    const fake = tf.tidy(() => tf.mul(tf.randomNormal([600, 16], 0, 1, 'float32', 4), 0.1)) as tf.Tensor2D;
    const r = await precisionRecallDensityCoverage(real, fake);
    expect(r.precision).toBeGreaterThan(0.9);
    expect(r.recall).toBeLessThan(0.1);
    expect(r.coverage).toBeLessThan(0.5);
    tf.dispose([real, fake]);
  });
});

describe('mixtures: the PacGAN protocol', () => {
  it('the true ring and grid score every mode and ≈ 98.9 % high quality', () => {
    for (const [dist, floor] of [
      [ring8(), 0.0014],
      [grid25(), 0.0048],
    ] as const) {
      const c = modeCoverage(dist.sample(2500, 11), 2, { modes: dist.modes!, sigma: dist.sigma! });
      expect(c.modesCovered).toBe(dist.modes!.length);
      expect(c.highQuality).toBeGreaterThan(0.98);
      expect(c.highQuality).toBeLessThan(0.995);
      expect(c.reverseKl).toBeLessThan(floor * 10); // finite-sample floor ≈ 0.0014 (ring) / 0.0048 (grid)
      expect(c.samples).toBe(2500);
    }
  });

  it('a generator collapsed onto one mode covers one mode, with reverse KL log 8', () => {
    const ring = ring8();
    const collapsed = Float64Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const c = modeCoverage(collapsed, 2, { modes: ring.modes!, sigma: ring.sigma! });
    expect(c.modesCovered).toBe(1);
    expect(c.reverseKl).toBeCloseTo(Math.log(8), 10);
  });

  it('histogram KL and JS: zero for equal histograms, JS ≤ log 2', () => {
    const ring = ring8();
    const p = histogram2d(ring.sample(5000, 1), 30, -1.5, 1.5);
    const q = histogram2d(ring.sample(5000, 2), 30, -1.5, 1.5);
    const far = histogram2d(
      Float64Array.from({ length: 10 }, () => 1.4),
      30,
      -1.5,
      1.5,
    );
    const self = histogramDivergences(p, p);
    expect(self.kl).toBeCloseTo(0, 6);
    expect(self.js).toBe(0);
    expect(histogramDivergences(p, q).js).toBeLessThan(0.01);
    expect(histogramDivergences(p, far).js).toBeCloseTo(Math.log(2), 6);
  });
});
