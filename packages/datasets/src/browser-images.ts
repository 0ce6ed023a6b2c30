import type { ImageDataset } from './image-dataset.js';

/**
 * Images chosen by a visitor (File objects, or any Blobs) as a dataset, decoded by the browser with
 * createImageBitmap and drawn into an OffscreenCanvas at `size` (centre-cropped to its aspect first), greyscale or
 * RGB. Labels are the `label` given per file, if any.
 */
export async function datasetFromImageFiles(
  files: { blob: Blob; name: string; label?: number }[],
  options: { size: [number, number]; channels?: 1 | 3; classes?: string[]; name?: string },
): Promise<ImageDataset> {
  const { size, channels = 3, classes = [], name = 'images' } = options;
  if (files.length === 0) throw new Error('datasetFromImageFiles: no images were given');
  const [h, w] = size;
  const images = new Uint8Array(files.length * h * w * channels);
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx == null) throw new Error('datasetFromImageFiles: this browser gives no 2-D canvas context');
  for (const [i, f] of files.entries()) {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(f.blob);
    } catch (err) {
      throw new Error(`${f.name}: not a readable image (${(err as Error).message})`);
    }
    const scale = Math.max(w / bitmap.width, h / bitmap.height);
    const sw = w / scale;
    const sh = h / scale;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(bitmap, (bitmap.width - sw) / 2, (bitmap.height - sh) / 2, sw, sh, 0, 0, w, h);
    bitmap.close();
    const rgba = ctx.getImageData(0, 0, w, h).data;
    for (let p = 0; p < h * w; p++) {
      const [r, g, b] = [rgba[4 * p]!, rgba[4 * p + 1]!, rgba[4 * p + 2]!];
      if (channels === 1) images[i * h * w + p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else images.set([r, g, b], (i * h * w + p) * 3);
    }
  }
  const labelled = files.every((f) => f.label != null);
  return {
    name,
    split: 'all',
    images,
    labels: labelled ? Uint8Array.from(files, (f) => f.label!) : undefined,
    count: files.length,
    shape: [h, w, channels],
    classes,
    source: `${files.length} browser files`,
  };
}

/** Fetches an IDX file (plain or gzipped) — e.g. MNIST served by the demo — and returns its bytes. */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}
