import {
  type ImageBatcher,
  type PairedBatcher,
  type ToyDistribution,
  toyBatch,
  type UnpairedBatcher,
} from '@gankit/datasets';
import type * as tf from '@tensorflow/tfjs-core';
import type { DataSource } from './step.js';

/** Real data from an ImageBatcher (MNIST, folders…), with its position for checkpoints. */
export function imageSource(batcher: ImageBatcher): DataSource {
  return {
    next: () => {
      const b = batcher.next();
      return { x: b.images, labels: b.labels as tf.Tensor1D | undefined };
    },
    state: () => batcher.state(),
    restore: (s) => batcher.restore(s as ReturnType<ImageBatcher['state']>),
    batchesPerEpoch: batcher.batchesPerEpoch,
  };
}

/** Pairs from a PairedBatcher as `{ source, target, mask, labels }` (pix2pix, inpainting, SRGAN), resumable. */
export function pairedSource(batcher: PairedBatcher): DataSource {
  return {
    next: () => {
      const b = batcher.next();
      return { source: b.source, target: b.target, mask: b.mask, labels: b.labels };
    },
    state: () => batcher.state(),
    restore: (s) => batcher.restore(s as ReturnType<PairedBatcher['state']>),
    batchesPerEpoch: batcher.batchesPerEpoch,
  };
}

/** Two domains from an UnpairedBatcher as `{ A, B, labelsA, labelsB }` (CycleGAN, DiscoGAN), resumable. */
export function unpairedSource(batcher: UnpairedBatcher): DataSource {
  return {
    next: () => {
      const b = batcher.next();
      return { A: b.A, B: b.B, labelsA: b.labelsA, labelsB: b.labelsB };
    },
    state: () => batcher.state(),
    restore: (s) => batcher.restore(s as ReturnType<UnpairedBatcher['state']>),
    batchesPerEpoch: batcher.batchesPerEpoch,
  };
}

/** Real data sampled fresh from a toy distribution every update; its state is the number of batches drawn. */
export function toySource(distribution: ToyDistribution, batchSize: number, seed: number): DataSource {
  let drawn = 0;
  return {
    next: () => ({ x: toyBatch(distribution, batchSize, drawn++, seed) }),
    state: () => ({ drawn }),
    restore: (s) => {
      const d = (s as { drawn?: unknown }).drawn;
      if (!Number.isInteger(d) || (d as number) < 0)
        throw new Error(`toy source: invalid saved state ${JSON.stringify(s)}`);
      drawn = d as number;
    },
  };
}
