import { uniformStream as uniform } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Experience replay of past fakes (Shrivastava et al. 2017; the seed's mode-collapse remedy): D also sees samples
 * G made earlier, so G cannot escape by hopping between modes. A pool of up to `size` past fakes; each fake of a
 * D batch is swapped for a random pool sample with probability `probability`, and the batch's fakes enter the
 * pool (filling it, then replacing random entries).
 */
export class ReplayPool {
  private items: tf.Tensor[] = [];

  constructor(
    readonly size: number,
    readonly probability: number,
  ) {
    if (!Number.isInteger(size) || size <= 0)
      throw new Error(`replay pool size must be a positive integer, got ${size}`);
    if (!(probability >= 0 && probability <= 1))
      throw new Error(`replay probability must be in [0, 1], got ${probability}`);
  }

  get length(): number {
    return this.items.length;
  }

  /** The D batch of fakes after replay, and the pool updated with `fakes`; randomness from `key`. */
  mix(fakes: tf.Tensor, key: number): tf.Tensor {
    const rand = uniform(key);
    const batch = fakes.shape[0]!;
    const rows = tf.unstack(fakes);
    const out = rows.map((row) => {
      if (this.items.length > 0 && rand() < this.probability)
        return this.items[Math.floor(rand() * this.items.length)]!;
      return row;
    });
    const mixed = tf.stack(out);
    for (const row of rows) {
      const kept = tf.keep(tf.clone(row));
      if (this.items.length < this.size) this.items.push(kept);
      else {
        const at = Math.floor(rand() * this.size);
        this.items[at]!.dispose();
        this.items[at] = kept;
      }
    }
    tf.dispose(rows);
    if (mixed.shape[0] !== batch) throw new Error('replay: batch size changed');
    return mixed;
  }

  /** The pool as one tensor (for checkpoints), or null when empty. */
  toTensor(): tf.Tensor | null {
    return this.items.length === 0 ? null : tf.stack(this.items);
  }

  /** Replaces the pool with the rows of `stacked`. */
  load(stacked: tf.Tensor | null): void {
    this.dispose();
    if (stacked == null) return;
    this.items = tf.unstack(stacked).map((t) => tf.keep(t));
  }

  dispose(): void {
    tf.dispose(this.items);
    this.items = [];
  }
}
