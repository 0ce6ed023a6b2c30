/**
 * A drawing pad: a canvas over a grid of cells that the pointer (mouse, pen or touch) paints with a round brush, and
 * the canvases that show images beside it — each pixel a square block, no smoothing.
 */
import { h } from '../shared/dom.js';
import { type Brush, type Point, paintSegment } from './strokes.js';
import type { UnitImage } from './translator.js';

/** Every canvas of the view is this many CSS pixels across. */
export const DISPLAY = 224;

export class DrawingPad {
  readonly canvas: HTMLCanvasElement;
  brush: Brush = { radius: 0, value: 1 };
  private last: Point | undefined;
  /** The pointer drawing now (one at a time: a second finger does not join its stroke). */
  private pointer: number | undefined;

  /**
   * `cells()`: the `[h, w]` values the brush paints (read at each stroke, so the view can swap them);
   * `onStroke`: after cells changed during a drag, and once when the drag ends (`done`).
   */
  constructor(
    label: string,
    private readonly cells: () => { values: Float32Array; h: number; w: number } | undefined,
    private readonly onStroke: (done: boolean) => void,
  ) {
    this.canvas = h('canvas', {
      testid: 'translate-pad',
      class: 'pad',
      width: DISPLAY,
      height: DISPLAY,
      role: 'img',
      'aria-label': label,
    });
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || this.pointer != null) return;
      c.setPointerCapture(e.pointerId);
      this.pointer = e.pointerId;
      this.last = undefined;
      this.paint(e);
      e.preventDefault();
    });
    c.addEventListener('pointermove', (e) => {
      if (e.pointerId === this.pointer) this.paint(e);
    });
    const end = (e: PointerEvent) => {
      if (e.pointerId !== this.pointer) return;
      this.pointer = undefined;
      this.last = undefined;
      this.onStroke(true);
    };
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'] as const)
      c.addEventListener(type, end);
  }

  private paint(e: PointerEvent): void {
    const grid = this.cells();
    if (grid == null) return;
    // the canvas's content box: its border is not part of the grid
    const c = this.canvas;
    const rect = c.getBoundingClientRect();
    const at = {
      x: ((e.clientX - rect.left - c.clientLeft) / c.clientWidth) * grid.w,
      y: ((e.clientY - rect.top - c.clientTop) / c.clientHeight) * grid.h,
    };
    const changed = paintSegment(grid.values, grid.h, grid.w, this.last, at, this.brush);
    this.last = at;
    if (changed) this.onStroke(false);
  }
}

/** An image in [0, 1] as RGBA pixels; `hole` (1 in the hole) tinted red over the image. */
export function toRgba(image: UnitImage, hole?: Float32Array): Uint8ClampedArray {
  const [h, w, c] = image.shape;
  const out = new Uint8ClampedArray(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    const v = (k: number) => image.values[p * c + (c === 1 ? 0 : k)]! * 255;
    const inHole = hole?.[p] === 1;
    out[p * 4] = inHole ? 200 : v(0);
    out[p * 4 + 1] = inHole ? 40 + v(1) * 0.2 : v(1);
    out[p * 4 + 2] = inHole ? 60 + v(2) * 0.2 : v(2);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** Paints RGBA pixels of `w` × `h` on `canvas`, scaled to DISPLAY without smoothing. */
export function paintPixels(
  canvas: HTMLCanvasElement,
  pixels: Uint8ClampedArray,
  w: number,
  h: number,
): void {
  const ctx = canvas.getContext('2d');
  if (ctx == null) return;
  const native = document.createElement('canvas');
  native.width = w;
  native.height = h;
  native.getContext('2d')?.putImageData(new ImageData(pixels as ImageDataArray, w, h), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(native, 0, 0, canvas.width, canvas.height);
}

/** An image (and a hole over it) on `canvas`. */
export function paintImage(canvas: HTMLCanvasElement, image: UnitImage, hole?: Float32Array): void {
  paintPixels(canvas, toRgba(image, hole), image.shape[1], image.shape[0]);
}
