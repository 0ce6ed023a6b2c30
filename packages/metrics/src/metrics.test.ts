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
  it("reproduces Naeem et al.'s README example: 10,000 vs 10,000 from N(0, I₁₀₀₀), k = 5", async () => {
    const real = tf.tidy(() => tf.randomNormal([10_000, 1000], 0, 1, 'float32', 1)) as tf.Tensor2D;
    const fake = tf.tidy(() => tf.randomNormal([10_000, 1000], 0, 1, 'float32', 2)) as tf.Tensor2D;
    const r = await precisionRecallDensityCoverage(real, fake, {
      kPrecisionRecall: 5,
      kDensityCoverage: 5,
      chunk: 500,
    });
    // published: precision 0.477, recall 0.471, density 1.056, coverage 0.974
    expect(r.precision).toBeGreaterThan(0.44);
    expect(r.precision).toBeLessThan(0.51);
    expect(r.recall).toBeGreaterThan(0.44);
    expect(r.recall).toBeLessThan(0.51);
    expect(r.density).toBeGreaterThan(1.0);
    expect(r.density).toBeLessThan(1.11);
    expect(r.coverage).toBeGreaterThan(0.96);
    expect(r.coverage).toBeLessThan(0.99);
    expect(r).toMatchObject({ realCount: 10_000, fakeCount: 10_000 });
    tf.dispose([real, fake]);
  }, 900_000);

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
