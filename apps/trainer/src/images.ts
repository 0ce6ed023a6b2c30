import { gridLayout, gridPixels } from '@gankit/datasets';
import { PNG } from 'pngjs';

/** An RGBA canvas in memory, written as PNG with pngjs. */
export class Canvas {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: [number, number, number] = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) this.data.set([...background, 255], i * 4);
  }

  set(x: number, y: number, rgb: readonly [number, number, number], alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 4;
    for (let k = 0; k < 3; k++)
      this.data[i + k] = Math.round(this.data[i + k]! * (1 - alpha) + rgb[k]! * alpha);
  }

  png(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png);
  }
}

/**
 * Tiles `n` images (`[n, h, w, c]` row-major floats in `range`) into a grid `columns` wide with a 2-pixel gutter
 * (@gankit/datasets' sample grid); grey images stay grey, 3-channel images are RGB.
 */
export function imageGrid(
  pixels: Float32Array,
  shape: readonly [number, number, number, number],
  columns: number,
  range: readonly [number, number],
  scale = 1,
): Canvas {
  const layout = gridLayout(shape[0], columns, [shape[1], shape[2]], 2, scale);
  const canvas = new Canvas(layout.width, layout.height);
  canvas.data.set(gridPixels(pixels, shape, range, layout, [40, 40, 40]));
  return canvas;
}

const REAL: [number, number, number] = [120, 120, 120];
const FAKE: [number, number, number] = [220, 50, 47];

/**
 * 2-D points: real samples in grey, generated in red, on a square plot of `[-extent, extent]²` with axes;
 * 1-D points: the two histograms overlaid.
 */
export function scatterPlot(
  real: Float32Array,
  fake: Float32Array,
  dim: number,
  extent: number,
  size = 400,
): Canvas {
  const canvas = new Canvas(size, size);
  const px = (v: number) => ((v + extent) / (2 * extent)) * (size - 1);
  for (let i = 0; i < size; i++) {
    canvas.set(i, size / 2, [220, 220, 220]);
    canvas.set(size / 2, i, [220, 220, 220]);
  }
  if (dim === 2) {
    const dot = (pts: Float32Array, rgb: [number, number, number], alpha: number) => {
      for (let i = 0; i + 1 < pts.length; i += 2) {
        const x = px(pts[i]!);
        const y = size - 1 - px(pts[i + 1]!);
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) canvas.set(x + dx, y + dy, rgb, alpha);
      }
    };
    dot(real, REAL, 0.3);
    dot(fake, FAKE, 0.5);
    return canvas;
  }
  // 1-D: histograms of real and generated values on the same axis
  const bins = 100;
  const hist = (pts: Float32Array) => {
    const h = new Float64Array(bins);
    for (const v of pts)
      h[Math.max(0, Math.min(bins - 1, Math.floor(((v + extent) / (2 * extent)) * bins)))]! += 1;
    return h;
  };
  const hr = hist(real);
  const hf = hist(fake);
  const top = Math.max(...hr, ...hf, 1);
  const binW = size / bins;
  for (const [h, rgb, alpha] of [
    [hr, REAL, 0.5],
    [hf, FAKE, 0.5],
  ] as const) {
    for (let b = 0; b < bins; b++) {
      const height = (h[b]! / top) * (size - 20);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < binW; x++) canvas.set(b * binW + x, size - 1 - y, rgb, alpha);
    }
  }
  return canvas;
}
