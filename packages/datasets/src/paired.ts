/**
 * Paired image-to-image data (pix2pix, inpainting, super-resolution): tasks derived from one image dataset — edges →
 * image, masked → image, low-res → high-res, grey → colour — or two datasets of matching examples (a user's A and
 * B folders), batched with the seeded, resumable order of {@link ImageBatcher}.
 */
import { foldIn, rngFromSeed, uniformStream } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from './image-dataset.js';
import {
  areaDownscale,
  type EdgeOptions,
  holeMask,
  luma,
  type MaskKind,
  sobelEdges,
} from './paired-transforms.js';
import { type BatcherState, type BatchOptions, ImageBatcher } from './pipeline.js';

/** What the source of each pair is. */
export type PairedTask =
  /** The image's Sobel edge map (`[h, w, 1]`, edges 1): edges → image. */
  | ({ kind: 'edges' } & EdgeOptions)
  /** The image with a hole (zeros, in the batch's range), the hole mask as an extra channel: masked → image. */
  | { kind: 'inpaint'; mask?: MaskKind; size?: number }
  /** The image area-averaged by `factor` (28 → 14 or 7): low-res → high-res. */
  | { kind: 'downscale'; factor: 2 | 4 }
  /** The image's luma: grey → colour (a colour dataset). */
  | { kind: 'grey' }
  /** The example at the same index of a second dataset (a user's A folder beside its B folder). */
  | { kind: 'given'; source: ImageDataset };

export const PAIRED_TASKS = ['edges', 'inpaint', 'downscale', 'grey', 'given'] as const;

export interface PairedBatch {
  /** What G is given `[n, h', w', c']`, in the batch's range (with the hole mask as a last channel for inpainting). */
  source: tf.Tensor4D;
  /** What G should make `[n, h, w, c]`, in the batch's range. */
  target: tf.Tensor4D;
  /** Inpainting's hole mask `[n, h, w, 1]`, 1 in the hole. */
  mask?: tf.Tensor4D;
  /** The targets' class ids, when the dataset has labels (for class preservation). */
  labels?: tf.Tensor1D;
  epoch: number;
  index: number;
}

/** One example's source, `[h', w', c']` in [0, 1] (and its mask), from its target image in [0, 1]. */
function sourceOf(
  task: PairedTask,
  target: Float32Array,
  shape: [number, number, number],
  u: () => number,
  id: number,
): { source: Float32Array; mask?: Float32Array } {
  const [h, w, c] = shape;
  switch (task.kind) {
    case 'edges':
      return { source: sobelEdges(target, h, w, c, task) };
    case 'downscale':
      return { source: areaDownscale(target, h, w, c, task.factor) };
    case 'grey':
      return { source: luma(target, h, w, c) };
    case 'given': {
      const per = task.source.shape[0] * task.source.shape[1] * task.source.shape[2];
      return {
        source: Float32Array.from(task.source.images.subarray(id * per, (id + 1) * per), (v) => v / 255),
      };
    }
    case 'inpaint': {
      const mask = holeMask(task.mask ?? 'rectangles', h, w, u, task.size);
      const source = new Float32Array(h * w * (c + 1));
      for (let p = 0; p < h * w; p++) {
        for (let k = 0; k < c; k++) source[p * (c + 1) + k] = mask[p] === 1 ? Number.NaN : target[p * c + k]!;
        source[p * (c + 1) + c] = mask[p]!;
      }
      return { source, mask };
    }
  }
}

/** The source's shape for a target of `shape`. */
export function pairedSourceShape(
  task: PairedTask,
  shape: [number, number, number],
): [number, number, number] {
  const [h, w, c] = shape;
  switch (task.kind) {
    case 'edges':
    case 'grey':
      return [h, w, 1];
    case 'downscale':
      return [h / task.factor, w / task.factor, c];
    case 'inpaint':
      return [h, w, c + 1];
    case 'given':
      return task.source.shape;
  }
}

