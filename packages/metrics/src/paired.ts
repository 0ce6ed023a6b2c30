/**
 * Evaluation of an image-to-image generator on held-out pairs: pixel fidelity (PSNR, SSIM), class preservation (the
 * classifier's accuracy on outputs against the source's label — our stand-in for pix2pix's FCN score) and FID of
 * outputs against the real targets, each beside the same numbers for a baseline (bilinear upsampling, the L1-only
 * generator …) computed by the same code on the same pairs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureExtractor } from './extractors.js';
import { FidelityMeans } from './fidelity.js';
import { frechetDistance, StreamingMoments } from './frechet.js';
import { newTally, type OutputTally, tallyOutputs } from './output-tally.js';
import type { MetricRecord } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** Held-out pairs `start … start + size − 1`: sources as the generator takes them, targets in [0, 1], labels. */
export type PairSource = (
  start: number,
  size: number,
) => Promise<{ source: tf.Tensor4D; target: tf.Tensor4D; labels?: tf.Tensor1D }>;

/** Sources → outputs in [0, 1] (the caller maps its generator's range). */
export type Translator = (source: tf.Tensor4D) => tf.Tensor4D;

export interface PairedEvaluationOptions {
  translate: Translator;
  pairs: PairSource;
  count: number;
  /** The same metrics for a reference method, reported in each record's `details.baseline`. */
  baseline?: { name: string; translate: Translator };
  /** A classifier of the targets' domain: class preservation (when the pairs have labels) and FID. */
  extractor?: FeatureExtractor;
  /** SSIM's window (default 7: 28×28 images keep a 22×22 map). */
  ssimWindow?: number;
  batchSize?: number;
  /** Recorded with every value (the pairs are the caller's, keyed by index). */
  seed?: number;
}

interface Tally extends OutputTally {
  fidelity: FidelityMeans;
}

/**
 * PSNR (dB) and SSIM of outputs against targets, class preservation and FID, on `count` pairs; every record says the
 * sample count, the extractor and, in `details.baseline`, the baseline's value.
 */
export async function evaluatePairs(options: PairedEvaluationOptions): Promise<MetricRecord[]> {
  const { translate, pairs, count, baseline, extractor, ssimWindow = 7, batchSize = 250, seed = 0 } = options;
  if (!(Number.isInteger(count) && count >= 2))
    throw new Error(`evaluatePairs: count must be a whole number of pairs ≥ 2, got ${count}`);
  const tally = (): Tally => ({
    fidelity: new FidelityMeans({ window: ssimWindow }),
    ...newTally(extractor),
  });
  const model = tally();
  const base = baseline ? tally() : undefined;
  const real = extractor ? new StreamingMoments(extractor.featureDim) : undefined;
  const score = async (t: Tally, output: tf.Tensor4D, target: tf.Tensor4D, labels?: tf.Tensor1D) => {
    await t.fidelity.add(output, target);
    await tallyOutputs(t, extractor, output, labels);
  };
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const { source, target, labels } = await pairs(start, size);
    try {
      const output = tf.tidy(() => translate(source));
      await score(model, output, target, labels);
      output.dispose();
      if (base) {
        const reference = tf.tidy(() => baseline!.translate(source));
        await score(base, reference, target, labels);
        reference.dispose();
      }
      if (real) {
        const features = extractor!.features(target);
        real.add(await features.data(), size);
        features.dispose();
      }
    } finally {
      tf.dispose([source, target, ...(labels ? [labels] : [])]);
    }
    await yieldToEventLoop();
  }
  const samples = { generated: count, real: count };
  const common = {
    samples,
    seed,
    ...(extractor ? { extractor: { name: extractor.name, version: extractor.version } } : {}),
    ...(baseline ? { settings: { baseline: baseline.name } } : {}),
  };
  const withBaseline = (value: (t: Tally) => number) => (base ? { details: { baseline: value(base) } } : {});
  const fidelity = (t: Tally) => t.fidelity.result();
  const records: MetricRecord[] = [
    { metric: 'psnr', value: fidelity(model).psnr, ...withBaseline((t) => fidelity(t).psnr), ...common },
    {
      metric: 'ssim',
      value: fidelity(model).ssim,
      ...withBaseline((t) => fidelity(t).ssim),
      ...common,
      settings: { ...common.settings, window: ssimWindow },
    },
  ];
  if (model.labelled > 0) {
    const accuracy = (t: Tally) => t.correct / t.labelled;
    records.push({
      metric: 'class-preservation',
      value: accuracy(model),
      ...withBaseline(accuracy),
      ...common,
    });
  }
  if (real) {
    const reals = real.result();
    const fid = (t: Tally) => frechetDistance(t.moments!.result(), reals);
    records.push({ metric: 'fid', value: fid(model), ...withBaseline(fid), ...common });
  }
  return records;
}
