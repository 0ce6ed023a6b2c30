/**
 * What paired image-to-image tasks make of one image (values in [0, 1], `[h, w, c]` row-major): its edge map, a
 * hole mask, its area-averaged low-resolution copy, its luma. Pure functions of the image (and, for random masks,
 * a seeded stream), so that a batch is the same whenever it is drawn.
 */

/** Luma (ITU-R 601) of an `[h, w, c]` image; a grey image as it is. */
export function luma(image: Float32Array, h: number, w: number, c: number): Float32Array {
  if (c === 1) return image.slice();
  const out = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++)
    out[p] = 0.299 * image[p * c]! + 0.587 * image[p * c + 1]! + 0.114 * image[p * c + 2]!;
  return out;
}

export interface EdgeOptions {
  /** Sobel gradient magnitude (scaled to [0, 1]) above which a pixel is an edge (default 0.2). */
  threshold?: number;
  /** 1: lines as detected; 2 and 3: dilated by a 3×3 or 5×5 square (lines about 3 and 5 pixels wide). Default 1. */
  thickness?: number;
}

/**
 * The edge map of an image `[h, w, 1]`: 1 where the Sobel gradient magnitude of its luma (borders replicated),
 * divided by its largest possible value 4√2, exceeds `threshold`, then thickened.
 */
export function sobelEdges(
  image: Float32Array,
  h: number,
  w: number,
  c: number,
  options: EdgeOptions = {},
): Float32Array {
  const { threshold = 0.2, thickness = 1 } = options;
  const grey = luma(image, h, w, c);
  const at = (y: number, x: number) =>
    grey[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))]!;
  const edges = new Float32Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const gx =
        at(y - 1, x + 1) +
        2 * at(y, x + 1) +
        at(y + 1, x + 1) -
        at(y - 1, x - 1) -
        2 * at(y, x - 1) -
        at(y + 1, x - 1);
      const gy =
        at(y + 1, x - 1) +
        2 * at(y + 1, x) +
        at(y + 1, x + 1) -
        at(y - 1, x - 1) -
        2 * at(y - 1, x) -
        at(y - 1, x + 1);
      edges[y * w + x] = Math.hypot(gx, gy) / (4 * Math.SQRT2) > threshold ? 1 : 0;
    }
  return thickness <= 1 ? edges : dilate(edges, h, w, thickness - 1);
}

/** Max over a (2r + 1)² square. */
function dilate(mask: Float32Array, h: number, w: number, r: number): Float32Array {
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0;
      for (let dy = -r; dy <= r && v === 0; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w && mask[yy * w + xx] === 1) {
            v = 1;
            break;
          }
        }
      out[y * w + x] = v;
    }
  return out;
}

/** Area averaging by `factor` (each output pixel the mean of a factor × factor block): `[h/f, w/f, c]`. */
export function areaDownscale(
  image: Float32Array,
  h: number,
  w: number,
  c: number,
  factor: number,
): Float32Array {
  const oh = h / factor;
  const ow = w / factor;
  const out = new Float32Array(oh * ow * c);
  const n = factor * factor;
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let dy = 0; dy < factor; dy++)
          for (let dx = 0; dx < factor; dx++) s += image[((y * factor + dy) * w + x * factor + dx) * c + k]!;
        out[(y * ow + x) * c + k] = s / n;
      }
  return out;
}

/** Hole masks for inpainting: a centre square, random rectangles, or free-form brush strokes (DeepFill v2's kind). */
export type MaskKind = 'centre' | 'rectangles' | 'strokes';

/**
 * A hole mask `[h, w]` (1 in the hole): `centre`, a `size`-pixel square in the middle (default half the side);
 * `rectangles`, one to three axis-aligned rectangles with sides from ⅛ to ½ of the image; `strokes`, one to three
 * brush strokes of three to six straight segments, each ⅛ to ⅓ of the side long, 1 to 2.5 pixels in radius.
 * Random kinds draw from `u` (a seeded uniform stream).
 */
export function holeMask(kind: MaskKind, h: number, w: number, u: () => number, size?: number): Float32Array {
  const mask = new Float32Array(h * w);
  const fill = (y0: number, x0: number, y1: number, x1: number) => {
    for (let y = Math.max(0, y0); y < Math.min(h, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(w, x1); x++) mask[y * w + x] = 1;
  };
  const side = Math.min(h, w);
  if (kind === 'centre') {
    const s = size ?? Math.round(side / 2);
    const y0 = Math.floor((h - s) / 2);
    const x0 = Math.floor((w - s) / 2);
    fill(y0, x0, y0 + s, x0 + s);
    return mask;
  }
  const count = 1 + Math.floor(u() * 3);
  for (let i = 0; i < count; i++) {
    if (kind === 'rectangles') {
      const rh = Math.round(side / 8 + u() * (side / 2 - side / 8));
      const rw = Math.round(side / 8 + u() * (side / 2 - side / 8));
      const y0 = Math.floor(u() * (h - rh + 1));
      const x0 = Math.floor(u() * (w - rw + 1));
      fill(y0, x0, y0 + rh, x0 + rw);
      continue;
    }
    let y = u() * h;
    let x = u() * w;
    const radius = 1 + u() * 1.5;
    const segments = 3 + Math.floor(u() * 4);
    for (let s = 0; s < segments; s++) {
      const angle = u() * 2 * Math.PI;
      const length = side / 8 + u() * (side / 3 - side / 8);
      const steps = Math.ceil(length * 2);
      for (let t = 0; t <= steps; t++) {
        const cy = y + (Math.sin(angle) * length * t) / steps;
        const cx = x + (Math.cos(angle) * length * t) / steps;
        for (let yy = Math.floor(cy - radius); yy <= Math.ceil(cy + radius); yy++)
          for (let xx = Math.floor(cx - radius); xx <= Math.ceil(cx + radius); xx++)
            if (
              yy >= 0 &&
              yy < h &&
              xx >= 0 &&
              xx < w &&
              (yy + 0.5 - cy) ** 2 + (xx + 0.5 - cx) ** 2 <= radius ** 2
            )
              mask[yy * w + xx] = 1;
      }
      y = Math.min(h - 1, Math.max(0, y + Math.sin(angle) * length));
      x = Math.min(w - 1, Math.max(0, x + Math.cos(angle) * length));
    }
  }
  return mask;
}
