import { foldIn, rngFromSeed, uniformStream } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureExtractor } from './extractors.js';
import { gaussianLatent, lerpInto, slerpInto, stepEnds } from './path-steps.js';
import type { MetricRecord } from './types.js';
import { yieldToEventLoop } from './yield.js';

/**
 * A generator as perceptual path length sees it: an optional mapping z → w and the network that draws images from
 * its input. A StyleGAN generator gives both (its mapping and synthesis networks) and is measured in W or in Z;
 * any other generator gives `synthesize` alone and is measured in Z.
 */
export interface PathLengthGenerator {
  /** The mapping network: z `[batch, latentDim]` → w `[batch, wDim]`. */
  map?: (z: tf.Tensor2D) => tf.Tensor2D;
  /**
   * Images `[batch, height, width, channels]` in the extractor's input range from w `[batch, wDim]` when `map` is
   * given, from z `[batch, latentDim]` otherwise. Called inside `tf.tidy`, so it must be synchronous; crop or
   * rescale here when the generator's images are not what the extractor takes (e.g. 32×32 in [−1, 1] → 28×28 in
   * [0, 1]), and broadcast w to per-layer styles (`[batch, layers, wDim]`) if the synthesis network takes them.
   */
  synthesize: (latents: tf.Tensor2D) => tf.Tensor4D;
}

export interface PathLengthOptions {
  generator: PathLengthGenerator;
  /** `z`: slerp between latents, through `map` when there is one; `w`: lerp between `map(z₁)` and `map(z₂)`. */
  space: 'z' | 'w';
  /** Size of z. */
  latentDim: number;
  /** The features whose squared distance is the perceptual distance (the shipped classifiers' 64 features). */
  extractor: Pick<FeatureExtractor, 'name' | 'version' | 'inputShape' | 'features'>;
  /** Pairs of latents (default 5,000: 10,000 images, FID's default cost; the paper uses 100,000). */
  pairs?: number;
  /** The step along the path (default 1e-4, the paper's; see the measurements in {@link perceptualPathLength}). */
  epsilon?: number;
  /** `full`: t ~ U(0, 1) (default); `end`: t = 0, the path's start (the paper's "end points"). */
  sampling?: 'full' | 'end';
  /** Share of the smallest and of the largest distances left out of the reported mean (default 0.01). */
  trim?: number;
  seed?: number;
  /** Pairs per batch (default 125: 250 images through the generator and the extractor at once). */
  batchSize?: number;
  /**
   * One z from a uniform [0, 1) stream (default N(0, I) by Box–Muller) — for generators whose latents are not
   * Gaussian.
   */
  sampleLatent?: (random: () => number, latentDim: number) => ArrayLike<number>;
}

