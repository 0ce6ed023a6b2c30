import { normal, uniform } from './random.js';

/**
 * A low-dimensional distribution with what the metrics need to know about it: mode centres and σ for the
 * PacGAN/VEEGAN mode-coverage protocol, and the density where it has a closed form.
 */
export interface ToyDistribution {
  name: string;
  dim: number;
  /** `n` samples, row-major `[n, dim]`, reproducible from `seed`. */
  sample(n: number, seed: number): Float32Array;
  /** Mode centres, for mixtures. */
  modes?: number[][];
  /** Standard deviation of each mode, for mixtures of isotropic Gaussians. */
  sigma?: number;
  /** The density at a point, where it has a closed form. */
  density?(x: number[]): number;
}

const gaussianDensity = (x: number[], mean: number[], sigma: number) => {
  const d = x.length;
  const sq = x.reduce((s, v, i) => s + (v - mean[i]!) ** 2, 0);
  return Math.exp(-sq / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma) ** (d / 2);
};

/** An equal-weight mixture of isotropic Gaussians with a common σ. */
export function gaussianMixture(name: string, means: number[][], sigma: number): ToyDistribution {
  if (means.length === 0) throw new Error(`${name}: a mixture needs at least one mode`);
  const dim = means[0]!.length;
  if (means.some((m) => m.length !== dim)) throw new Error(`${name}: every mode needs ${dim} coordinates`);
  if (!(sigma > 0)) throw new Error(`${name}: sigma must be positive, got ${sigma}`);
  return {
    name,
    dim,
    modes: means,
    sigma,
    sample(n, seed) {
      const pick = uniform(seed);
      const noise = normal(seed ^ 0x9e3779b9);
      const out = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        const m = means[Math.floor(pick() * means.length)]!;
        for (let k = 0; k < dim; k++) out[i * dim + k] = m[k]! + sigma * noise();
      }
      return out;
    },
    density: (x) => means.reduce((s, m) => s + gaussianDensity(x, m, sigma), 0) / means.length,
  };
}

/**
 * The ring of 8 (PacGAN/VEEGAN protocol): modes at (cos 2πi/8, sin 2πi/8), i = 0..7, radius 1, σ = 0.01 — eight
 * distinct centres (not `linspace(0, 2π, 8)`, which repeats one).
 */
export function ring8(options: { radius?: number; sigma?: number } = {}): ToyDistribution {
  const { radius = 1, sigma = 0.01 } = options;
  const means = Array.from({ length: 8 }, (_, i) => [
    radius * Math.cos((2 * Math.PI * i) / 8),
    radius * Math.sin((2 * Math.PI * i) / 8),
  ]);
  return gaussianMixture('ring8', means, sigma);
}

/** The grid of 25 (PacGAN protocol): modes at {−4, −2, 0, 2, 4}², σ = 0.05. */
export function grid25(options: { sigma?: number } = {}): ToyDistribution {
  const ticks = [-4, -2, 0, 2, 4];
  return gaussianMixture(
    'grid25',
    ticks.flatMap((x) => ticks.map((y) => [x, y])),
    options.sigma ?? 0.05,
  );
}

/**
 * The seed lecture's 1-D example: data from N(mean, std²) — or, with several means, an equal mixture — for a
 * generator to match.
 */
export function gaussian1d(options: { means?: number[]; std?: number } = {}): ToyDistribution {
  const { means = [4], std = 0.5 } = options;
  return gaussianMixture(
    means.length === 1 ? 'gauss1d' : 'gauss1d-mixture',
    means.map((m) => [m]),
    std,
  );
}

/** Two interleaved spirals in 2-D (no closed-form density). */
export function spirals(options: { noise?: number; turns?: number } = {}): ToyDistribution {
  const { noise = 0.05, turns = 1.5 } = options;
  return {
    name: 'spirals',
    dim: 2,
    sample(n, seed) {
      const u = uniform(seed);
      const g = normal(seed ^ 0x85ebca6b);
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        const t = Math.sqrt(u()) * turns * 2 * Math.PI;
        const sign = u() < 0.5 ? 1 : -1;
        const r = t / (turns * 2 * Math.PI);
        out[2 * i] = sign * r * Math.cos(t) + noise * g();
        out[2 * i + 1] = sign * r * Math.sin(t) + noise * g();
      }
      return out;
    },
  };
}

/** The 2-D swiss roll: (t cos t, t sin t) / 10 for t ∈ [1.5π, 4.5π], plus Gaussian noise. */
export function swissRoll(options: { noise?: number } = {}): ToyDistribution {
  const { noise = 0.05 } = options;
  return {
    name: 'swiss-roll',
    dim: 2,
    sample(n, seed) {
      const u = uniform(seed);
      const g = normal(seed ^ 0xc2b2ae35);
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        const t = 1.5 * Math.PI * (1 + 2 * u());
        out[2 * i] = (t * Math.cos(t)) / 10 + noise * g();
        out[2 * i + 1] = (t * Math.sin(t)) / 10 + noise * g();
      }
      return out;
    },
  };
}

/**
 * Points supplied by the user (the demo's drawing canvas): each sample is one of them plus N(0, σ²) jitter. The
 * points are the modes.
 */
export function userPoints(points: number[][], options: { sigma?: number } = {}): ToyDistribution {
  if (points.length === 0) throw new Error('userPoints: draw or pass at least one point');
  return gaussianMixture('user-points', points, options.sigma ?? 0.02);
}

/** Toy distributions by name. */
export const TOY_DISTRIBUTIONS = {
  ring8,
  grid25,
  gauss1d: gaussian1d,
  spirals,
  'swiss-roll': swissRoll,
} as const;
