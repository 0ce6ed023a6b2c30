/**
 * One image of the user's made into an image-to-image generator's source the way its training task made them — the
 * trainer's `gankit translate` and the demo's drawing pads share it — and bicubic upscaling, the baseline a
 * super-resolution result is shown beside.
 */
import { areaDownscale } from './paired-transforms.js';

/** The task a translator was trained on, as its manifest records it (`given` and `grey` take the image as it is). */
export interface SourceTask {
  kind: string;
  /** `downscale`: 2 or 4. */
  factor?: number;
}

/**
 * A translator's source `[h', w', c']` in `range`, from an image in [0, 1] (`[h, w, c]` row-major): for `downscale`,
 * the image at the target size, area-averaged by the factor (as its low-resolution sources were made); for `edges`,
 * an edge map binarised at half intensity (edges white, as Sobel maps are 1 on edges); for `inpaint`, the image with
 * the hole (`mask`, `[h, w]`, 1 in the hole) set to 0 in the range and the mask appended as a last channel.
 *
 * @example
 * // a 28×28 digit (values in [0, 1]) for a ×4 super-resolution generator: its 7×7 source in [−1, 1]
 * const { values, shape } = translationSource({ kind: 'downscale', factor: 4 }, digit, [28, 28, 1], [-1, 1]);
 */
export function translationSource(
  task: SourceTask,
  image: Float32Array,
  shape: readonly [number, number, number],
  range: readonly [number, number],
  mask?: Float32Array,
): { values: Float32Array; shape: [number, number, number] } {
  let [h, w, c] = shape;
  if (image.length !== h * w * c)
    throw new Error(`the image has ${image.length} values, not ${h}×${w}×${c} = ${h * w * c}`);
  const [lo, hi] = range;
  const scaled = (v: number) => lo + v * (hi - lo);
  let unit = image;
  if (task.kind === 'downscale') {
    const f = task.factor ?? 0;
    if (![2, 4].includes(f) || h % f !== 0 || w % f !== 0)
      throw new Error(`downscale factor ${task.factor} must be 2 or 4 and divide the ${h}×${w} image`);
    unit = areaDownscale(image, h, w, c, f);
    h /= f;
    w /= f;
  }
  if (task.kind === 'inpaint') {
    if (mask == null || mask.length !== h * w)
      throw new Error(`inpainting needs a hole mask of ${h}×${w} values (1 in the hole)`);
    const values = new Float32Array(h * w * (c + 1));
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < c; k++) values[p * (c + 1) + k] = mask[p] === 1 ? 0 : scaled(unit[p * c + k]!);
      values[p * (c + 1) + c] = mask[p] === 1 ? 1 : 0;
    }
    return { values, shape: [h, w, c + 1] };
  }
  const edges = task.kind === 'edges';
  const values = Float32Array.from(unit, (v) => scaled(edges ? (v >= 0.5 ? 1 : 0) : v));
  return { values, shape: [h, w, c] };
}

/** Keys' cubic convolution kernel with a = −0.5 (the bicubic of Matlab's imresize and PIL). */
function cubic(x: number): number {
  const t = Math.abs(x);
  if (t <= 1) return 1.5 * t ** 3 - 2.5 * t ** 2 + 1;
  if (t < 2) return -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2;
  return 0;
}

/**
 * Bicubic upscaling by an integer `factor` of an `[h, w, c]` image: each output pixel centre mapped back to
 * `(x + ½)/factor − ½`, a 4×4 neighbourhood weighted by Keys' kernel (a = −0.5), borders replicated, the result
 * clipped to [lo, hi] (default [0, 1]) since the kernel overshoots at edges.
 */
export function bicubicUpscale(
  image: Float32Array,
  h: number,
  w: number,
  c: number,
  factor: number,
  [lo, hi]: readonly [number, number] = [0, 1],
): Float32Array {
  const oh = h * factor;
  const ow = w * factor;
  const taps = (size: number, o: number) => {
    const s = (o + 0.5) / factor - 0.5;
    const base = Math.floor(s);
    return [-1, 0, 1, 2].map((d) => ({
      at: Math.min(size - 1, Math.max(0, base + d)),
      weight: cubic(s - (base + d)),
    }));
  };
  const rows = Array.from({ length: oh }, (_, y) => taps(h, y));
  const cols = Array.from({ length: ow }, (_, x) => taps(w, x));
  const out = new Float32Array(oh * ow * c);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (const r of rows[y]!)
          for (const q of cols[x]!) s += r.weight * q.weight * image[(r.at * w + q.at) * c + k]!;
        out[(y * ow + x) * c + k] = Math.min(hi, Math.max(lo, s));
      }
  return out;
}
