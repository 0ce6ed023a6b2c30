/**
 * Unpaired data for CycleGAN and DiscoGAN: two image domains, each drawn by its own seeded, resumable
 * {@link ImageBatcher} (no example of A is ever matched to one of B), and the built-in restyled domains made from
 * what we ship — so that a translation between them has a measurable meaning (a digit's class must survive it).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from './image-dataset.js';
import { type BatcherState, type BatchOptions, ImageBatcher } from './pipeline.js';

export interface UnpairedBatch {
  /** `[n, h, w, c]` of domain A and of domain B, in the batch's range. */
  A: tf.Tensor4D;
  B: tf.Tensor4D;
  /** Each domain's class ids, when its dataset has labels (for class preservation). */
  labelsA?: tf.Tensor1D;
  labelsB?: tf.Tensor1D;
}

/** The seed of domain B's order: apart from A's, so that the two never walk in step. */
const B_SEED_OFFSET = 0x5bd1e995;

/**
 * Batches of two domains drawn independently: A from `a` with the options' seed, B from `b` with a seed of its own,
 * each shuffled per epoch and resumable (its state is both positions).
 *
 * @example
 * const domains = new UnpairedBatcher(mnistHalfA, restyled, { batchSize: 8, seed: 1 });
 * const { A, B } = domains.next(); // dispose them after the step
 */
export class UnpairedBatcher {
  readonly a: ImageBatcher;
  readonly b: ImageBatcher;

  constructor(
    readonly datasetA: ImageDataset,
    readonly datasetB: ImageDataset,
    options: BatchOptions,
  ) {
    const problems = unpairedProblems(datasetA, datasetB);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    const seed = options.seed ?? 0;
    this.a = new ImageBatcher(datasetA, { ...options, seed });
    this.b = new ImageBatcher(datasetB, { ...options, seed: (seed + B_SEED_OFFSET) >>> 0 });
  }

  get options(): Required<BatchOptions> {
    return this.a.options;
  }

  /** Batches in one pass over the larger domain. */
  get batchesPerEpoch(): number {
    return Math.max(this.a.batchesPerEpoch, this.b.batchesPerEpoch);
  }

  next(): UnpairedBatch {
    const a = this.a.next();
    const b = this.b.next();
    return {
      A: a.images,
      B: b.images,
      ...(a.labels ? { labelsA: a.labels as tf.Tensor1D } : {}),
      ...(b.labels ? { labelsB: b.labels as tf.Tensor1D } : {}),
    };
  }

  state(): { A: BatcherState; B: BatcherState } {
    return { A: this.a.state(), B: this.b.state() };
  }

  restore(state: { A: BatcherState; B: BatcherState }): void {
    if (state?.A == null || state.B == null)
      throw new Error(`unpaired batcher: a saved state has A and B, got ${JSON.stringify(state)}`);
    this.a.restore(state.A);
    this.b.restore(state.B);
  }
}

/** Every problem two domains have together, as sentences that name the fix. */
export function unpairedProblems(a: ImageDataset, b: ImageDataset): string[] {
  const problems: string[] = [];
  for (const [name, d] of [
    ['A', a],
    ['B', b],
  ] as const)
    if (d.count === 0)
      problems.push(`domain ${name} (${d.name}) has no images: give it a folder or dataset with some`);
  const [ha, wa] = a.shape;
  const [hb, wb] = b.shape;
  if (ha !== hb || wa !== wb)
    problems.push(
      `the domains' images differ in size: A (${a.name}) ${ha}×${wa}, B (${b.name}) ${hb}×${wb}; give both the same size (a folder's \`size\` option resizes its images)`,
    );
  return problems;
}
