import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  datasetFromIdx,
  gaussian1d,
  grid25,
  ImageBatcher,
  type ImageDataset,
  loadDataset,
  loadImageFolder,
  ring8,
  stackedMnist,
  type ToyDistribution,
} from '@gankit/datasets';
import type { GanDef } from '@gankit/models';
import { type DataSource, imageSource, toySource } from '@gankit/train';
import { UsageError, unknownChoice } from './errors.js';

export const DATASETS = [
  'mnist',
  'fashion-mnist',
  'ring8',
  'grid25',
  'gauss1d',
  'stacked-mnist',
  'idx:PATH',
  'folder:PATH',
];

/** The toy distributions by dataset name. */
export const TOYS: Record<string, () => ToyDistribution> = { ring8, grid25, gauss1d: () => gaussian1d() };

/** The data of a run: batches for training and what evaluation compares against. */
export interface RunData {
  spec: string;
  kind: 'images' | 'points';
  /** One line for the console and the report. */
  description: string;
  source: DataSource;
  /** Real images held out for evaluation (the test split where there is one). */
  evalImages?: ImageDataset;
  toy?: ToyDistribution;
  classNames?: string[];
  /** The shipped extractor that fits this data, if any. */
  extractor?: 'mnist' | 'fashion-mnist';
  stacked?: boolean;
}

/** Reads a dataset the way the loaders fail — "not installed", "no such file" — as bad input (exit 2). */
async function load<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw new UsageError(`${what}: ${(err as Error).message}`);
  }
}

/** Checks a `--dataset` value without opening anything: a known name, `idx:PATH[,LABELS]` or `folder:PATH`. */
export function checkDatasetSpec(spec: string): void {
  if (spec.startsWith('idx:') || spec.startsWith('folder:')) {
    if (spec.indexOf(':') === spec.length - 1)
      throw new UsageError(`dataset '${spec}' needs a path after the colon`);
    return;
  }
  if (!DATASETS.includes(spec)) throw unknownChoice('dataset', spec, DATASETS);
}

/** Image data needs a model that makes images; `holds` says what the data is. */
function requireImageModel(gan: GanDef, spec: string, holds: string): void {
  if (gan.dataShape.length !== 3) {
    throw new UsageError(
      `dataset '${spec}' holds ${holds} but the model (${gan.architecture}) makes ` +
        `${gan.dataShape.length}-D points; use a toy dataset (ring8, grid25, gauss1d) or an image preset`,
    );
  }
}

function checkImagesFit(data: ImageDataset, gan: GanDef, spec: string): void {
  const want = gan.dataShape;
  requireImageModel(gan, spec, `${data.shape.join('×')} images`);
  if (data.shape.some((v, i) => v !== want[i])) {
    throw new UsageError(
      `dataset '${spec}' holds ${data.shape.join('×')} images but the model (${gan.architecture}) makes ` +
        `${want.join('×')}; pick a model of that size or data that fits`,
    );
  }
  if (gan.classes != null) {
    if (data.labels == null)
      throw new UsageError(
        `the model (${gan.architecture}) is class-conditional but dataset '${spec}' has no labels; use class subfolders or a labels file`,
      );
    if (data.classes.length > gan.classes)
      throw new UsageError(
        `dataset '${spec}' has ${data.classes.length} classes but the model (${gan.architecture}) has ${gan.classes}`,
      );
  }
}

/** Opens the data a config names, checked against the model it must feed. */
export async function openData(spec: string, gan: GanDef, batchSize: number, seed: number): Promise<RunData> {
  checkDatasetSpec(spec);
  const range = gan.dataRange ?? [0, 1];
  const labels = gan.classes != null ? ('int' as const) : ('none' as const);
  const images = (
    train: ImageDataset,
    evalImages: ImageDataset | undefined,
    extra: Partial<RunData> = {},
  ) => {
    checkImagesFit(train, gan, spec);
    const batcher = new ImageBatcher(train, { batchSize, seed, range: range as [0, 1] | [-1, 1], labels });
    return {
      spec,
      kind: 'images' as const,
      description: `${train.name} ${train.split}: ${train.count.toLocaleString('en-US')} images of ${train.shape.join('×')} (${train.source})`,
      source: imageSource(batcher),
      evalImages,
      classNames: train.labels ? train.classes : undefined,
      ...extra,
    };
  };
  const toy = TOYS[spec];
  if (toy) {
    const distribution = toy();
    if (gan.dataShape.length !== 1 || gan.dataShape[0] !== distribution.dim) {
      throw new UsageError(
        `dataset '${spec}' gives ${distribution.dim}-D points but the model (${gan.architecture}) makes ` +
          `[${gan.dataShape}]; use the ${spec} preset or an MLP model with dataDim ${distribution.dim}`,
      );
    }
    return {
      spec,
      kind: 'points',
      description: `${spec}: ${distribution.modes?.length ?? 'no'} modes, σ ${distribution.sigma}, sampled fresh every batch`,
      source: toySource(distribution, batchSize, seed),
      toy: distribution,
    };
  }
  if (spec === 'mnist' || spec === 'fashion-mnist') {
    const train = await load(spec, () => loadDataset(spec, { split: 'train' }));
    const test = await load(spec, () => loadDataset(spec, { split: 'test' }));
    return images(train, test, { extractor: spec });
  }
  if (spec === 'stacked-mnist') {
    const train = await load('mnist', () => loadDataset('mnist', { split: 'train' }));
    const test = await load('mnist', () => loadDataset('mnist', { split: 'test' }));
    const stacked = stackedMnist(train, { count: 60_000, seed });
    return images(stacked, stackedMnist(test, { count: 26_000, seed: seed + 1 }), {
      extractor: 'mnist',
      stacked: true,
      classNames: undefined,
    });
  }
  if (spec.startsWith('idx:')) {
    const [imagesPath, labelsPath] = spec.slice(4).split(',');
    for (const p of [imagesPath!, labelsPath].filter((x): x is string => x != null)) {
      if (!existsSync(p)) throw new UsageError(`dataset '${spec}': ${p} does not exist`);
    }
    const data = await load(spec, async () =>
      datasetFromIdx(
        new Uint8Array(await readFile(imagesPath!)),
        labelsPath ? new Uint8Array(await readFile(labelsPath)) : undefined,
        {
          name: imagesPath!,
          split: 'all',
          classes: Array.from({ length: gan.classes ?? 10 }, (_, i) => String(i)),
          source: imagesPath!,
        },
      ),
    );
    return images(data, undefined);
  }
  // folder:PATH — resized (centre crop) to the model's size
  const dir = spec.slice('folder:'.length);
  requireImageModel(gan, spec, 'images');
  const [h, w, c] = gan.dataShape as [number, number, number];
  const data = await load(spec, () =>
    loadImageFolder(dir, { size: [h, w], channels: c === 1 ? 1 : 3, name: dir }),
  );
  return images(data, undefined);
}
