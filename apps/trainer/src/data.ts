/** The data of a run: `openDataset` from @gankit/datasets, checked against the model it must feed. */
import {
  DATASET_SPECS,
  ImageBatcher,
  type ImageDataset,
  type OpenDatasetOptions,
  type OpenedDataset,
  type OpenedImages,
  openDataset,
  checkDatasetSpec as readDatasetSpec,
  type ToyDistribution,
  UnknownDatasetError,
} from '@gankit/datasets';
import type { GanDef } from '@gankit/models';
import { type DataSource, imageSource, toySource } from '@gankit/train';
import { UsageError, unknownChoice } from './errors.js';
import { PRESETS } from './presets.js';

/** The `--dataset` values, as the help and errors list them. */
export const DATASETS = DATASET_SPECS;

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

/** Checks a `--dataset` value without opening anything (bad input: exit 2); says what it holds. */
export function checkDatasetSpec(spec: string): 'images' | 'points' {
  if (isPairsSpec(spec)) {
    if (spec.slice('pairs:'.length).trim() === '')
      throw new UsageError(
        "dataset 'pairs:' needs a folder after the colon: pairs:DIR (side-by-side A|B images) or pairs:A_DIR,B_DIR",
      );
    return 'images';
  }
  try {
    return readDatasetSpec(spec).opener.holds;
  } catch (err) {
    if (err instanceof UnknownDatasetError) throw unknownChoice('dataset', spec, err.known);
    throw new UsageError((err as Error).message);
  }
}

/** Opens a dataset; the ways it fails — "not installed", "no such file" — are bad input (exit 2). */
export async function openSpec(spec: string, options: OpenDatasetOptions = {}): Promise<OpenedDataset> {
  checkDatasetSpec(spec);
  try {
    return await openDataset(spec, options);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function checkImagesFit(data: OpenedImages, gan: GanDef): void {
  const { spec, shape, train } = data;
  if (shape.some((v, i) => v !== gan.dataShape[i])) {
    throw new UsageError(
      `dataset '${spec}' holds ${shape.join('×')} images but the model (${gan.architecture}) makes ` +
        `${gan.dataShape.join('×')}; pick a model of that size or data that fits`,
    );
  }
  if (gan.classes != null) {
    if (train.labels == null)
      throw new UsageError(
        `the model (${gan.architecture}) is class-conditional but dataset '${spec}' has no labels; use class subfolders or a labels file`,
      );
    if (train.classes.length > gan.classes)
      throw new UsageError(
        `dataset '${spec}' has ${train.classes.length} classes but the model (${gan.architecture}) has ${gan.classes}`,
      );
  }
}

function imageData(data: OpenedImages, gan: GanDef, batchSize: number, seed: number): RunData {
  checkImagesFit(data, gan);
  const { train, spec } = data;
  if (batchSize > train.count)
    throw new UsageError(
      `--batch-size ${batchSize} is more than the ${train.count} images of dataset '${spec}'; lower it`,
    );
  const range = (gan.dataRange ?? [0, 1]) as [0, 1] | [-1, 1];
  const labels = gan.classes != null ? 'int' : 'none';
  return {
    spec,
    kind: 'images',
    description: data.description,
    source: imageSource(new ImageBatcher(train, { batchSize, seed, range, labels })),
    evalImages: data.test,
    classNames: data.classes,
    extractor: data.extractor,
    stacked: data.stacked,
  };
}

/** `pairs:DIR` or `pairs:A_DIR,B_DIR`: a user's (source, target) pairs for image-to-image runs. */
export const isPairsSpec = (spec: string): boolean => spec.startsWith('pairs:');

/** Opens the data a config names, checked against the model it must feed. */
export async function openData(spec: string, gan: GanDef, batchSize: number, seed: number): Promise<RunData> {
  if (isPairsSpec(spec))
    throw new UsageError(
      `dataset '${spec}' holds (source, target) pairs, and ${gan.architecture} makes images from noise: train an image-to-image preset with it (e.g. pix2pix-edges2mnist with data.task { "kind": "given" })`,
    );
  const images = gan.dataShape.length === 3;
  if (!images && checkDatasetSpec(spec) === 'images') {
    // refused before anything is read
    const makes = gan.dataShape.length === 1 ? `${gan.dataShape[0]}-D points` : `[${gan.dataShape}]`;
    throw new UsageError(
      `dataset '${spec}' holds images but the model (${gan.architecture}) makes ${makes}; ` +
        'use a toy dataset (ring8, grid25, gauss1d) or an image preset',
    );
  }
  // image folders are resized (centre crop) to the model's size, grey where it makes one channel
  const [h = 0, w = 0, c] = gan.dataShape;
  const options: OpenDatasetOptions = images
    ? { seed, size: [h, w], channels: c === 1 ? 1 : 3, classes: gan.classes ?? 10 }
    : { seed };
  const data = await openSpec(spec, options);
  if (data.kind === 'images') return imageData(data, gan, batchSize, seed);
  const { distribution } = data;
  if (gan.dataShape.length !== 1 || gan.dataShape[0] !== distribution.dim) {
    throw new UsageError(
      `dataset '${spec}' gives ${distribution.dim}-D points but the model (${gan.architecture}) makes ` +
        `[${gan.dataShape}]; use an MLP model with dataDim ${distribution.dim}` +
        (spec in PRESETS ? ` (the ${spec} preset)` : ''),
    );
  }
  return {
    spec,
    kind: 'points',
    description: data.description,
    source: toySource(distribution, batchSize, seed),
    toy: distribution,
  };
}
