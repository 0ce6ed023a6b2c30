/**
 * `gankit generate` on a style-based run: truncation in W (ψ towards w̄), the style-mixing grid of the StyleGAN
 * paper's Figure 3, and walks in W.
 */
import type { ParamTree } from '@gankit/layers';
import {
  type GanDef,
  latentBatch,
  mixingImages,
  type Network,
  type StyleSampleOptions,
  type StyleSpace,
  styleSpaceOf,
  stylesOf,
  synthesize,
} from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../errors.js';
import { imageGrid } from '../images.js';
import { toUnit } from '../samples.js';

/** The generator a style run samples with: its EMA weights when it keeps an average, and its state (w̄). */
export interface StyleSampler {
  space: StyleSpace;
  network: Network;
  params: ParamTree;
}

export function styleSampler(G: Network, emaParams: ParamTree | undefined): StyleSampler | undefined {
  const space = styleSpaceOf(G.def);
  return space == null ? undefined : { space, network: G, params: emaParams ?? G.params };
}

/**
 * What `--truncation` means for this run: ψ ∈ [0, 1] in W for a style run, a redraw threshold T > 0 on z for any
 * other; anything else is bad input.
 */
export function checkTruncation(value: number | undefined, style: boolean): void {
  if (value == null) return;
  if (style && !(value >= 0 && value <= 1))
    throw new UsageError(
      `--truncation ${value}: on a style-based run it is ψ in W space and must be in [0, 1] (1: none, 0: the average w)`,
    );
  if (!style && !(value > 0))
    throw new UsageError(`--truncation must be a positive number (a threshold on z), got '${value}'`);
}

/** Images from latents `z` through W, truncated by ψ. */
export function styleGenerate(s: StyleSampler, options: StyleSampleOptions) {
  return (z: tf.Tensor2D) =>
    tf.tidy(() => synthesize(s.network, s.params, stylesOf(s.network, s.params, z, options), 0));
}

/**
 * The style-mixing grid (Karras et al. 2019, Figure 3; `mixingImages` of @gankit/models): the top row shows `k`
 * column sources, the left column `k` row sources; each cell takes its row source's coarse styles (4×4 and 7×7,
 * the first `space.coarse`) and its column source's fine ones, all with the same noise. The corner is blank.
 */
export async function mixingGrid(
  gan: GanDef,
  s: StyleSampler,
  k: number,
  seed: number,
  options: StyleSampleOptions,
): Promise<Buffer> {
  const rowsZ = latentBatch(gan, k, seed).z;
  const colsZ = latentBatch(gan, k, seed + 1).z;
  const { images: cells } = mixingImages(s.network, s.params, rowsZ, colsZ, s.space.coarse, options);
  const images = tf.tidy(() => {
    const [h, w, c] = gan.dataShape as [number, number, number];
    return tf.concat([tf.ones([1, h, w, c]), toUnit(cells, gan)]); // [(k + 1)², h, w, c], the corner blank
  });
  const pixels = (await images.data()) as Float32Array;
  const shape = images.shape as [number, number, number, number];
  tf.dispose([rowsZ, colsZ, cells, images]);
  return imageGrid(pixels, shape, k + 1, [0, 1], shape[1] <= 32 ? 2 : 1).png();
}

/** Rows of 8 frames walking in W (straight lines, as StyleGAN's perceptual path length in W) between two latents. */
export async function walkInW(
  gan: GanDef,
  s: StyleSampler,
  rows: number,
  seed: number,
  options: StyleSampleOptions,
): Promise<Buffer> {
  const ends = latentBatch(gan, 2 * rows, seed).z;
  const images = tf.tidy(() => {
    const ws = stylesOf(s.network, s.params, ends, options); // [2·rows, count, dim]
    const [, count, dim] = ws.shape;
    const pairs = tf.reshape(ws, [rows, 2, count, dim]);
    const a = tf.slice(pairs, [0, 0], [rows, 1]);
    const b = tf.slice(pairs, [0, 1], [rows, 1]);
    const t = tf.reshape(tf.linspace(0, 1, 8), [1, 8, 1, 1]);
    const walk = tf.reshape(tf.add(a, tf.mul(tf.sub(b, a), t)), [rows * 8, count, dim]);
    return toUnit(synthesize(s.network, s.params, walk, 0), gan);
  });
  const pixels = (await images.data()) as Float32Array;
  const shape = images.shape as [number, number, number, number];
  tf.dispose([ends, images]);
  return imageGrid(pixels, shape, 8, [0, 1], 2).png();
}
