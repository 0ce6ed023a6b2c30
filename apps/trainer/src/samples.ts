/** Sample PNGs of a run (class rows, grids, scatter plots) and generated images as an evaluation source. */
import type { ImageSource } from '@gankit/metrics';
import { type GanDef, latentBatch } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import type { RunData } from './data.js';
import { imageGrid, scatterPlot } from './images.js';

/** Maps generator output from the model's range to [0, 1]. */
export function toUnit(x: tf.Tensor, gan: GanDef): tf.Tensor {
  const [lo, hi] = gan.dataRange ?? [0, 1];
  return tf.tidy(() => tf.clipByValue(tf.div(tf.sub(x, lo), hi - lo), 0, 1));
}

const SAMPLE_SEED = 20_140_610; // fixed noise for the sample timeline (Goodfellow et al., arXiv, June 2014)

/**
 * A PNG of samples from fixed noise: 10 per class row for conditional models (the same noise in each column),
 * an 8×8 grid otherwise; a scatter plot (2-D) or histogram (1-D) against real samples for toy data.
 */
export async function samplePng(
  gan: GanDef,
  generate: (z: tf.Tensor2D, labels?: tf.Tensor1D) => tf.Tensor,
  data: RunData,
  options: { label?: number; n?: number; truncation?: number; seed?: number } = {},
): Promise<Buffer> {
  const seed = options.seed ?? SAMPLE_SEED;
  if (data.kind === 'points' || gan.dataShape.length === 1) {
    const n = options.n ?? 1000;
    const { z } = latentBatch(gan, n, seed, { truncation: options.truncation });
    const fake = tf.tidy(() => generate(z));
    const points = (await fake.data()) as Float32Array;
    tf.dispose([z, fake]);
    const dim = gan.dataShape[0]!;
    const real = data.toy ? data.toy.sample(n, seed) : new Float32Array(0);
    const extent = data.toy?.modes
      ? Math.max(...data.toy.modes.flat().map(Math.abs)) * 1.25 + 4 * (data.toy.sigma ?? 0)
      : 3;
    return scatterPlot(real, points, dim, extent).png();
  }
  const classes = gan.classes ?? gan.codes?.categorical[0];
  const rows: { z: tf.Tensor2D; labels?: tf.Tensor1D }[] = [];
  let columns = 8;
  if (classes != null && options.label == null) {
    columns = 10;
    for (let k = 0; k < classes; k++)
      rows.push(latentBatch(gan, 10, seed, { label: k, truncation: options.truncation }));
  } else {
    const n = options.n ?? 64;
    columns = Math.ceil(Math.sqrt(n));
    rows.push(latentBatch(gan, n, seed, { label: options.label, truncation: options.truncation }));
  }
  const z = tf.concat(rows.map((r) => r.z)) as tf.Tensor2D;
  const labels = rows[0]!.labels ? (tf.concat(rows.map((r) => r.labels!)) as tf.Tensor1D) : undefined;
  const images = tf.tidy(() => toUnit(generate(z, labels), gan));
  const pixels = (await images.data()) as Float32Array;
  const shape = images.shape as [number, number, number, number];
  tf.dispose(
    [z, labels, images, ...rows.flatMap((r) => [r.z, r.labels])].filter((t): t is tf.Tensor => t != null),
  );
  return imageGrid(pixels, shape, columns, [0, 1], shape[1] <= 32 ? 2 : 1).png();
}

/** An image source of generated samples in [0, 1], keyed by (seed, batch start). */
export function generatedImages(
  gan: GanDef,
  generate: (z: tf.Tensor2D, labels?: tf.Tensor1D) => tf.Tensor,
  seed: number,
): ImageSource {
  return (start, size) => {
    const { z, labels } = latentBatch(gan, size, seed * 1_000_003 + start);
    const out = tf.tidy(() => toUnit(generate(z, labels), gan)) as tf.Tensor4D;
    tf.dispose(labels ? [z, labels] : [z]);
    return out;
  };
}
