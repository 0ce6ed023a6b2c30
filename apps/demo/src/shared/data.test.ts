import { writeIdx } from '@gankit/datasets';
import { describe, expect, it } from 'vitest';
import { DataCache, fetchWithProgress, formatProgress, loadTrainingData } from './data.js';
import { allDataFiles, dataFiles } from './data-files.js';

const chunked = (bytes: Uint8Array, size: number, headers: Record<string, string> = {}) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
        controller.close();
      },
    }),
    { headers },
  );

describe('the data files', () => {
  it('are the train splits of MNIST and Fashion-MNIST, and their first test images, as gzipped IDX under data/', () => {
    expect(dataFiles('mnist')).toEqual({
      images: 'data/mnist-train-images.idx.gz',
      labels: 'data/mnist-train-labels.idx.gz',
    });
    expect(allDataFiles()).toEqual([
      'data/mnist-train-images.idx.gz',
      'data/mnist-train-labels.idx.gz',
      'data/mnist-test-images.idx.gz',
      'data/mnist-test-labels.idx.gz',
      'data/fashion-mnist-train-images.idx.gz',
      'data/fashion-mnist-train-labels.idx.gz',
      'data/fashion-mnist-test-images.idx.gz',
      'data/fashion-mnist-test-labels.idx.gz',
    ]);
  });
});

describe('fetching with progress', () => {
  it('collects the chunks and reports the bytes received', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const seen: [number, number | undefined][] = [];
    const out = await fetchWithProgress(
      'x',
      async () => chunked(bytes, 300, { 'content-length': '1000' }),
      (n, total) => seen.push([n, total]),
    );
    expect(out).toEqual(bytes);
    expect(seen).toEqual([
      [300, 1000],
      [600, 1000],
      [900, 1000],
      [1000, 1000],
    ]);
  });

  it('says which file is missing and where the data comes from', async () => {
    await expect(
      fetchWithProgress(
        '/data/mnist-train-images.idx.gz',
        async () => new Response('no', { status: 404 }),
        () => {},
      ),
    ).rejects.toThrow(
      /\/data\/mnist-train-images.idx.gz: HTTP 404 — the demo serves its training data itself/,
    );
  });

  it('hands a bad file to datasetFromIdx, whose checks name it', async () => {
    const labels = await writeIdx(
      { dtype: 'uint8', shape: [3], data: Uint8Array.from([0, 1, 2]) },
      { gzip: true },
    );
    const images = await writeIdx(
      { dtype: 'uint8', shape: [2, 28, 28], data: new Uint8Array(2 * 784) },
      { gzip: true },
    );
    const phases: string[] = [];
    await expect(
      loadTrainingData('mnist', {
        base: '/site/',
        fetch: async (url) => {
          expect(url.startsWith('/site/data/mnist-train-')).toBe(true);
          return chunked(url.includes('images') ? images : labels, 64);
        },
        onProgress: (p) => phases.push(p.phase),
      }),
    ).rejects.toThrow(/2 images but 3 labels/);
    expect(phases.at(-1)).toBe('decoding');
    expect(phases).toContain('fetching');
  });

  it('formats progress', () => {
    expect(formatProgress({ phase: 'fetching', loaded: 3.2e6, total: 9.8e6 })).toBe('fetching 3.2 / 9.8 MB…');
    expect(formatProgress({ phase: 'fetching', loaded: 3.2e6 })).toBe('fetching 3.2 MB…');
    expect(formatProgress({ phase: 'fetching', loaded: 12e6, total: 9.8e6 })).toBe('fetching 12.0 MB…');
    expect(formatProgress({ phase: 'decoding', loaded: 9.8e6 })).toBe('decoding 9.8 MB of gzipped IDX…');
  });
});

describe('DataCache', () => {
  it('loads a dataset once, and again after a failure', async () => {
    let calls = 0;
    const cache = new DataCache(async (name) => {
      calls++;
      if (calls === 1) throw new Error('offline');
      return { name } as never;
    });
    await expect(cache.get('mnist')).rejects.toThrow('offline');
    expect(cache.has('mnist')).toBe(false);
    const [a, b] = await Promise.all([cache.get('mnist'), cache.get('mnist')]);
    expect(a).toBe(b);
    expect(calls).toBe(2);
  });
});
