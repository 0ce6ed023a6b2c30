import type { ImageDataset } from '@gankit/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureExtractor } from './extractors.js';
import {
  checkImageMetrics,
  defaultImageMetrics,
  IMAGE_METRIC_NAMES,
  IMAGE_METRICS,
  type ImageMetric,
} from './image-metrics.js';
import { histogram1d, histogram2d, histogramDivergences, modeCoverage } from './modes.js';
import { stackedMnistModes } from './stacked.js';
import type { ExtractedFeatures, ImageSource, MetricRecord } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** An image source over a dataset's stored images (uint8 → [0, 1]), from `offset` on. */
export function datasetImages(dataset: ImageDataset, offset = 0): ImageSource {
  const [h, w, c] = dataset.shape;
  const per = h * w * c;
  return (start, size) => {
    const first = offset + start;
    if (first + size > dataset.count) {
      throw new Error(
        `${dataset.name} (${dataset.split}) has ${dataset.count} images; samples ${first}–${first + size - 1} ` +
          'were asked for — evaluate on fewer samples',
      );
    }
    const bytes = dataset.images.subarray(first * per, (first + size) * per);
    return tf.tidy(() => tf.div<tf.Tensor4D>(tf.tensor4d(Float32Array.from(bytes), [size, h, w, c]), 255));
  };
}

/** An image source over a tensor of images already in [0, 1] (kept; slices are handed out). */
export function tensorImages(images: tf.Tensor4D): ImageSource {
  return (start, size) => {
    if (start + size > images.shape[0])
      throw new Error(
        `the tensor has ${images.shape[0]} images; samples up to ${start + size} were asked for`,
      );
    return tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1]);
  };
}

/**
 * Runs `extractor` over `count` images of `source` in batches; only the features (and probabilities) are kept,
 * so memory grows with count × featureDim, not with the images.
 */
export async function extractFeatures(
  extractor: FeatureExtractor,
  source: ImageSource,
  count: number,
  options: { batchSize?: number; probabilities?: boolean } = {},
): Promise<ExtractedFeatures> {
  const { batchSize = 250, probabilities = false } = options;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`the number of samples must be a positive integer, got ${count}`);
  if (probabilities && extractor.logits == null)
    throw new Error(`${extractor.name} is not a classifier: it gives no class probabilities`);
  const dim = extractor.featureDim;
  const features = new Float32Array(count * dim);
  let probs: Float32Array | undefined;
  let classes: number | undefined;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const images = await source(start, size);
    try {
      const [, h, w, c] = images.shape;
      const [eh, ew, ec] = extractor.inputShape;
      if (images.shape[0] !== size || h !== eh || w !== ew || c !== ec) {
        throw new Error(
          `${extractor.name} expects [${size}, ${eh}, ${ew}, ${ec}] images in [0, 1]; the source gave ` +
            `[${images.shape}] — use an extractor made for these images`,
        );
      }
      const f = extractor.features(images);
      features.set(await f.data(), start * dim);
      f.dispose();
      if (probabilities) {
        const p = tf.tidy(() => tf.softmax(extractor.logits!(images)));
        classes ??= p.shape[1];
        probs ??= new Float32Array(count * classes);
        probs.set((await p.data()) as Float32Array, start * classes);
        p.dispose();
      }
    } finally {
      images.dispose();
    }
    await yieldToEventLoop();
  }
  return { count, dim, features, probabilities: probs, classes };
}

export type { ImageMetric } from './image-metrics.js';
export type { ExtractedFeatures, ImageSource, MetricRecord } from './types.js';

export interface ImageEvaluationOptions {
  extractor: FeatureExtractor;
  generated: ImageSource;
  /** Real images (needed by every metric except the classifier score). */
  real?: ImageSource;
  /** Generated samples (default 10,000). */
  count?: number;
  /** Real samples (default: `count`). */
  realCount?: number;
  /** Default: FID, KID, precision/recall/density/coverage, and the classifier score when the extractor classifies. */
  metrics?: ImageMetric[];
  /** The seed the generated source samples with; also seeds KID's subsets. Recorded with every result. */
  seed?: number;
  batchSize?: number;
  kid?: { subsets?: number; subsetSize?: number };
  prdc?: { kPrecisionRecall?: number; kDensityCoverage?: number; chunk?: number };
}

/**
 * Evaluates generated images against real ones in the feature space of `extractor`: each metric comes back as a
 * {@link MetricRecord} with the sample counts, the extractor's name and version, its settings and the seed.
 * Features are extracted once per set and shared by all metrics; distances are chunked (10,000 × 10,000 never
 * exists as one matrix).
 */