/** Every problem a task has with a dataset, as sentences that name the fix. */
export function pairedTaskProblems(task: PairedTask, dataset: ImageDataset): string[] {
  const [h, w, c] = dataset.shape;
  const problems: string[] = [];
  if (!(PAIRED_TASKS as readonly string[]).includes(task.kind))
    return [`unknown paired task '${task.kind}'; use one of ${PAIRED_TASKS.join(', ')}`];
  if (task.kind === 'downscale' && (![2, 4].includes(task.factor) || h % task.factor || w % task.factor))
    problems.push(
      `downscale factor ${task.factor} must be 2 or 4 and divide the ${h}×${w} images of ${dataset.name}`,
    );
  if (task.kind === 'grey' && c !== 3)
    problems.push(`grey → colour needs a colour dataset (3 channels); ${dataset.name} has ${c}`);
  if (task.kind === 'edges' && task.thickness != null && ![1, 2, 3].includes(task.thickness))
    problems.push(
      `edge thickness must be 1, 2 or 3 (lines as detected, or dilated by a 3×3 or 5×5 square), got ${task.thickness}`,
    );
  if (
    task.kind === 'inpaint' &&
    task.size != null &&
    !(Number.isInteger(task.size) && task.size > 0 && task.size < Math.min(h, w))
  )
    problems.push(
      `the centre hole's size must be a whole number of pixels from 1 to ${Math.min(h, w) - 1}, got ${task.size}`,
    );
  if (task.kind === 'given') {
    const s = task.source;
    if (s.count !== dataset.count)
      problems.push(
        `the sources (${s.name}) have ${s.count} images and the targets (${dataset.name}) ${dataset.count}: every target needs the source of the same name`,
      );
  }
  return problems;
}

/**
 * Seeded, resumable batches of (source, target) pairs: the targets are an {@link ImageBatcher}'s (same order, same
 * range, same state), each source is made from its target by the task (or read at the same index of the task's
 * source dataset); random masks are drawn per example from (seed, epoch, position), so a resumed run draws what an
 * uninterrupted one would.
 *
 * @example
 * const pairs = new PairedBatcher(mnist, { kind: 'downscale', factor: 4 }, { batchSize: 16, seed: 1 });
 * const { source, target } = pairs.next(); // [16, 7, 7, 1] and [16, 28, 28, 1]; dispose them after the step
 */
export class PairedBatcher {
  private readonly order: ImageBatcher;
  readonly sourceShape: [number, number, number];

  constructor(
    readonly dataset: ImageDataset,
    readonly task: PairedTask,
    options: BatchOptions,
  ) {
    const problems = pairedTaskProblems(task, dataset);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    this.order = new ImageBatcher(dataset, options);
    this.sourceShape = pairedSourceShape(task, dataset.shape);
  }

  get options(): Required<BatchOptions> {
    return this.order.options;
  }

  get batchesPerEpoch(): number {
    return this.order.batchesPerEpoch;
  }

  next(): PairedBatch {
    const { ids, epoch, index, start } = this.order.drawIds();
    const [lo, hi] = this.options.range;
    const shape = this.dataset.shape;
    const per = shape[0] * shape[1] * shape[2];
    const sourceSize = this.sourceShape.reduce((a, b) => a * b, 1);
    const targets = new Float32Array(ids.length * per);
    const sources = new Float32Array(ids.length * sourceSize);
    const masks =
      this.task.kind === 'inpaint' ? new Float32Array(ids.length * shape[0] * shape[1]) : undefined;
    const epochKey = foldIn(rngFromSeed(this.options.seed), epoch);
    const toRange = (v: number) => lo + v * (hi - lo);
    const scale = (hi - lo) / 255;
    ids.forEach((id, i) => {
      const bytes = this.dataset.images.subarray(id * per, (id + 1) * per);
      const target = Float32Array.from(bytes, (v) => v / 255);
      const u = uniformStream(foldIn(epochKey, start + i));
      const { source, mask } = sourceOf(this.task, target, shape, u, id);
      // as ImageBatcher makes its images, to the bit
      for (let p = 0; p < per; p++) targets[i * per + p] = lo + bytes[p]! * scale;
      // a hole (NaN) is 0 in the batch's range; the mask channel stays 0 / 1
      const c = this.sourceShape[2];
      for (let p = 0; p < sourceSize; p++) {
        const v = source[p]!;
        const isMask = this.task.kind === 'inpaint' && p % c === c - 1;
        sources[i * sourceSize + p] = isMask ? v : Number.isNaN(v) ? 0 : toRange(v);
      }
      if (masks && mask) masks.set(mask, i * mask.length);
    });
    const n = ids.length;
    const batch: PairedBatch = {
      source: tf.tensor4d(sources, [n, ...this.sourceShape]),
      target: tf.tensor4d(targets, [n, ...shape]),
      epoch,
      index,
    };
    if (masks) batch.mask = tf.tensor4d(masks, [n, shape[0], shape[1], 1]);
    if (this.dataset.labels && this.options.labels !== 'none')
      batch.labels = tf.tensor1d(
        Int32Array.from(ids, (id) => this.dataset.labels![id]!),
        'int32',
      );
    return batch;
  }

  state(): BatcherState {
    return this.order.state();
  }

  restore(state: BatcherState): void {
    this.order.restore(state);
  }
}
