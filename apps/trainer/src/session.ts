import { type ActiveBackend, describeBackend, useBackend } from '@gankit/backends';
import {
  datasetImages,
  evaluateImages,
  evaluateMixture,
  evaluateStackedMnist,
  type FeatureExtractor,
  type ImageMetric,
  type ImageSource,
  loadShippedExtractor,
  type MetricRecord,
} from '@gankit/metrics';
import { type GanDef, ganFromSpec, latentBatch } from '@gankit/models';
import { createTrainer, restoreCheckpoint, type Trainer } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS, type BackendChoice, type RunConfig } from './config.js';
import { openData, type RunData } from './data.js';
import { UsageError, unknownChoice } from './errors.js';
import { imageGrid, scatterPlot } from './images.js';
import { RunFolder } from './run-folder.js';

/** A --backend value, checked against the names the trainer knows. */
export function checkBackend(name: string): BackendChoice {
  if (!(BACKENDS as readonly string[]).includes(name)) throw unknownChoice('backend', name, BACKENDS);
  return name as BackendChoice;
}

export async function startBackend(choice: BackendChoice): Promise<ActiveBackend> {
  try {
    return await useBackend(choice);
  } catch (err) {
    throw new UsageError(`--backend ${choice}: ${(err as Error).message}`);
  }
}

export { describeBackend };

export function buildGan(config: RunConfig): GanDef {
  try {
    return ganFromSpec(config.model);
  } catch (err) {
    throw new UsageError(`model: ${(err as Error).message}`);
  }
}

/** Everything a run needs in memory: the networks and optimisers, and the data. */
export interface Session {
  config: RunConfig;
  gan: GanDef;
  trainer: Trainer;
  data: RunData;
}

export async function openSession(config: RunConfig): Promise<Session> {
  const gan = buildGan(config);
  const data = await openData(config.data.dataset, gan, config.train.batchSize, config.train.seed);
  let trainer: Trainer;
  try {
    trainer = createTrainer(gan, config.train);
  } catch (err) {
    throw new UsageError(`config: ${(err as Error).message}`);
  }
  return { config, gan, trainer, data };
}

/**
 * A run folder's session at its latest checkpoint (interrupted runs included), on the run's backend or `backend`.
 * A checkpoint that cannot be restored is bad input; `verb` says what it could not be (resumed, loaded).
 */
export async function restoreRun(
  dir: string,
  backend: string | undefined,
  verb: string,
): Promise<{ session: Session; folder: RunFolder; checkpoint: string; backend: ActiveBackend }> {
  const { folder, config } = await RunFolder.open(dir);
  const checkpoint = await folder.latestCheckpoint();
  const bytes = await folder.checkpoints.read(checkpoint);
  const active = await startBackend(backend != null ? checkBackend(backend) : config.run.backend);
  const session = await openSession(config);
  try {
    restoreCheckpoint(bytes, session.trainer, session.data.source);
  } catch (err) {
    session.trainer.dispose();
    throw new UsageError(
      `${folder.dir}/checkpoints/${checkpoint} cannot be ${verb}: ${(err as Error).message}`,
    );
  }
  return { session, folder, checkpoint, backend: active };
}

/** Maps generator output from the model's range to [0, 1]. */
export function toUnit(x: tf.Tensor, gan: GanDef): tf.Tensor {
  const [lo, hi] = gan.dataRange ?? [0, 1];
  return tf.tidy(() => tf.clipByValue(tf.div(tf.sub(x, lo), hi - lo), 0, 1));
}

const SAMPLE_SEED = 20_140_610; // fixed noise for the sample timeline (Goodfellow et al., arXiv, June 2014)

/**
 * A PNG of samples from fixed noise: 10 per class row for conditional models (the same noise in each column),
 * an 8×8 grid otherwise; a scatter plot (2-D) or histogram (1-D) against real samples for toy data.
 */
export async function samplePng(
  gan: GanDef,
  generate: (z: tf.Tensor2D, labels?: tf.Tensor1D) => tf.Tensor,
  data: RunData,
  options: { label?: number; n?: number; truncation?: number; seed?: number } = {},
): Promise<Buffer> {
  const seed = options.seed ?? SAMPLE_SEED;
  if (data.kind === 'points' || gan.dataShape.length === 1) {
    const n = options.n ?? 1000;
    const { z } = latentBatch(gan, n, seed, { truncation: options.truncation });
    const fake = tf.tidy(() => generate(z));
    const points = (await fake.data()) as Float32Array;
    tf.dispose([z, fake]);
    const dim = gan.dataShape[0]!;
    const real = data.toy ? data.toy.sample(n, seed) : new Float32Array(0);
    const extent = data.toy?.modes
      ? Math.max(...data.toy.modes.flat().map(Math.abs)) * 1.25 + 4 * (data.toy.sigma ?? 0)
      : 3;
    return scatterPlot(real, points, dim, extent).png();
  }
  const classes = gan.classes ?? gan.codes?.categorical[0];
  const rows: { z: tf.Tensor2D; labels?: tf.Tensor1D }[] = [];
  let columns = 8;
  if (classes != null && options.label == null) {
    columns = 10;
    for (let k = 0; k < classes; k++)
      rows.push(latentBatch(gan, 10, seed, { label: k, truncation: options.truncation }));
  } else {
    const n = options.n ?? 64;
    columns = Math.ceil(Math.sqrt(n));
    rows.push(latentBatch(gan, n, seed, { label: options.label, truncation: options.truncation }));
  }
  const z = tf.concat(rows.map((r) => r.z)) as tf.Tensor2D;
  const labels = rows[0]!.labels ? (tf.concat(rows.map((r) => r.labels!)) as tf.Tensor1D) : undefined;
  const images = tf.tidy(() => toUnit(generate(z, labels), gan));
  const pixels = (await images.data()) as Float32Array;
  const shape = images.shape as [number, number, number, number];
  tf.dispose(
    [z, labels, images, ...rows.flatMap((r) => [r.z, r.labels])].filter((t): t is tf.Tensor => t != null),
  );
  return imageGrid(pixels, shape, columns, [0, 1], shape[1] <= 32 ? 2 : 1).png();
}

/** An image source of generated samples in [0, 1], keyed by (seed, batch start). */
export function generatedImages(
  gan: GanDef,
  generate: (z: tf.Tensor2D, labels?: tf.Tensor1D) => tf.Tensor,
  seed: number,
): ImageSource {
  return (start, size) => {
    const { z, labels } = latentBatch(gan, size, seed * 1_000_003 + start);
    const out = tf.tidy(() => toUnit(generate(z, labels), gan)) as tf.Tensor4D;
    tf.dispose(labels ? [z, labels] : [z]);
    return out;
  };
}

const extractors = new Map<string, Promise<FeatureExtractor>>();

/** The metrics that fit the data: FID/KID/PRDC/classifier score, Stacked-MNIST modes, or mixture coverage. */
export async function evaluate(
  gan: GanDef,
  generate: (z: tf.Tensor2D, labels?: tf.Tensor1D) => tf.Tensor,
  data: RunData,
  options: { samples: number; seed: number; metrics?: ImageMetric[] },
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
  return { records };
}

/** `fid 12.3 · kid 0.004 · …` */
export function formatRecords(records: MetricRecord[]): string {
  return records
    .map(
      (r) =>
        `${r.metric} ${Math.abs(r.value) >= 100 || Number.isInteger(r.value) ? r.value.toFixed(0) : r.value.toPrecision(3)}`,
    )
    .join(' · ');
}
