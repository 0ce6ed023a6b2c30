/**
 * What a translator's outputs add up to under a classifier: features for FID (streamed moments) and, when labels
 * come with them, how many the classifier reads as their label (class preservation).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureExtractor } from './extractors.js';
import { StreamingMoments } from './frechet.js';

export interface OutputTally {
  correct: number;
  labelled: number;
  /** Feature moments of every output added (with an extractor). */
  moments?: StreamingMoments;
}

export const newTally = (extractor?: FeatureExtractor): OutputTally => ({
  correct: 0,
  labelled: 0,
  ...(extractor ? { moments: new StreamingMoments(extractor.featureDim) } : {}),
});

/** Adds a batch of outputs (in [0, 1]) to `t`: their features, and their predicted classes against `labels`. */
export async function tallyOutputs(
  t: OutputTally,
  extractor: FeatureExtractor | undefined,
  output: tf.Tensor4D,
  labels?: tf.Tensor1D,
): Promise<void> {
  if (extractor == null) return;
  const features = extractor.features(output);
  t.moments!.add(await features.data(), output.shape[0]);
  features.dispose();
  if (labels == null || extractor.logits == null) return;
  const predicted = tf.tidy(() => tf.argMax(extractor.logits!(output), 1));
  const [p, l] = await Promise.all([predicted.data(), labels.data()]);
  predicted.dispose();
  for (let i = 0; i < l.length; i++) if (p[i] === l[i]) t.correct++;
  t.labelled += l.length;
}
