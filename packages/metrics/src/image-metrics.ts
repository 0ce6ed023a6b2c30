import * as tf from '@tensorflow/tfjs-core';
import { classifierScore } from './classifier-score.js';
import type { FeatureExtractor } from './extractors.js';
import { frechetDistance, StreamingMoments } from './frechet.js';
import { kernelDistance } from './kernel.js';
import { precisionRecallDensityCoverage } from './prdc.js';
import type { ExtractedFeatures, MetricRecord } from './types.js';

/** What an image metric is computed from: both sets' features (extracted once), the settings, the seed. */
interface MetricInputs {
  fake: ExtractedFeatures;
  reals?: ExtractedFeatures;
  seed: number;
  options: {
    kid?: { subsets?: number; subsetSize?: number };
    prdc?: { kPrecisionRecall?: number; kDensityCoverage?: number; chunk?: number };
  };
  samples: { real?: number; generated: number };
  extractor: { name: string; version: string };
}

interface ImageMetricDef {
  /** Compares with real images (all but the classifier score). */
  needsReal: boolean;
  /** Reads the extractor's class probabilities of the generated images. */
  needsProbabilities: boolean;
  compute(c: MetricInputs): Promise<MetricRecord[]>;
}

/** The image metrics by name, in the order they are computed and reported. */
export const IMAGE_METRICS = {
  fid: {
    needsReal: true,
    needsProbabilities: false,
    async compute({ fake, reals, samples, extractor, seed }) {
      const dim = fake.dim;
      const value = frechetDistance(
        new StreamingMoments(dim).add(reals!.features, reals!.count).result(),
        new StreamingMoments(dim).add(fake.features, fake.count).result(),
      );
      return [{ metric: 'fid', value, samples, extractor, settings: { featureDim: dim }, seed }];
    },
  },
  kid: {
    needsReal: true,
    needsProbabilities: false,
    async compute({ fake, reals, samples, extractor, seed, options }) {
      const r = await kernelDistance(reals!.features, fake.features, fake.dim, { ...options.kid, seed });
      return [
        {
          metric: 'kid',
          value: r.mean,
          details: { std: r.std },
          samples,
          extractor,
          settings: {
            subsets: r.subsets,
            subsetSize: r.subsetSize,
            kernel: 'cubic polynomial',
            ...(r.shrunk
              ? { subsetRule: 'half the smaller set (fewer than 2,000 samples; default 1,000)' }
              : {}),
          },
          seed,
        },
      ];
    },
  },
  prdc: {
    needsReal: true,
    needsProbabilities: false,
    async compute({ fake, reals, samples, extractor, seed, options }) {
      const realT = tf.tensor2d(reals!.features, [reals!.count, fake.dim]);
      const fakeT = tf.tensor2d(fake.features, [fake.count, fake.dim]);
      try {
        const r = await precisionRecallDensityCoverage(realT, fakeT, options.prdc);
        return (['precision', 'recall', 'density', 'coverage'] as const).map((metric) => ({
          metric,
          value: r[metric],
          samples,
          extractor,
          settings: {
            k: metric === 'precision' || metric === 'recall' ? r.kPrecisionRecall : r.kDensityCoverage,
          },
          seed,
        }));
      } finally {
        tf.dispose([realT, fakeT]);
      }
    },
  },
  'classifier-score': {
    needsReal: false,
    needsProbabilities: true,
    async compute({ fake, extractor, seed }) {
      return [
        {
          metric: 'classifier-score',
          value: classifierScore(fake.probabilities!, fake.classes!),
          samples: { generated: fake.count },
          extractor,
          settings: { classes: fake.classes! },
          seed,
        },
      ];
    },
  },
} satisfies Record<string, ImageMetricDef>;

export type ImageMetric = keyof typeof IMAGE_METRICS;

export const IMAGE_METRIC_NAMES = Object.keys(IMAGE_METRICS) as ImageMetric[];

/** FID, KID, precision/recall/density/coverage, and the classifier score when the extractor classifies. */
export function defaultImageMetrics(extractor: Pick<FeatureExtractor, 'logits'>): ImageMetric[] {
  return IMAGE_METRIC_NAMES.filter((m) => m !== 'classifier-score' || extractor.logits != null);
}

/** Refuses names that are not image metrics, listing the known ones. */
export function checkImageMetrics(metrics: readonly string[]): asserts metrics is ImageMetric[] {
  const unknown = metrics.filter((m) => !Object.hasOwn(IMAGE_METRICS, m));
  if (unknown.length > 0)
    throw new Error(`unknown metric(s) ${unknown.join(', ')}; known: ${IMAGE_METRIC_NAMES.join(', ')}`);
}
