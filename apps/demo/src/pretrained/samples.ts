/**
 * The pretrained view's tensor work, without the page: the sample grid, the latent walk and one frame of it, each
 * from a seed — G's images read back, every input tensor freed — and, for style generators, the style-mixing grid.
 * A style generator draws as its `StyleDraw` says (ψ in W, the noise's seed); the walk and its frames with the same
 * noise for every image, so that a frame is the walk's image at t.
 */
import { interpolateLatent, latentBatch, noiseDimOf, walkLatents } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import type { LoadedGenerator } from './generator.js';
import { type GridLatents, type GridRequest, gridLatents } from './latent.js';
import type { MixingCell, StyleDraw } from './style.js';

export type Images = Awaited<ReturnType<LoadedGenerator['generate']>>;

/** G's images for `z` (and labels), which this frees. */
async function generateFrom(
  gen: LoadedGenerator,
  z: tf.Tensor2D,
  labels?: tf.Tensor1D,
  style?: StyleDraw,
): Promise<Images> {
  try {
    return await gen.generate(z, labels, style);
  } finally {
    tf.dispose([z, ...(labels ? [labels] : [])]);
  }
}

export interface GridSamples {
  images: Images;
  /** How the grid is laid out and the class of each sample (the latents themselves are freed). */
  latents: Omit<GridLatents, 'z' | 'labels'>;
}

/** The grid's samples: a class, a row per class, or (unconditional generators) just samples. */
export async function gridSamples(
  gen: LoadedGenerator,
  req: GridRequest,
  style?: StyleDraw,
): Promise<GridSamples> {
  const { z, labels, ...latents } = gridLatents(
    gen.gan,
    gen.classes == null ? { ...req, choice: undefined } : req,
  );
  return { images: await generateFrom(gen, z, labels, style), latents };
}

/** The style-mixing grid: `rows` latents from `seed` for the coarse styles, `cols` from `seed + 1` for the fine. */
export async function mixingSamples(
  gen: LoadedGenerator,
  req: { rows: number; cols: number; seed: number; crossover: number },
  draw: Omit<StyleDraw, 'sameNoise'>,
): Promise<{ images: Images; cells: MixingCell[] }> {
  const zRows = latentBatch(gen.gan, req.rows, req.seed).z;
  const zCols = latentBatch(gen.gan, req.cols, req.seed + 1).z;
  try {
    return await gen.mixing(zRows, zCols, req.crossover, draw);
  } finally {
    tf.dispose([zRows, zCols]);
  }
}

/** One latent vector from `seed` (of class `label`), as numbers. */
export async function latentOf(
  gen: LoadedGenerator,
  seed: number,
  label: number | undefined,
  truncation: number | undefined,
): Promise<Float32Array> {
  const { z, labels } = latentBatch(gen.gan, 1, seed, { truncation, ...(label != null ? { label } : {}) });
  try {
    return (await z.data()) as Float32Array;
  } finally {
    tf.dispose([z, ...(labels ? [labels] : [])]);
  }
}

/** The ends of a walk: two latents, and the class both are drawn as. */
export interface WalkEnds {
  a: Float32Array;
  b: Float32Array;
  label?: number;
}

/** `frames` images from `a` to `b` (spherical on the noise, straight on InfoGAN's codes). */
export function walkSamples(
  gen: LoadedGenerator,
  ends: WalkEnds,
  frames: number,
  style?: StyleDraw,
): Promise<Images> {
  const z = tf.tensor2d(walkLatents(ends.a, ends.b, frames, noiseDimOf(gen.gan)), [
    frames,
    gen.gan.latentDim,
  ]);
  const labels = ends.label != null ? (tf.fill([frames], ends.label, 'int32') as tf.Tensor1D) : undefined;
  return generateFrom(gen, z, labels, style && { ...style, sameNoise: true });
}

/** The image at `t` ∈ [0, 1] along a walk. */
export function frameAt(gen: LoadedGenerator, ends: WalkEnds, t: number, style?: StyleDraw): Promise<Images> {
  const z = tf.tensor2d(interpolateLatent(ends.a, ends.b, t, noiseDimOf(gen.gan)), [1, gen.gan.latentDim]);
  const labels = ends.label != null ? tf.tensor1d([ends.label], 'int32') : undefined;
  return generateFrom(gen, z, labels, style && { ...style, sameNoise: true });
}

/** The latest grid, for tests: the values G made and what was asked for. */
export interface SampleRecord {
  /** The catalog id, or the name of the visitor's file. */
  source: string;
  choice: 'all' | number | null;
  truncation: number | null;
  /** Style generators: ψ in W and the noise's seed; null for the others. */
  psi: number | null;
  noiseSeed: number | null;
  seed: number;
  /** `[n, height, width, channels]`, row-major in `range`. */
  shape: number[];
  range: [number, number];
  /** The class each sample was asked for (conditional generators). */
  classes: number[] | null;
  values: Float32Array;
}

declare global {
  interface Window {
    __gankitLastSamples?: SampleRecord;
  }
}