/**
 * Perceptual path length (Karras et al. 2019, "A Style-Based Generator Architecture for GANs", §4.2): how much the
 * images change along short steps of latent interpolations,
 * PPL = E[(1/ε²) d(G(p(t)), G(p(t + ε)))], t ~ U(0, 1), where p interpolates between two random latents — slerp
 * in Z, lerp in W (w = map(z)) — and d is the squared L2 distance between `extractor` features (the paper uses
 * LPIPS). A generator whose images change smoothly scores low; one with abrupt changes along its paths scores high.
 *
 * As in the paper's code: the reported value is the mean after leaving out distances below the 1st and above the
 * 99th percentile (numpy's `lower` / `higher` percentiles); the raw mean, the number of pairs and the number kept
 * are in `details`. Pair i draws t, z₁ and z₂ from the seed and i alone, so the value does not depend on
 * `batchSize`.
 *
 * The slerp in Z turns z₁'s direction towards z₂'s at constant angular speed (the paper's slerp, which returns unit
 * vectors) while the norm goes linearly from ‖z₁‖ to ‖z₂‖: a generator that normalises z first (StyleGAN's mapping
 * does) sees exactly the paper's path, and one that does not (DCGAN) keeps Gaussian-sized inputs. Interpolation is
 * done in float64 and both ends of a step are generated in one batch.
 *
 * ε (default 1e-4, the paper's): a forward difference in float32 has a truncation error O(ε) and a rounding error:
 * the float32 rounding of the 64 features adds about N/ε² to every distance, N ≈ 2e-11 to 2e-10 with the shipped
 * MNIST classifier (cpu and wasm). Measured on the same 500 pairs, the demo's trained MNIST DCGAN (PPL_Z ≈ 3,235)
 * scores 2,728 / 3,208 / 3,244 / 3,235 / 3,237 at ε = 1e-1 / 1e-2 / 1e-3 / 1e-4 / 1e-5 (wasm; cpu within 0.1 %),
 * then 3,415 at 1e-6 and 10,227 at 1e-7; an untrained dense generator (PPL_Z ≈ 4.15, 200 pairs) 4.137 / 4.146 /
 * 4.162 at 1e-2 / 1e-3 / 1e-4, then 5.22 at 1e-5 and 45.8 at 1e-6. At 1e-4 rounding adds ≈ 0.002–0.02 (0.4 % of
 * the smoothest generator's score, nothing of a trained one's) and truncation is below 0.1 %, so the paper's ε
 * stays; for a generator that scores below ~1 use ε = 1e-3.
 *
 * @example
 * const [record] = await perceptualPathLength({
 *   generator: { map: mapping, synthesize: synthesis }, // StyleGAN: z → w, w → [n, 28, 28, 1] in [0, 1]
 *   space: 'w',
 *   latentDim: 64,
 *   extractor: await loadShippedExtractor('mnist'),
 *   pairs: 2000,
 *   seed: 1,
 * });
 * console.log(record.metric, record.value, record.details); // ppl-w 41.2 { mean: 44.9, pairs: 2000, kept: 1960, … }
 */
