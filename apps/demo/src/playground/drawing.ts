/**
 * "Draw your own": clicks and drags on the plane place points (world coordinates, a drag leaving a trail spaced
 * `DRAG_SPACING` apart). The drawing runs ahead of the session, which restarts on it after a pause in drawing.
 */

import { debounce } from '../shared/scheduler.js';
import type { Viewport } from './geometry.js';

/** Drawn points closer than this (world units) to the previous one of a drag are not added. */
const DRAG_SPACING = 0.12;
const MAX_POINTS = 64;
/** How long drawing must pause before the session restarts on the points (ms). */
const SETTLE_MS = 350;

export interface DrawingOptions {
  /** Whether the playground is on "draw your own". */
  active(): boolean;
  /** The plane's viewport (canvas pixels ↔ world). */
  viewport(): Viewport;
  /** A point was added (repaint). */
  added(points: readonly number[][]): void;
  /** Drawing has paused: train on these points. */
  settled(points: number[][]): void;
}

export class Drawing {
  points: number[][];
  private dragging = false;
  private readonly settle: ReturnType<typeof debounce<[]>>;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    initial: readonly number[][],
    private readonly options: DrawingOptions,
  ) {
    this.points = [...initial];
    this.settle = debounce(() => options.settled([...this.points]), SETTLE_MS);
    canvas.addEventListener('pointerdown', (ev) => {
      this.dragging = true;
      canvas.setPointerCapture?.(ev.pointerId);
      this.add(ev, true);
    });
    canvas.addEventListener('pointermove', (ev) => {
      if (this.dragging) this.add(ev, false);
    });
    const stop = () => {
      this.dragging = false;
    };
    canvas.addEventListener('pointerup', stop);
    canvas.addEventListener('pointercancel', stop);
  }

  /** Forgets the points (and a restart still pending on them). */
  clear(): void {
    this.points = [];
    this.settle.cancel();
  }

  dispose(): void {
    this.settle.cancel();
  }

  private add(ev: PointerEvent, force: boolean): void {
    if (!this.options.active() || this.points.length >= MAX_POINTS) return;
    const rect = this.canvas.getBoundingClientRect();
    const view = this.options.viewport();
    const [x, y] = view.toWorld(ev.clientX - rect.left, ev.clientY - rect.top);
    if (!view.contains(x, y)) return;
    const last = this.points[this.points.length - 1];
    if (!force && last && Math.hypot(x - last[0]!, y - last[1]!) < DRAG_SPACING) return;
    this.points.push([Number(x.toFixed(3)), Number(y.toFixed(3))]);
    this.options.added(this.points);
    this.settle();
  }
}