export async function evaluateImages(options: ImageEvaluationOptions): Promise<MetricRecord[]> {
  const { extractor, generated, real, count = 10_000, seed = 0, batchSize } = options;
  const realCount = options.realCount ?? count;
  const metrics = options.metrics ?? defaultImageMetrics(extractor);
  checkImageMetrics(metrics);
  const withReal = metrics.filter((m) => IMAGE_METRICS[m].needsReal);
  if (withReal.length > 0 && real == null) throw new Error(`${withReal.join(', ')} need real images`);
  const fake = await extractFeatures(extractor, generated, count, {
    batchSize,
    probabilities: metrics.some((m) => IMAGE_METRICS[m].needsProbabilities),
  });
  const reals =
    withReal.length > 0 ? await extractFeatures(extractor, real!, realCount, { batchSize }) : undefined;
  const ctx = {
    fake,
    reals,
    seed,
    options,
    samples: { real: reals?.count, generated: fake.count },
    extractor: { name: extractor.name, version: extractor.version },
  };
  const records: MetricRecord[] = [];
  for (const m of IMAGE_METRIC_NAMES)
    if (metrics.includes(m)) records.push(...(await IMAGE_METRICS[m].compute(ctx)));
  return records;
}

/**
 * Stacked-MNIST mode coverage as records: `stacked-modes` (out of 1000, KL to uniform in its details), 26,000
 * samples by default (the PacGAN protocol).
 */
export async function evaluateStackedMnist(options: {
  extractor: FeatureExtractor;
  generated: ImageSource;
  count?: number;
  seed?: number;
  batchSize?: number;
}): Promise<MetricRecord[]> {
  const { extractor, generated, count = 26_000, seed = 0, batchSize } = options;
  const r = await stackedMnistModes(extractor, generated, { count, batchSize });
  return [
    {
      metric: 'stacked-modes',
      value: r.modesCovered,
      details: { kl: r.kl, modes: 1000 },
      samples: { generated: r.samples },
      extractor: { name: extractor.name, version: extractor.version },
      seed,
    },
  ];
}

/**
 * Mixture-of-Gaussians metrics as records (PacGAN protocol, 2,500 samples by default): `modes-covered`,
 * `high-quality` (share within 3σ of a mode), `reverse-kl`, and — when real samples are given — the histogram
 * `js` and `kl` divergences (KL(real ‖ generated)) on a grid (GAN Lab's charts; 1-D or 2-D samples).
 */
export function evaluateMixture(options: {
  generated: ArrayLike<number>;
  dim: number;
  /** The mixture's mode centres and σ — a toy distribution from @gankit/datasets fits. */
  mixture: { name?: string; modes?: number[][]; sigma?: number };
  real?: ArrayLike<number>;
  grid?: { bins: number; lo: number; hi: number };
  seed?: number;
}): MetricRecord[] {
  const { generated, dim, real, seed = 0 } = options;
  const { modes, sigma } = options.mixture;
  if (modes == null || sigma == null)
    throw new Error(
      `${options.mixture.name ?? 'this distribution'} is not a mixture of Gaussians with known modes and σ; ` +
        'mode coverage needs both',
    );
  const mixture = { modes, sigma };
  const m = modeCoverage(generated, dim, mixture);
  const samples = { generated: m.samples, real: real ? real.length / dim : undefined };
  const settings = { modes: m.modes, sigma: mixture.sigma, highQualityRadius: '3σ' };
  const records: MetricRecord[] = [
    { metric: 'modes-covered', value: m.modesCovered, details: { modes: m.modes }, samples, settings, seed },
    { metric: 'high-quality', value: m.highQuality, samples, settings, seed },
    { metric: 'reverse-kl', value: m.reverseKl, samples, settings, seed },
  ];
  if (real != null) {
    if (dim !== 1 && dim !== 2)
      throw new Error(`histogram divergences are computed on 1-D or 2-D samples; these are ${dim}-D`);
    const extent = Math.max(...mixture.modes.flat().map(Math.abs)) + 4 * mixture.sigma;
    const { bins = dim === 1 ? 100 : 50, lo = -extent, hi = extent } = options.grid ?? {};
    const histogram = dim === 1 ? histogram1d : histogram2d;
    const d = histogramDivergences(histogram(real, bins, lo, hi), histogram(generated, bins, lo, hi));
    const grid = { bins, lo, hi };
    records.push({ metric: 'js', value: d.js, samples, settings: grid, seed });
    records.push({ metric: 'kl', value: d.kl, samples, settings: grid, seed });
  }
  return records;
}
