/** An image-to-image run in memory: its model, trainer and pairs — new from a config, or restored from a run folder. */
import type { ActiveBackend } from '@gankit/backends';
import { type FeatureExtractor, loadShippedExtractor } from '@gankit/metrics';
import { type TranslationDef, translationFromSpec } from '@gankit/models';
import { createTranslationTrainer, type TranslationTrainer } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import { isPaired } from './config.js';
import { UsageError } from './errors.js';
import type { PairedRunConfig } from './paired-config.js';
import { openPairedData, type PairedRunData } from './paired-data.js';
import { RunFolder } from './run-folder.js';
import { restoreLatest } from './session.js';

export interface PairedSession {
  kind: 'paired';
  config: PairedRunConfig;
  def: TranslationDef;
  trainer: TranslationTrainer;
  data: PairedRunData;
  /** The shipped classifier of the data, when there is one (content loss, class preservation, FID). */
  extractor?: FeatureExtractor;
  /** Why the data's shipped classifier is missing, when it did not load. */
  extractorError?: string;
}

/** How many of the classifier's convolutions SRGAN's content loss reads (14×14×64 maps of a 28×28 image). */
const CONTENT_DEPTH = 2;

export async function openPairedSession(config: PairedRunConfig): Promise<PairedSession> {
  let def: TranslationDef;
  try {
    def = translationFromSpec(config.model);
  } catch (err) {
    throw new UsageError(`model: ${(err as Error).message}`);
  }
  const data = await openPairedData(config, def);
  let extractor: FeatureExtractor | undefined;
  let extractorError: string | undefined;
  if (data.extractor)
    try {
      extractor = await loadShippedExtractor(data.extractor);
    } catch (err) {
      extractorError = (err as Error).message;
    }
  if (config.train.content && extractor?.featureMaps == null)
    throw new UsageError(
      extractorError
        ? `train.content compares features of the shipped ${data.extractor} classifier, which did not load: ${extractorError}`
        : `train.content compares features of a shipped classifier, and none ships for dataset '${data.spec}' (mnist and fashion-mnist have one): turn it off with { "train": { "content": null } } in --config`,
    );
  const fe = extractor;
  const [lo, hi] = def.dataRange;
  const features = fe?.featureMaps
    ? (x: tf.Tensor) => fe.featureMaps!(tf.div(tf.sub(x, lo), hi - lo) as tf.Tensor4D, CONTENT_DEPTH)
    : undefined;
  let trainer: TranslationTrainer;
  try {
    // the run's config is complete: a key it leaves out is off (not the library's pix2pix default)
    const t = config.train;
    trainer = createTranslationTrainer(
      def,
      { ...t, reconstruction: t.reconstruction ?? null, discriminatorWeight: t.discriminatorWeight ?? null },
      features ? { features } : {},
    );
  } catch (err) {
    const message = (err as Error).message;
    throw new UsageError(
      message.startsWith('config.') ? `train.${message.slice('config.'.length)}` : `train: ${message}`,
    );
  }
  return {
    kind: 'paired',
    config,
    def,
    trainer,
    data,
    ...(extractor ? { extractor } : {}),
    ...(extractorError ? { extractorError } : {}),
  };
}

/** A paired run folder's session at its latest checkpoint, on the run's backend or `backend`. */
export async function restorePairedRun(
  dir: string,
  backend: string | undefined,
  verb: string,
): Promise<{ session: PairedSession; folder: RunFolder; checkpoint: string; backend: ActiveBackend }> {
  const { folder, config } = await RunFolder.open(dir);
  if (!isPaired(config)) throw new UsageError(`${dir} is a GAN run, not an image-to-image one`);
  return {
    folder,
    ...(await restoreLatest(folder, config.run.backend, backend, verb, () => openPairedSession(config))),
  };
}
