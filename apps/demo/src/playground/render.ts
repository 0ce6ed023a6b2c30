/**
 * Paints the plane: D's heatmap, G's manifold (the warped latent grid), real and fake samples, the gradient arrows
 * on the fakes, and the visitor's points. Only drawing: the numbers come from geometry.ts and a Snapshot.
 */
import {
  type Arrow,
  arrows,
  FAKE_COLOR,
  gridLines,
  heatLevels,
  heatmapPixels,
  REAL_COLOR,
  type Rgb,
  Viewport,
} from './geometry.js';
import type { Snapshot } from './session.js';

export interface LayerToggles {
  heatmap: boolean;
  manifold: boolean;
  reals: boolean;
  fakes: boolean;
  arrows: boolean;
}

export const DEFAULT_LAYERS: LayerToggles = {
  heatmap: true,
  manifold: true,
  reals: true,
  fakes: true,
  arrows: true,
};

export interface Scene {
  extent: number;
  snapshot: Snapshot | undefined;
  reals: Float32Array | undefined;
  /** Real points drawn (at most this many). */
  realsShown: number;
  points: number[][];
  layers: LayerToggles;
  /** Text over an empty plane (e.g. "click to place points"). */
  hint?: string;
}

const rgba = (c: Rgb, a: number) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${a})`;

/** Sizes `canvas` to its CSS box at the device pixel ratio; returns its CSS size. */
export function fitCanvas(canvas: HTMLCanvasElement): number {
  const size = Math.max(1, Math.round(canvas.clientWidth || canvas.width));
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  const px = Math.round(size * dpr);
  if (canvas.width !== px || canvas.height !== px) {
    canvas.width = px;
    canvas.height = px;
  }
  return size;
}

export class PlaneRenderer {
  private heatCanvas: HTMLCanvasElement | undefined;
  private heatFor: Snapshot | undefined;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** The view for the current canvas size and `extent` (for hit-testing clicks too). */
  viewport(extent: number): Viewport {
    return new Viewport(extent, Math.max(1, this.canvas.clientWidth || this.canvas.width));
  }

  draw(scene: Scene): void {
    const ctx = this.canvas.getContext('2d');
    if (ctx == null) return;
    const size = fitCanvas(this.canvas);
    const dpr = this.canvas.width / size;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const view = new Viewport(scene.extent, size);
    const { snapshot, layers } = scene;
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, size, size);
    if (snapshot && layers.heatmap) this.drawHeatmap(ctx, snapshot, size);
    drawAxes(ctx, view);
    if (snapshot && layers.manifold) drawManifold(ctx, view, snapshot);
    if (scene.reals && layers.reals) {
      const n = Math.min(scene.realsShown, scene.reals.length / 2);
      drawDots(ctx, view, scene.reals.subarray(0, 2 * n), rgba(REAL_COLOR, 0.55), 1.6);
    }
    if (snapshot && layers.fakes) drawDots(ctx, view, snapshot.fakes, rgba(FAKE_COLOR, 0.7), 1.8);
    if (snapshot && layers.arrows) {
      const nArrows = snapshot.pushes.length / 2;
      const from = snapshot.fakes.subarray(0, nArrows * 2);
      drawArrows(ctx, view, arrows(from, snapshot.pushes, scene.extent * 0.14));
    }
    for (const [x, y] of scene.points) {
      const [px, py] = view.toCanvas(x!, y!);
      ctx.beginPath();
      ctx.arc(px, py, 4, 0, 2 * Math.PI);
      ctx.fillStyle = rgba(REAL_COLOR, 0.9);
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    if (scene.hint) {
      ctx.fillStyle = 'rgba(40, 40, 40, 0.75)';
      ctx.font = '14px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(scene.hint, size / 2, size / 2);
    }
  }

  private drawHeatmap(ctx: CanvasRenderingContext2D, snapshot: Snapshot, size: number): void {
    const n = snapshot.sizes.heatmap;
    if (this.heatFor !== snapshot) {
      this.heatCanvas ??= document.createElement('canvas');
      this.heatCanvas.width = n;
      this.heatCanvas.height = n;
      const hctx = this.heatCanvas.getContext('2d');
      if (hctx == null) return;
      const pixels = heatmapPixels(heatLevels(snapshot.heat, snapshot.outputs), n);
      hctx.putImageData(new ImageData(pixels, n, n), 0, 0);
      this.heatFor = snapshot;
    }
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(this.heatCanvas!, 0, 0, size, size);
  }
}

function drawAxes(ctx: CanvasRenderingContext2D, view: Viewport): void {
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.12)';
  ctx.lineWidth = 1;
  const [ox, oy] = view.toCanvas(0, 0);
  ctx.beginPath();
  ctx.moveTo(0, oy);
  ctx.lineTo(view.size, oy);
  ctx.moveTo(ox, 0);
  ctx.lineTo(ox, view.size);
  ctx.stroke();
}

function drawManifold(ctx: CanvasRenderingContext2D, view: Viewport, snapshot: Snapshot): void {
  const n = snapshot.sizes.manifold;
  const m = snapshot.manifold;
  ctx.strokeStyle = 'rgba(60, 60, 60, 0.35)';
  ctx.lineWidth = 0.8;
  ctx.beginPath();
  for (const line of gridLines(n)) {
    line.forEach((k, i) => {
      const [px, py] = view.toCanvas(m[2 * k]!, m[2 * k + 1]!);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
  }
  ctx.stroke();
}

function drawDots(
  ctx: CanvasRenderingContext2D,
  view: Viewport,
  points: ArrayLike<number>,
  color: string,
  r: number,
): void {
  ctx.fillStyle = color;
  ctx.beginPath();
  for (let i = 0; i < points.length; i += 2) {
    const [px, py] = view.toCanvas(points[i]!, points[i + 1]!);
    ctx.moveTo(px + r, py);
    ctx.arc(px, py, r, 0, 2 * Math.PI);
  }
  ctx.fill();
}

function drawArrows(ctx: CanvasRenderingContext2D, view: Viewport, list: Arrow[]): void {
  ctx.strokeStyle = 'rgba(214, 39, 40, 0.75)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const a of list) {
    const [x0, y0] = view.toCanvas(a.x, a.y);
    const [x1, y1] = view.toCanvas(a.x + a.dx, a.y + a.dy);
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 1.5) continue;
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    const head = Math.min(4, len * 0.4);
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - head * (ux - uy * 0.5), y1 - head * (uy + ux * 0.5));
    ctx.moveTo(x1, y1);
    ctx.lineTo(x1 - head * (ux + uy * 0.5), y1 - head * (uy - ux * 0.5));
  }
  ctx.stroke();
}
