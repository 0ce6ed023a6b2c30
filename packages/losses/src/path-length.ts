import * as tf from '@tensorflow/tfjs-core';
import { requireGradients } from './gradients.js';

/** A generator from per-layer styles `[n, layers, dim]` to images `[n, h, w, c]` (its synthesis network). */
export type Synthesis = (ws: tf.Tensor) => tf.Tensor;

export interface PathLengthOptions {
  /** How fast the running mean follows the batch's mean length (StyleGAN 2: 0.01). */
  decay?: number;
  /** Seed of the image-space direction u. */
  seed?: number;
}

export interface PathLength {
  /** E[(‖Jᵀu‖ − a)²] over the batch, with a the updated running mean. */
  penalty: tf.Scalar;
  /** The running mean after this batch: keep it for the next call. */
  mean: tf.Scalar;
  /** Each example's ‖Jᵀu‖, `[n]`. */
  lengths: tf.Tensor1D;
}

/**
 * StyleGAN 2's path-length regularisation (Karras et al. 2020, §3.2, "Path length regularization"): at per-layer
 * styles `ws` `[n, L, d]` with images y = g(ws) `[n, h, w, c]`, each example's length ‖J_wᵀ u‖ for a random image
 * u ~ N(0, I)/√(h·w) — as the official code, the gradient of Σ y·u w.r.t. ws, its squares summed over d and
 * averaged over the L layers, then the square root — is pulled towards a running mean a of the lengths
 * (a ← a + decay·(mean length − a), starting at 0): penalty E[(length − a)²], whose gradient w.r.t. g's parameters
 * is second order. Jacobians of equal norm in every direction make W-space steps equal image-space steps (smoother
 * interpolation, better PPL). `mean` is the value kept from the previous call; the result's `mean` is the next one.
 *
 * @example
 * const { penalty, mean } = pathLengthPenalty((ws) => synthesize(ws), ws, previousMean, { seed: 7 });
 */
export function pathLengthPenalty(
  synthesize: Synthesis,
  ws: tf.Tensor,
  mean: tf.Scalar,
  options: PathLengthOptions = {},
): PathLength {
  requireGradients('path-length regularisation');
  const { decay = 0.01, seed } = options;
  if (!(decay > 0 && decay <= 1)) throw new Error(`pathLengthPenalty: decay must be in (0, 1], got ${decay}`);
  if (ws.rank !== 3)
    throw new Error(`pathLengthPenalty: styles must be [batch, layers, dim], got [${ws.shape}]`);
  return tf.tidy(() => {
    let direction: tf.Tensor | undefined;
    const grad = tf.grad((w: tf.Tensor) => {
      const y = synthesize(w);
      if (y.rank !== 4)
        throw new Error(`pathLengthPenalty: the synthesis must give images [n, h, w, c], got [${y.shape}]`);
      direction ??= tf.div(
        tf.randomNormal(y.shape, 0, 1, 'float32', seed),
        Math.sqrt(y.shape[1]! * y.shape[2]!),
      );
      return tf.sum(tf.mul(y, direction));
    })(ws);
    // ε under the root keeps the penalty's gradient finite where a Jacobian vanishes
    const lengths = tf.sqrt(tf.add(tf.mean(tf.sum(tf.square(grad), 2), 1), 1e-12)) as tf.Tensor1D;
    const next = tf.add(mean, tf.mul(tf.sub(tf.mean(lengths), mean), decay)) as tf.Scalar;
    const penalty = tf.mean(tf.square(tf.sub(lengths, next))) as tf.Scalar;
    return { penalty, mean: next, lengths };
  });
}