export async function perceptualPathLength(options: PathLengthOptions): Promise<MetricRecord[]> {
  const {
    generator,
    space,
    latentDim,
    extractor,
    pairs = 5000,
    epsilon = 1e-4,
    sampling = 'full',
    trim = 0.01,
    seed = 0,
    batchSize = 125,
    sampleLatent = gaussianLatent,
  } = options;
  checkOptions(options, { pairs, epsilon, sampling, trim, seed, batchSize });
  const { map, synthesize } = generator;
  const root = rngFromSeed(seed);
  const distances = new Float64Array(pairs);
  for (let start = 0; start < pairs; start += batchSize) {
    const size = Math.min(batchSize, pairs - start);
    // Each pair's t and end points come from its own stream, so batches do not shift the draws.
    const ts = new Float64Array(size);
    const ends = new Float64Array(2 * size * latentDim);
    for (let i = 0; i < size; i++) {
      const random = uniformStream(foldIn(root, start + i));
      const t = random();
      ts[i] = sampling === 'full' ? t : 0;
      for (let e = 0; e < 2; e++) {
        const z = sampleLatent(random, latentDim);
        if (z.length !== latentDim)
          throw new Error(`sampleLatent gave ${z.length} values; latentDim is ${latentDim}`);
        const at = (2 * i + e) * latentDim;
        for (let j = 0; j < latentDim; j++) ends[at + j] = z[j]!;
      }
    }
    let points: Float32Array;
    let dim: number;
    if (space === 'w') {
      // Map z₁ and z₂ once, read w back and interpolate in float64.
      const w = tf.tidy(() => map!(tf.tensor2d(Float32Array.from(ends), [2 * size, latentDim])));
      try {
        if (w.rank !== 2 || w.shape[0] !== 2 * size)
          throw new Error(
            `map gave w of shape [${w.shape}] for ${2 * size} latents; expected [${2 * size}, wDim]`,
          );
        dim = w.shape[1];
        points = stepEnds(Float64Array.from(await w.data()), ts, dim, epsilon, lerpInto);
      } finally {
        w.dispose();
      }
    } else {
      dim = latentDim;
      points = stepEnds(ends, ts, dim, epsilon, slerpInto);
    }
    const d = tf.tidy(() => {
      const latents = tf.tensor2d(points, [2 * size, dim]);
      const images = space === 'z' && map != null ? synthesize(map(latents)) : synthesize(latents);
      checkImages(images, 2 * size, extractor);
      const f = extractor.features(images);
      const [f0, f1] = tf.split(f, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
      return tf.sum(tf.square(tf.sub(f0, f1)), 1);
    });
    try {
      const v = await d.data();
      for (let i = 0; i < size; i++) distances[start + i] = v[i]! / (epsilon * epsilon);
    } finally {
      d.dispose();
    }
    await yieldToEventLoop();
  }
  const filtered = trimmedMean(distances, trim);
  if (!Number.isFinite(filtered.mean))
    throw new Error(
      `perceptual path length is not finite (${filtered.mean}): the generator or the extractor gave NaN or ∞`,
    );
  return [
    {
      metric: `ppl-${space}`,
      value: filtered.mean,
      details: { mean: mean(distances), pairs, kept: filtered.kept, low: filtered.low, high: filtered.high },
      samples: { generated: 2 * pairs },
      extractor: { name: extractor.name, version: extractor.version },
      settings: {
        space,
        interpolation: space === 'z' ? 'slerp' : 'lerp',
        sampling,
        epsilon,
        trim,
        distance: 'squared L2 of features',
      },
      seed,
    },
  ];
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/**
 * The mean of the values between the `trim` and `1 − trim` quantiles, both included — numpy's
 * `percentile(x, 100·trim, interpolation='lower')` and `percentile(x, 100·(1 − trim), interpolation='higher')`, as
 * StyleGAN's code filters its distances.
 */
export function trimmedMean(
  values: ArrayLike<number>,
  trim: number,
): { mean: number; kept: number; low: number; high: number } {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const low = sorted[Math.floor(trim * (n - 1))]!;
  const high = sorted[Math.ceil((1 - trim) * (n - 1))]!;
  let sum = 0;
  let kept = 0;
  for (const v of sorted) {
    if (v >= low && v <= high) {
      sum += v;
      kept++;
    }
  }
  return { mean: sum / kept, kept, low, high };
}

function checkImages(
  images: tf.Tensor,
  count: number,
  extractor: Pick<FeatureExtractor, 'name' | 'inputShape'>,
): asserts images is tf.Tensor4D {
  const [eh, ew, ec] = extractor.inputShape;
  const [n, h, w, c] = images.shape;
  if (images.rank !== 4 || n !== count || h !== eh || w !== ew || c !== ec)
    throw new Error(
      `${extractor.name} expects [${count}, ${eh}, ${ew}, ${ec}] images; synthesize gave [${images.shape}] — ` +
        'crop or rescale in synthesize, or use an extractor made for these images',
    );
}

function checkOptions(
  o: PathLengthOptions,
  d: { pairs: number; epsilon: number; sampling: string; trim: number; seed: number; batchSize: number },
): void {
  const fail = (message: string) => {
    throw new Error(`perceptualPathLength: ${message}`);
  };
  if (o.space !== 'z' && o.space !== 'w') fail(`space must be 'z' or 'w', got '${o.space}'`);
  if (o.space === 'w' && o.generator.map == null)
    fail(
      "space 'w' needs the generator's mapping network (generator.map: z → w); this generator has no W — " +
        "measure it in 'z'",
    );
  if (!Number.isInteger(o.latentDim) || o.latentDim < 1)
    fail(`latentDim must be a positive integer, got ${o.latentDim}`);
  if (!Number.isInteger(d.pairs) || d.pairs < 1) fail(`pairs must be a positive integer, got ${d.pairs}`);
  if (!(d.epsilon > 0 && d.epsilon < 1)) fail(`epsilon must be in (0, 1), got ${d.epsilon}`);
  if (d.sampling !== 'full' && d.sampling !== 'end')
    fail(`sampling must be 'full' or 'end', got '${d.sampling}'`);
  if (!(d.trim >= 0 && d.trim < 0.5)) fail(`trim must be in [0, 0.5), got ${d.trim}`);
  if (!Number.isInteger(d.seed)) fail(`seed must be an integer, got ${d.seed}`);
  if (!Number.isInteger(d.batchSize) || d.batchSize < 1)
    fail(`batchSize must be a positive integer, got ${d.batchSize}`);
}
