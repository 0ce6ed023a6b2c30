/** A run's evaluation: the metrics that fit its data, with the shipped extractors. */

import type { ParamTree } from '@gankit/layers';
import {
  datasetImages,
  evaluateImages,
  evaluateMixture,
  evaluateStackedMnist,
  type FeatureExtractor,
  type ImageMetric,
  loadShippedExtractor,
  type MetricRecord,
  perceptualPathLength,
} from '@gankit/metrics';
import { type GanDef, latentBatch, type Network, pathLengthGenerator } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import type { RunData } from './data.js';
import { generatedImages, toUnit } from './samples.js';

const extractors = new Map<string, Promise<FeatureExtractor>>();

/**
 * The metrics that fit the data: FID/KID/PRDC/classifier score, Stacked-MNIST modes, or mixture coverage; and for a
 * style-based generator (`options.style`: its network and the parameters it samples with) perceptual path length
 * in W and in Z, on `samples / 2` pairs (as many images as FID's) with the same extractor.
 */
export async function evaluate(
  gan: GanDef,
  generate: (z: tf.Tensor2D, labels?: tf.Tensor1D) => tf.Tensor,
  data: RunData,
  options: {
    samples: number;
    seed: number;
    metrics?: ImageMetric[];
    style?: { network: Network; params: ParamTree };
  },
): Promise<{ records: MetricRecord[]; note?: string }> {
  const { samples, seed } = options;
  if (data.kind === 'points') {
    if (data.toy?.modes == null) return { records: [], note: `${data.spec} has no modes to count` };
    const { z } = latentBatch(gan, samples, seed);
    const fake = tf.tidy(() => generate(z));
    const points = (await fake.data()) as Float32Array;
    tf.dispose([z, fake]);
    const records = evaluateMixture({
      generated: points,
      real: data.toy.sample(samples, seed + 1),
      dim: gan.dataShape[0]!,
      mixture: data.toy,
      seed,
    });
    return { records };
  }
  if (data.extractor == null)
    return {
      records: [],
      note: `no feature extractor ships for ${data.spec}; only MNIST-family data is scored`,
    };
  let extractor: FeatureExtractor;
  try {
    let pending = extractors.get(data.extractor);
    if (pending == null) {
      pending = loadShippedExtractor(data.extractor);
      extractors.set(data.extractor, pending);
    }
    extractor = await pending;
  } catch (err) {
    extractors.delete(data.extractor);
    return { records: [], note: (err as Error).message };
  }
  const generated = generatedImages(gan, generate, seed);
  if (data.stacked)
    return { records: await evaluateStackedMnist({ extractor, generated, count: samples, seed }) };
  const real = data.evalImages!;
  const records = await evaluateImages({
    extractor,
    generated,
    real: datasetImages(real),
    count: samples,
    realCount: Math.min(samples, real.count),
    seed,
    metrics: options.metrics,
  });
  const style = options.style && pathLengthGenerator(options.style.network, options.style.params, unit(gan));
  if (style != null && options.metrics == null) {
    const pairs = Math.max(1, Math.floor(samples / 2));
    for (const space of ['w', 'z'] as const)
      records.push(
        ...(await perceptualPathLength({
          generator: style,
          space,
          latentDim: gan.latentDim,
          extractor,
          pairs,
          seed,
        })),
      );
  }
  return { records };
}

const unit = (gan: GanDef) => (x: tf.Tensor4D) => toUnit(x, gan) as tf.Tensor4D;

/** `fid 12.3 · kid 0.004 · …` */
export function formatRecords(records: MetricRecord[]): string {
  return records
    .map(
      (r) =>
        `${r.metric} ${Math.abs(r.value) >= 100 || Number.isInteger(r.value) ? r.value.toFixed(0) : r.value.toPrecision(3)}`,
    )
    .join(' · ');
}
