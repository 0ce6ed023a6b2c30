/**
 * Evaluation of one direction of an unpaired translator (CycleGAN's G: A → B, with F: B → A to come back): class
 * preservation — a classifier of B's domain reads G(a) as a's label, our stand-in for the paper's FCN score — FID of
 * G(a) against real B images, and the cycle's reconstruction F(G(a)) against a (L1, PSNR, SSIM); beside the same
 * numbers for a baseline (the identity mapping: a itself taken for a B image).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureExtractor } from './extractors.js';
import { FidelityMeans } from './fidelity.js';
import { frechetDistance, StreamingMoments } from './frechet.js';
import { newTally, type OutputTally, tallyOutputs } from './output-tally.js';
import type { Translator } from './paired.js';
import type { ImageSource, MetricRecord } from './types.js';
import { yieldToEventLoop } from './yield.js';

/** Domain A's held-out images `start … start + size − 1` in [0, 1], with their labels when labelled. */
export type LabelledSource = (
  start: number,
  size: number,
) => Promise<{ images: tf.Tensor4D; labels?: tf.Tensor1D }>;

export interface UnpairedEvaluationOptions {
  /** G: A images in [0, 1] → B images in [0, 1]. */
  forward: Translator;
  /** F: B images in [0, 1] → A images in [0, 1] (the way back, for the cycle's reconstruction). */
  backward: Translator;
  /** Held-out A images. */
  sources: LabelledSource;
  /** Real B images in [0, 1] (FID's reference). */
  reals: ImageSource;
  count: number;
  /** How many real B images FID's reference takes (default `count`). */
  realCount?: number;
  /** A classifier that reads B's domain (class preservation, FID); without it, the cycle's numbers only. */
  extractor?: FeatureExtractor;
  /** The same numbers for a reference mapping (default: the identity, `a` itself). */
  baseline?: { name: string; translate: Translator } | null;
  /** Recorded with every value: the direction, e.g. `a2b`. */
  direction: string;
  ssimWindow?: number;
  batchSize?: number;
  seed?: number;
}

/**
 * Class preservation, FID, and the cycle's L1 / PSNR / SSIM on `count` held-out A images; every record carries the
 * direction, the sample counts, the extractor and (for class preservation and FID) the baseline's value.
 */
export async function evaluateUnpaired(options: UnpairedEvaluationOptions): Promise<MetricRecord[]> {
  const {
    forward,
    backward,
    sources,
    reals,
    count,
    extractor,
    direction,
    ssimWindow = 7,
    batchSize = 250,
  } = options;
  const seed = options.seed ?? 0;
  if (!(Number.isInteger(count) && count >= 2))
    throw new Error(`evaluateUnpaired: count must be a whole number of images ≥ 2, got ${count}`);
  const baseline =
    options.baseline === null
      ? undefined
      : (options.baseline ?? { name: 'identity', translate: (a: tf.Tensor4D) => a });
  const model = newTally(extractor);
  const base = baseline ? newTally(extractor) : undefined;
  const cycle = new FidelityMeans({ window: ssimWindow });
  let l1 = 0;
  let values = 0;
  const score = (t: OutputTally, output: tf.Tensor4D, labels?: tf.Tensor1D) =>
    tallyOutputs(t, extractor, output, labels);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const { images, labels } = await sources(start, size);
    try {
      const output = tf.tidy(() => forward(images));
      await score(model, output, labels);
      const back = tf.tidy(() => backward(output));
      await cycle.add(back, images);
      const diff = tf.tidy(() => tf.sum(tf.abs(tf.sub(back, images))));
      l1 += (await diff.data())[0]!;
      values += images.size;
      tf.dispose([output, back, diff]);
      if (base) {
        const reference = tf.tidy(() => baseline!.translate(images));
        await score(base, reference, labels);
        if (reference !== images) reference.dispose();
      }
    } finally {
      tf.dispose([images, ...(labels ? [labels] : [])]);
    }
    await yieldToEventLoop();
  }
  const realCount = options.realCount ?? count;
  const common = {
    samples: { generated: count, real: realCount },
    seed,
    ...(extractor ? { extractor: { name: extractor.name, version: extractor.version } } : {}),
  };
  const settings = { direction, ...(baseline ? { baseline: baseline.name } : {}) };
  const withBaseline = (value: (t: OutputTally) => number) =>
    base ? { details: { baseline: value(base) } } : {};
  const fidelity = cycle.result();
  const records: MetricRecord[] = [];
  if (model.labelled > 0) {
    const accuracy = (t: OutputTally) => t.correct / t.labelled;
    records.push({
      metric: 'class-preservation',
      value: accuracy(model),
      ...withBaseline(accuracy),
      ...common,
      settings,
    });
  }
  if (extractor) {
    const real = new StreamingMoments(extractor.featureDim);
    for (let start = 0; start < realCount; start += batchSize) {
      const size = Math.min(batchSize, realCount - start);
      const images = await reals(start, size);
      const features = extractor.features(images);
      real.add(await features.data(), size);
      tf.dispose([images, features]);
      await yieldToEventLoop();
    }
    const reference = real.result();
    const fid = (t: OutputTally) => frechetDistance(t.moments!.result(), reference);
    records.push({ metric: 'fid', value: fid(model), ...withBaseline(fid), ...common, settings });
  }
  const cycleCommon = { samples: { generated: count, real: count }, seed, settings: { direction } };
  records.push(
    { metric: 'cycle-l1', value: l1 / values, ...cycleCommon },
    { metric: 'cycle-psnr', value: fidelity.psnr, ...cycleCommon },
    {
      metric: 'cycle-ssim',
      value: fidelity.ssim,
      ...cycleCommon,
      settings: { direction, window: ssimWindow },
    },
  );
  return records;
}
