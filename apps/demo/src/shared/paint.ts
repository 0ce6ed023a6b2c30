/**
 * Paints a sample grid (the pixels of @gankit/datasets' `gridPixels`) on a canvas: scaled up without smoothing,
 * with row labels.
 */
import type { GridLayout } from '@gankit/datasets';

export interface PaintOptions {
  /** Canvas pixels per image pixel (an integer keeps the pixels square and sharp). */
  scale: number;
  /** A label left of each row (e.g. the class it was asked for). */
  rowLabels?: readonly string[];
  /** Width of the label column (canvas pixels). */
  labelWidth?: number;
}

export function paintGrid(
  canvas: HTMLCanvasElement,
  pixels: Uint8ClampedArray,
  layout: GridLayout,
  options: PaintOptions,
): void {
  const { scale } = options;
  const labelWidth = options.rowLabels ? (options.labelWidth ?? 84) : 0;
  const width = labelWidth + layout.width * scale;
  const height = layout.height * scale;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (ctx == null) return;
  const native = document.createElement('canvas');
  native.width = layout.width;
  native.height = layout.height;
  native
    .getContext('2d')
    ?.putImageData(new ImageData(pixels as ImageDataArray, layout.width, layout.height), 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(native, labelWidth, 0, layout.width * scale, height);
  if (options.rowLabels) {
    ctx.fillStyle = '#333';
    ctx.font = '13px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    options.rowLabels.slice(0, layout.rows).forEach((label, row) => {
      const y = (layout.gap + row * (layout.imageHeight + layout.gap) + layout.imageHeight / 2) * scale;
      ctx.fillText(label, labelWidth - 6, y, labelWidth - 8);
    });
  }
}
