/** The data of an image-to-image run: pairs made from a dataset by the run's task, checked against the model. */
import {
  type ImageDataset,
  loadPairedFolder,
  PairedBatcher,
  type PairedTask,
  pairedSourceShape,
} from '@gankit/datasets';
import type { TranslationDef } from '@gankit/models';
import { type DataSource, pairedSource } from '@gankit/train';
import { isPairsSpec, openSpec } from './data.js';
import { UsageError } from './errors.js';
import type { PairedRunConfig } from './paired-config.js';

export interface PairedRunData {
  spec: string;
  description: string;
  task: PairedTask;
  source: DataSource;
  /** Held-out images the evaluation pairs are made from (the test split where there is one). */
  evalImages: ImageDataset;
  extractor?: 'mnist' | 'fashion-mnist';
  classNames?: string[];
}

const shapeText = (s: readonly number[]) => s.join('×');

/** Opens a paired run's dataset and makes its pairs; a model that does not fit the task's pairs is bad input. */
export async function openPairedData(config: PairedRunConfig, def: TranslationDef): Promise<PairedRunData> {
  const { dataset: spec } = config.data;
  const given = config.data.task.kind === 'given';
  if (isPairsSpec(spec) !== given)
    throw new UsageError(
      given
        ? `data.task { "kind": "given" } reads sources from your pairs: give a pairs: dataset (pairs:DIR of side-by-side A|B images, or pairs:A_DIR,B_DIR), not '${spec}'`
        : `dataset '${spec}' holds (source, target) pairs: set data.task to { "kind": "given" }`,
    );
  if (given) return openUserPairs(config, def);
  const task = config.data.task as PairedTask;
  const [h = 0, w = 0, c = 1] = def.targetShape;
  const data = await openSpec(spec, { seed: config.train.seed, size: [h, w], channels: c === 1 ? 1 : 3 });
  if (data.kind !== 'images')
    throw new UsageError(
      `dataset '${spec}' holds points; image-to-image runs need images (mnist, fashion-mnist, folder:PATH)`,
    );
  if (data.shape.some((v, i) => v !== def.targetShape[i]))
    throw new UsageError(
      `dataset '${spec}' holds ${shapeText(data.shape)} images but the model (${def.architecture}) makes ${shapeText(def.targetShape)}; pick data or a model of that size`,
    );
  const sources = pairedSourceShape(task, data.shape);
  if (sources.some((v, i) => v !== def.sourceShape[i]))
    throw new UsageError(
      `the task ${JSON.stringify(task)} makes ${shapeText(sources)} sources but the model (${def.architecture}) takes ${shapeText(def.sourceShape)}; make them agree (e.g. the downscale factor and srgan's factor)`,
    );
  const { batchSize, seed } = config.train;
  if (batchSize > data.train.count)
    throw new UsageError(
      `--batch-size ${batchSize} is more than the ${data.train.count} images of dataset '${spec}'; lower it`,
    );
  let batcher: PairedBatcher;
  try {
    batcher = new PairedBatcher(data.train, task, { batchSize, seed, range: def.dataRange as [-1, 1] });
  } catch (err) {
    throw new UsageError(`data.task: ${(err as Error).message}`);
  }
  return {
    spec,
    description: `${data.description}; pairs: ${describeTask(task, data.shape)}`,
    task,
    source: pairedSource(batcher),
    evalImages: data.test ?? data.train,
    extractor: data.extractor,
    classNames: data.classes,
  };
}

/** One line on what each pair's source is. */
export function describeTask(task: PairedTask, shape: readonly number[]): string {
  switch (task.kind) {
    case 'edges':
      return `Sobel edges (threshold ${task.threshold ?? 0.2}, thickness ${task.thickness ?? 1}) → image`;
    case 'inpaint':
      return `image with ${task.mask ?? 'rectangles'} holes (+ mask channel) → image`;
    case 'downscale':
      return `${shapeText([shape[0]! / task.factor, shape[1]! / task.factor])} (area average ×${task.factor}) → ${shapeText(shape.slice(0, 2))}`;
    case 'grey':
      return 'grey → colour';
    case 'given':
      return `given sources (${task.source.name}) → images`;
  }
}

/**
 * The run's held-out pairs in a fixed order (masks drawn from the evaluation's own seed, per position), in batches
 * of `batchSize`: the same pairs at every evaluation, however they are batched.
 */
export function evaluationPairs(
  data: PairedRunData,
  def: TranslationDef,
  seed: number,
  batchSize: number,
): PairedBatcher {
  return new PairedBatcher(data.evalImages, data.task, {
    batchSize,
    seed: seed + 7,
    shuffle: false,
    dropLast: false,
    range: def.dataRange as [-1, 1],
  });
}

/**
 * A user's pairs (`pairs:DIR` side by side, or `pairs:A_DIR,B_DIR`), fitted to the model's source and target shapes.
 * There is no held-out split: evaluations score the training pairs, and the description says so.
 */
async function openUserPairs(config: PairedRunConfig, def: TranslationDef): Promise<PairedRunData> {
  const spec = config.data.dataset;
  const paths = spec.slice('pairs:'.length).split(',');
  if (paths.length > 2)
    throw new UsageError(`dataset '${spec}': give one folder (side-by-side A|B images) or two (A_DIR,B_DIR)`);
  const [h = 0, w = 0, tc = 1] = def.targetShape;
  const sc = def.sourceShape[2] ?? 1;
  if (![1, 3].includes(sc) || ![1, 3].includes(tc))
    throw new UsageError(
      `${def.architecture} takes ${sc}-channel sources and makes ${tc}-channel targets; your pairs are read as grey (1) or colour (3)`,
    );
  let pairs: Awaited<ReturnType<typeof loadPairedFolder>>;
  try {
    pairs = await loadPairedFolder(paths.length === 1 ? paths[0]! : [paths[0]!, paths[1]!], {
      size: [h, w],
      sourceSize: [def.sourceShape[0]!, def.sourceShape[1]!],
      sourceChannels: sc as 1 | 3,
      targetChannels: tc as 1 | 3,
    });
  } catch (err) {
    throw new UsageError(`dataset '${spec}': ${(err as Error).message}`);
  }
  if (pairs.target.count < 2)
    throw new UsageError(
      `dataset '${spec}' holds ${pairs.target.count} pair; training and evaluation need at least 2`,
    );
  const task: PairedTask = { kind: 'given', source: pairs.source };
  const { batchSize, seed } = config.train;
  if (batchSize > pairs.target.count)
    throw new UsageError(
      `--batch-size ${batchSize} is more than the ${pairs.target.count} pairs of dataset '${spec}'; lower it`,
    );
  const batcher = new PairedBatcher(pairs.target, task, { batchSize, seed, range: def.dataRange as [-1, 1] });
  return {
    spec,
    description: `${pairs.target.count} pairs from ${paths.join(' and ')}, fitted to ${shapeText(def.sourceShape)} → ${shapeText(def.targetShape)} (no held-out split: evaluations score the training pairs)`,
    task,
    source: pairedSource(batcher),
    evalImages: pairs.target,
  };
}
