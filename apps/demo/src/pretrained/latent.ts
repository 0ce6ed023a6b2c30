/**
 * What goes into a pretrained generator: the truncation slider and the latent batches of the sample grid (a class,
 * or a row per class, from a seed). Latents themselves (`latentBatch`, walks) are @gankit/models'; tested in Node.
 */
import { type GanDef, latentBatch } from '@gankit/models';

import * as tf from '@tensorflow/tfjs-core';

export const TRUNCATION_MIN = 0.2;
export const TRUNCATION_MAX = 2;
export const TRUNCATION_STEP = 0.1;
/** The slider's last notch, one step past the largest truncation: no truncation. */
export const TRUNCATION_OFF = TRUNCATION_MAX + TRUNCATION_STEP;

/** The slider's value as a truncation in standard deviations, or undefined for "off" (its last notch). */
export function sliderToTruncation(value: number): number | undefined {
  if (!Number.isFinite(value) || value > TRUNCATION_MAX + TRUNCATION_STEP / 2) return undefined;
  const snapped = Math.round(value / TRUNCATION_STEP) * TRUNCATION_STEP;
  return Number(Math.min(TRUNCATION_MAX, Math.max(TRUNCATION_MIN, snapped)).toFixed(1));
}

export function truncationToSlider(truncation: number | undefined): number {
  return truncation == null ? TRUNCATION_OFF : Math.min(TRUNCATION_MAX, Math.max(TRUNCATION_MIN, truncation));
}

export function formatTruncation(truncation: number | undefined): string {
  return truncation == null ? 'off' : `${truncation.toFixed(1)} σ`;
}

/** Which samples the grid shows: one class, or (conditional models) a row per class. */
export type ClassChoice = number | 'all' | undefined;

export interface GridRequest {
  /** Samples per row. */
  cols: number;
  /** Rows when one class (or no class) is shown. */
  rows: number;
  seed: number;
  truncation?: number;
  choice: ClassChoice;
}

export interface GridLatents {
  z: tf.Tensor2D;
  labels?: tf.Tensor1D;
  count: number;
  rows: number;
  cols: number;
  /** The class of each sample (row-major), for conditional models. */
  classes?: number[];
}

/**
 * The latent batch of the sample grid. One class (or none): `rows × cols` samples from `seed`. A row per class:
 * `classes × cols`, the same noise down each column, so a column is one "style" drawn as every class.
 */
export function gridLatents(
  gan: Pick<GanDef, 'latentDim' | 'codes' | 'classes'>,
  req: GridRequest,
): GridLatents {
  const { cols, rows, seed, truncation, choice } = req;
  const classes = gan.classes;
  if (classes == null) {
    if (choice != null && choice !== 'all')
      throw new Error('this generator has no classes; leave the class out');
    const { z } = latentBatch(gan, rows * cols, seed, { truncation });
    return { z, count: rows * cols, rows, cols };
  }
  if (choice === 'all' || choice == null) {
    const base = latentBatch(gan, cols, seed, { truncation });
    const count = classes * cols;
    const labelIds = Array.from({ length: count }, (_, i) => Math.floor(i / cols));
    const z = tf.tidy(() => tf.tile(base.z, [classes, 1]) as tf.Tensor2D);
    tf.dispose([base.z, ...(base.labels ? [base.labels] : [])]);
    return {
      z,
      labels: tf.tensor1d(labelIds, 'int32'),
      count,
      rows: classes,
      cols,
      classes: labelIds,
    };
  }
  const { z, labels } = latentBatch(gan, rows * cols, seed, { truncation, label: choice });
  return {
    z,
    ...(labels ? { labels } : {}),
    count: rows * cols,
    rows,
    cols,
    classes: new Array<number>(rows * cols).fill(choice),
  };
}
