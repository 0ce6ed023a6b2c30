import type * as tf from '@tensorflow/tfjs-core';

/**
 * A source of images for evaluation: `images(start, size)` returns samples `start … start + size − 1` as
 * `[size, height, width, channels]` in [0, 1]. Generated samples should be keyed by their index (noise drawn from
 * the seed and the index), so the same evaluation sees the same samples whatever the batch size. The caller owns
 * nothing it returns: the evaluator disposes each batch.
 */
export type ImageSource = (start: number, size: number) => tf.Tensor4D | Promise<tf.Tensor4D>;

/** One metric value with everything needed to compare it: sample counts, extractor, settings and seed. */
export interface MetricRecord {
  /** `fid`, `kid`, `precision`, `recall`, `density`, `coverage`, `classifier-score`, `stacked-modes`, … */
  metric: string;
  value: number;
  /** Further numbers of the same computation (KID's std, Stacked-MNIST's KL, …). */
  details?: Record<string, number>;
  samples: { real?: number; generated: number };
  extractor?: { name: string; version: string };
  /** The settings the number depends on (k, subsets, subset size, …). */
  settings?: Record<string, number | string>;
  /** The seed of the generated samples and of any random subsets. */
  seed: number;
}

export interface ExtractedFeatures {
  count: number;
  dim: number;
  /** `[count, dim]` row-major. */
  features: Float32Array;
  /** `[count, classes]` softmax probabilities, when asked for and the extractor is a classifier. */
  probabilities?: Float32Array;
  classes?: number;
}
