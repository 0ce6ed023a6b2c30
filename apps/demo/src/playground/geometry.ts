/**
 * The plane's geometry: the world ↔ canvas transform, the grid D is evaluated on (the heatmap), the grid of latent
 * space G maps (the manifold), colours for D's outputs, and the gradient arrows. Pure functions of arrays.
 */

/** Maps the square [−extent, extent]² onto a `size` × `size` canvas, y up. */
export class Viewport {
  constructor(
    readonly extent: number,
    readonly size: number,
  ) {
    if (!(extent > 0) || !(size > 0)) throw new Error(`viewport: extent and size must be positive`);
  }
  /** Canvas pixels per world unit. */
  get scale(): number {
    return this.size / (2 * this.extent);
  }
  toCanvas(x: number, y: number): [number, number] {
    return [(x + this.extent) * this.scale, (this.extent - y) * this.scale];
  }
  toWorld(px: number, py: number): [number, number] {
    return [px / this.scale - this.extent, this.extent - py / this.scale];
  }
  contains(x: number, y: number): boolean {
    return Math.abs(x) <= this.extent && Math.abs(y) <= this.extent;
  }
}

/**
 * The centres of an `n` × `n` grid of cells over [−extent, extent]², row-major from the top row (largest y) so
 * that value i is pixel (i mod n, ⌊i / n⌋) of an n × n image. Returns `[n·n, 2]` row-major.
 */
export function heatmapGrid(extent: number, n: number): Float32Array {
  const out = new Float32Array(n * n * 2);
  const cell = (2 * extent) / n;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const i = row * n + col;
      out[2 * i] = -extent + (col + 0.5) * cell;
      out[2 * i + 1] = extent - (row + 0.5) * cell;
    }
  }
  return out;
}

/**
 * An `n` × `n` grid of latent points over [−range, range]² (z ~ N(0, 1): ±2 holds 95% of each coordinate),
 * row-major: point (i, j) is index i·n + j with z = (u_j, u_i).
 */
export function latentGrid(n: number, range = 2): Float32Array {
  if (!Number.isInteger(n) || n < 2) throw new Error(`latentGrid: n must be an integer ≥ 2, got ${n}`);
  const out = new Float32Array(n * n * 2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      out[2 * k] = -range + (2 * range * j) / (n - 1);
      out[2 * k + 1] = -range + (2 * range * i) / (n - 1);
    }
  }
  return out;
}

/** The polylines of an `n` × `n` grid as point indices: n rows, then n columns. */
export function gridLines(n: number): number[][] {
  const lines: number[][] = [];
  for (let i = 0; i < n; i++) lines.push(Array.from({ length: n }, (_, j) => i * n + j));
  for (let j = 0; j < n; j++) lines.push(Array.from({ length: n }, (_, i) => i * n + j));
  return lines;
}

/**
 * D's outputs on the grid as levels in [0, 1] for colouring: σ(logit) — the probability of "real" — for the
 * classifier losses; for critics (least-squares, Wasserstein, hinge) a min-max normalisation over the grid, since
 * only their relative values mean something (a constant critic is 0.5 everywhere).
 */
export function heatLevels(values: ArrayLike<number>, outputs: 'logits' | 'critic'): Float32Array {
  const out = new Float32Array(values.length);
  if (outputs === 'logits') {
    for (let i = 0; i < values.length; i++) out[i] = 1 / (1 + Math.exp(-values[i]!));
    return out;
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = !Number.isFinite(v) || !(span > 1e-12) ? 0.5 : (v - lo) / span;
  }
  return out;
}

export type Rgb = readonly [number, number, number];

/** GAN Lab's colours: purple where D says "fake", green where it says "real", white where it cannot tell. */
export const FAKE_COLOR: Rgb = [142, 68, 173];
export const REAL_COLOR: Rgb = [39, 174, 96];
const NEUTRAL: Rgb = [250, 250, 250];

/** The colour of level t ∈ [0, 1] (0 fake, ½ neutral, 1 real), softened so points stay visible on top. */
export function levelColor(t: number, strength = 0.55): Rgb {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
  const toward = u < 0.5 ? FAKE_COLOR : REAL_COLOR;
  const w = Math.abs(u - 0.5) * 2 * strength;
  return [0, 1, 2].map((k) => Math.round(NEUTRAL[k]! + (toward[k]! - NEUTRAL[k]!) * w)) as unknown as Rgb;
}

/** An n × n RGBA image of the levels (for `ImageData`), row 0 at the top. */
export function heatmapPixels(levels: ArrayLike<number>, n: number): Uint8ClampedArray<ArrayBuffer> {
  if (levels.length !== n * n)
    throw new Error(`heatmapPixels: ${levels.length} levels for a ${n}×${n} image`);
  const px = new Uint8ClampedArray(n * n * 4);
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = levelColor(levels[i]!);
    px[4 * i] = r;
    px[4 * i + 1] = g;
    px[4 * i + 2] = b;
    px[4 * i + 3] = 255;
  }
  return px;
}

/** Arrows in world units: from each point, along `directions`, the longest `maxLength` long. */
export interface Arrow {
  x: number;
  y: number;
  dx: number;
  dy: number;
}

/**
 * Scales direction vectors (e.g. −∂L_G/∂x at each fake) to arrows: lengths relative to the largest, which gets
 * `maxLength`, so that where D pushes hardest stands out. Non-finite directions give no arrow.
 */
export function arrows(points: ArrayLike<number>, directions: ArrayLike<number>, maxLength: number): Arrow[] {
  if (points.length !== directions.length)
    throw new Error(`arrows: ${points.length / 2} points and ${directions.length / 2} directions`);
  let longest = 0;
  for (let i = 0; i < directions.length; i += 2) {
    const norm = Math.hypot(directions[i]!, directions[i + 1]!);
    if (Number.isFinite(norm) && norm > longest) longest = norm;
  }
  const out: Arrow[] = [];
  const k = longest > 0 ? maxLength / longest : 0;
  for (let i = 0; i < points.length; i += 2) {
    const dx = directions[i]! * k;
    const dy = directions[i + 1]! * k;
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) continue;
    out.push({ x: points[i]!, y: points[i + 1]!, dx, dy });
  }
  return out;
}
