/**
 * Sample grids, as numbers: where each image of a batch goes, and the batch — any value range, 1 or 3 channels —
 * as the grid's RGBA pixels, each image pixel `scale` × `scale` screen pixels. Pure JavaScript (no DOM, no file
 * system): the CLI writes them as PNG files, the demo paints them on a canvas.
 */

export interface GridLayout {
  count: number;
  rows: number;
  cols: number;
  /** One image's height and width (pixels). */
  imageHeight: number;
  imageWidth: number;
  /** Pixels between images and around the grid. */
  gap: number;
  /** The whole grid at one pixel per image pixel. */
  width: number;
  height: number;
}

/**
 * `count` images of `[height, width]` in rows of `cols`, `gap` pixels apart and around; each image drawn `scale`
 * times its size.
 */
export function gridLayout(
  count: number,
  cols: number,
  imageShape: readonly number[],
  gap = 2,
  scale = 1,
): GridLayout {
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(`grid: scale must be a positive integer, got ${scale}`);
  const imageHeight = (imageShape[0] as number) * scale;
  const imageWidth = (imageShape[1] as number) * scale;
  const ints: [string, number][] = [
    ['count', count],
    ['cols', cols],
    ['image height', imageHeight],
    ['image width', imageWidth],
  ];
  for (const [name, v] of ints)
    if (!Number.isInteger(v) || v < 1) throw new Error(`grid: ${name} must be a positive integer, got ${v}`);
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`grid: gap must be a whole number, got ${gap}`);
  const rows = Math.ceil(count / cols);
  return {
    count,
    rows,
    cols,
    imageHeight,
    imageWidth,
    gap,
    width: cols * imageWidth + (cols + 1) * gap,
    height: rows * imageHeight + (rows + 1) * gap,
  };
}

/** The top-left pixel of image `i` (row-major: image i is in row ⌊i / cols⌋). */
export function cellOrigin(layout: GridLayout, i: number): [number, number] {
  const row = Math.floor(i / layout.cols);
  const col = i % layout.cols;
  return [
    layout.gap + col * (layout.imageWidth + layout.gap),
    layout.gap + row * (layout.imageHeight + layout.gap),
  ];
}

/** A value in `[lo, hi]` as a byte (clamped; NaN is black). */
export function toByte(v: number, lo: number, hi: number): number {
  const b = Math.round(((v - lo) / (hi - lo)) * 255);
  if (!(b >= 0)) return 0; // negative, or NaN
  return Math.min(b, 255);
}

export type Rgb = readonly [number, number, number];

/**
 * A batch `[n, h, w, c]` (row-major values, as `tensor.data()` gives them) as the RGBA pixels of its grid: one
 * channel as grey, three as RGB; `range` is what the generator outputs (tanh: [−1, 1]). Empty cells and gaps get
 * `background`.
 */
export function gridPixels(
  values: ArrayLike<number>,
  shape: readonly number[],
  range: readonly [number, number],
  layout: GridLayout,
  background: Rgb = [110, 110, 110],
): Uint8ClampedArray {
  const [n, h, w, c] = shape as [number, number, number, number];
  const scale = layout.imageHeight / h;
  if (shape.length !== 4 || !Number.isInteger(scale) || w * scale !== layout.imageWidth)
    throw new Error(
      `grid: images must be [n, ${layout.imageHeight}, ${layout.imageWidth}, channels] (or a whole fraction of ` +
        `that, drawn larger), got [${shape}]`,
    );
  if (values.length !== n * h * w * c)
    throw new Error(`grid: [${shape}] holds ${n * h * w * c} values, got ${values.length}`);
  if (c !== 1 && c !== 3) throw new Error(`grid: images need 1 or 3 channels, got ${c}`);
  const [lo, hi] = range;
  const out = new Uint8ClampedArray(layout.width * layout.height * 4);
  for (let p = 0; p < out.length; p += 4) {
    out[p] = background[0];
    out[p + 1] = background[1];
    out[p + 2] = background[2];
    out[p + 3] = 255;
  }
  const shown = Math.min(n, layout.count);
  for (let i = 0; i < shown; i++) {
    const [x0, y0] = cellOrigin(layout, i);
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const src = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
        const dst = ((y0 + y) * layout.width + x0 + x) * 4;
        const r = toByte(values[src]!, lo, hi);
        out[dst] = r;
        out[dst + 1] = c === 3 ? toByte(values[src + 1]!, lo, hi) : r;
        out[dst + 2] = c === 3 ? toByte(values[src + 2]!, lo, hi) : r;
      }
    }
  }
  return out;
}
