/**
 * The idx-data plugin: it makes the demo's training data from the npm packages (in a Node process of its own),
 * the page's loader decodes it to the right counts, and the dev server serves the same bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { labelCounts } from '@gankit/datasets';
import { createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idxData } from '../plugins/idx-data.js';
import { loadTrainingData } from '../src/images/data.js';
import { allDataFiles } from '../src/images/data-files.js';

const root = resolve(import.meta.dirname, '..');
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
const load = (name: 'mnist' | 'fashion-mnist') =>
  loadTrainingData(name, {
    fetch: async (url) => {
      const bytes = files.get(url.replace(/^\//, ''));
      return bytes ? new Response(bytes as BodyInit) : new Response('missing', { status: 404 });
    },
  });

describe('the idx-data plugin', () => {
  it('makes the four gzipped IDX files, once', async () => {
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
