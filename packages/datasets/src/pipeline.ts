import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from './image-dataset.js';
import { permutation } from './random.js';
import type { ToyDistribution } from './toys.js';

export interface BatchOptions {
  batchSize: number;
  /** Seeds the shuffle of every epoch (epoch e uses seed + e). */
  seed?: number;
  shuffle?: boolean;
  /** Drop the last, smaller batch of an epoch (default true: every step sees `batchSize` examples). */
  dropLast?: boolean;
  /** Pixel range: [−1, 1] for tanh generators (default), [0, 1] for sigmoid ones. */
  range?: [-1, 1] | [0, 1];
  /** Labels as int32 ids, one-hot float32 vectors, or none (default: ids when the dataset has labels, else none). */
  labels?: 'int' | 'onehot' | 'none';
}

export interface Batch {
  /** `[batch, height, width, channels]` float32 in the chosen range. */
  images: tf.Tensor4D;
  labels?: tf.Tensor;
  epoch: number;
  /** Index of this batch within its epoch. */
  index: number;
}

/** Where an iterator stands, to save in a checkpoint and resume exactly. */
export interface BatcherState {
  epoch: number;
  position: number;
  seed: number;
}

/**
 * Infinite, seeded batches over an image dataset held as uint8: each epoch is a fresh permutation, each batch is
 * converted to float32 on demand (only the batch is ever float), and the iterator's position is state that a
 * checkpoint can save and restore.
 *
 * @example
 * const batches = new ImageBatcher(mnist, { batchSize: 64, seed: 1 });
 * const { images, labels } = batches.next(); // dispose them after the step
 */
export class ImageBatcher {
  readonly options: Required<BatchOptions>;
  private epoch = 0;
  private position = 0;
  private order: Uint32Array;

  constructor(
    readonly dataset: ImageDataset,
    options: BatchOptions,
  ) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0)
      throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
    const dropLast = options.dropLast ?? true;
    if (dataset.count === 0) throw new Error(`dataset ${dataset.name} is empty`);
    if (dropLast && batchSize > dataset.count) {
      throw new Error(
        `batchSize ${batchSize} exceeds the ${dataset.count} examples of ${dataset.name}; lower it or set dropLast: false`,
      );
    }
    if (options.labels !== 'none' && options.labels != null && dataset.labels == null) {
      throw new Error(`dataset ${dataset.name} has no labels; use labels: 'none'`);
    }
    this.options = {
      batchSize,
      seed: options.seed ?? 0,
      shuffle: options.shuffle ?? true,
      dropLast,
      range: options.range ?? [-1, 1],
      labels: options.labels ?? (dataset.labels ? 'int' : 'none'),
    };
    this.order = this.makeOrder(0);
  }

  private makeOrder(epoch: number): Uint32Array {
    return this.options.shuffle
      ? permutation(this.dataset.count, this.options.seed + epoch)
      : Uint32Array.from({ length: this.dataset.count }, (_, i) => i);
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    const n = this.dataset.count / this.options.batchSize;
    return this.options.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /**
   * The next batch's example ids, its epoch, its index in the epoch and the epoch position of its first example (a
   * new epoch, reshuffled, starts when one ends) — for batchers that make their own tensors from the examples.
   */
  drawIds(): { ids: Uint32Array; epoch: number; index: number; start: number } {
    const { batchSize, dropLast } = this.options;
    const remaining = this.dataset.count - this.position;
    if (remaining === 0 || (dropLast && remaining < batchSize)) {
      this.epoch++;
      this.position = 0;
      this.order = this.makeOrder(this.epoch);
    }
    const size = Math.min(batchSize, this.dataset.count - this.position);
    const start = this.position;
    const ids = this.order.subarray(start, start + size);
    this.position += size;
    return { ids, epoch: this.epoch, index: start / batchSize, start };
  }

  /** The next batch; a new epoch (reshuffled) starts when one ends. */
  next(): Batch {
    const { range } = this.options;
    const { ids, index } = this.drawIds();
    const size = ids.length;
    const [h, w, c] = this.dataset.shape;
    const per = h * w * c;
    const pixels = new Float32Array(size * per);
    const [lo, hi] = range;
    const scale = (hi - lo) / 255;
    ids.forEach((id, i) => {
      const src = id * per;
      for (let p = 0; p < per; p++) pixels[i * per + p] = lo + this.dataset.images[src + p]! * scale;
    });
    const batch: Batch = { images: tf.tensor4d(pixels, [size, h, w, c]), epoch: this.epoch, index };
    if (this.options.labels !== 'none' && this.dataset.labels) {
      const ids32 = Int32Array.from(ids, (id) => this.dataset.labels![id]!);
      batch.labels =
        this.options.labels === 'onehot'
          ? tf.tidy(() =>
              tf.oneHot(tf.tensor1d(ids32, 'int32'), this.dataset.classes.length, 1, 0, 'float32'),
            )
          : tf.tensor1d(ids32, 'int32');
    }
    return batch;
  }

  state(): BatcherState {
    return { epoch: this.epoch, position: this.position, seed: this.options.seed };
  }

  /** Continues from a saved state (same dataset and options), as if never interrupted. */
  restore(state: BatcherState): void {
    if (state.seed !== this.options.seed)
      throw new Error(`restore: saved seed ${state.seed} differs from this iterator's ${this.options.seed}`);
    if (!(state.position >= 0 && state.position <= this.dataset.count)) {
      throw new Error(
        `restore: position ${state.position} is outside the dataset (${this.dataset.count} examples)`,
      );
    }
    this.epoch = state.epoch;
    this.position = state.position;
    this.order = this.makeOrder(state.epoch);
  }
}

/** Fresh samples of a toy distribution every step, seeded by the step: `[batch, dim]` tensors. */
export function toyBatch(
  distribution: ToyDistribution,
  batchSize: number,
  step: number,
  seed = 0,
): tf.Tensor2D {
  return tf.tensor2d(distribution.sample(batchSize, seed * 1_000_003 + step), [batchSize, distribution.dim]);
}
