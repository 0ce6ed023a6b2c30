import { flattenTree, mapTree, type ParamTree } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';

/**
 * An exponential moving average of G's weights (Karras et al. 2018; Yazıcı et al. 2019), used for sampling: it
 * smooths the oscillation of adversarial training. `θ_ema ← d·θ_ema + (1 − d)·θ` with, during warm-up, the smaller
 * decay d = min(decay, (1 + t)/(10 + t)) (TensorFlow's ExponentialMovingAverage) so early averages are not
 * dominated by the random initialisation.
 */
export class Ema {
  params: ParamTree;

  constructor(
    source: ParamTree,
    readonly decay: number,
    readonly warmup = true,
  ) {
    if (!(decay >= 0 && decay < 1)) throw new Error(`EMA decay must be in [0, 1), got ${decay}`);
    // the copies are the variables' data: the clones themselves go with the tidy (they used to stay behind)
    this.params = tf.tidy(() => mapTree(source, (v) => tf.variable(tf.clone(v), false))) as ParamTree;
  }

  /** The decay used at update `t` (0-based). */
  decayAt(t: number): number {
    return this.warmup ? Math.min(this.decay, (1 + t) / (10 + t)) : this.decay;
  }

  update(source: ParamTree, t: number): void {
    const d = this.decayAt(t);
    const ema = flattenTree(this.params) as [string, tf.Variable][];
    const src = new Map(flattenTree(source));
    tf.tidy(() => {
      for (const [path, v] of ema) v.assign(tf.add(tf.mul(v, d), tf.mul(src.get(path)!, 1 - d)));
    });
  }

  dispose(): void {
    for (const [, v] of flattenTree(this.params)) v.dispose();
  }
}
