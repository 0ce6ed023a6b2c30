/**
 * Small line charts on canvases: the scale math is pure (and tested); `drawChart` only paints what it computes.
 */
import type { Series } from './history.js';

/** Round tick values covering [lo, hi], about `count` of them (1, 2, 5 × 10ⁿ steps). */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  // d3's rule: the 1, 2 or 5 × 10ⁿ step nearest (geometrically) to the raw step
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step =
    power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

/** The y-range of the finite values of some series, padded; `fixed` bounds win where given. */
export function valueRange(
  series: readonly Readonly<Series>[],
  fixed: { min?: number; max?: number } = {},
): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const v of s.y) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Number.POSITIVE_INFINITY) {
    lo = 0;
    hi = 1;
  }
  const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.1, 0.5);
  const min = fixed.min ?? lo - pad;
  const max = fixed.max ?? Math.max(hi + pad, min + 1e-9);
  return [min, max];
}

/** The x-range of some series (at least 1 wide). */
export function stepRange(series: readonly Readonly<Series>[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    if (s.x.length === 0) continue;
    lo = Math.min(lo, s.x[0]!);
    hi = Math.max(hi, s.x[s.x.length - 1]!);
  }
  if (lo === Number.POSITIVE_INFINITY) return [0, 1];
  return [lo, Math.max(hi, lo + 1)];
}

/** Linear map from [d0, d1] to [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A short label for a tick: 1200 → "1.2k", 0.05 → "0.05". */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (a >= 1000) return `${Number((v / 1e3).toPrecision(2))}k`;
  if (a === 0) return '0';
  return String(Number(v.toPrecision(3)));
}

export interface ChartLine {
  series: Readonly<Series>;
  color: string;
  label: string;
}

export interface ChartOptions {
  title: string;
  lines: ChartLine[];
  y?: { min?: number; max?: number };
  /** Draw the series as steps (integer counts) rather than lines. */
  steps?: boolean;
}

/** Paints a chart on `canvas` (CSS size × devicePixelRatio). */
export function drawChart(canvas: HTMLCanvasElement, options: ChartOptions): void {
  const ctx = canvas.getContext('2d');
  if (ctx == null) return;
  const w = canvas.clientWidth || canvas.width;
  const h = canvas.clientHeight || canvas.height;
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const box: Box = { left: 38, right: w - 8, top: 18, bottom: h - 18 };
  const series = options.lines.map((l) => l.series);
  const [y0, y1] = valueRange(series, options.y);
  const [x0, x1] = stepRange(series);
  const sx = linear(x0, x1, box.left, box.right);
  const sy = linear(y0, y1, box.bottom, box.top);
  drawAxes(ctx, box, [x0, x1, sx], [y0, y1, sy]);
  drawLegend(ctx, box, options);
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top - 2, box.right - box.left, box.bottom - box.top + 4);
  ctx.clip();
  for (const line of options.lines) drawLine(ctx, line, sx, sy, options.steps === true);
  ctx.restore();
}

/** The plot area in CSS pixels. */
interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

type Axis = [lo: number, hi: number, scale: (v: number) => number];

/** Horizontal grid lines with the y ticks' labels, and the x ticks' labels under the plot. */
function drawAxes(ctx: CanvasRenderingContext2D, box: Box, [x0, x1, sx]: Axis, [y0, y1, sy]: Axis): void {
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#555';
  ctx.strokeStyle = '#e4e4e4';
  ctx.lineWidth = 1;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  for (const t of niceTicks(y0, y1, 3)) {
    const y = Math.round(sy(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(box.left, y);
    ctx.lineTo(box.right, y);
    ctx.stroke();
    ctx.fillText(formatTick(t), box.left - 4, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(x0, x1, 4)) ctx.fillText(formatTick(t), sx(t), box.bottom + 4);
}

/** The title at the top left, the lines' labels in their colours at the top right. */
function drawLegend(ctx: CanvasRenderingContext2D, box: Box, options: ChartOptions): void {
  ctx.textAlign = 'left';
  ctx.fillStyle = '#222';
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.fillText(options.title, box.left, 2);
  let legendX = box.right;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'right';
  for (const line of [...options.lines].reverse()) {
    ctx.fillStyle = line.color;
    ctx.fillText(line.label, legendX, 3);
    legendX -= ctx.measureText(line.label).width + 10;
  }
}

/** One series; a non-finite value breaks the line. */
function drawLine(
  ctx: CanvasRenderingContext2D,
  line: ChartLine,
  sx: (v: number) => number,
  sy: (v: number) => number,
  steps: boolean,
): void {
  const { x, y } = line.series;
  ctx.strokeStyle = line.color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < x.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    const px = sx(x[i]!);
    const py = sy(v);
    if (!pen) ctx.moveTo(px, py);
    else if (steps) {
      ctx.lineTo(px, sy(y[i - 1]!));
      ctx.lineTo(px, py);
    } else ctx.lineTo(px, py);
    pen = true;
  }
  ctx.stroke();
}
