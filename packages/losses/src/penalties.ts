import * as tf from '@tensorflow/tfjs-core';
import { requireGradients } from './gradients.js';

/** A discriminator as a function from a batch to its raw outputs (logits or critic values). */
export type Critic = (x: tf.Tensor) => tf.Tensor;

/** Per-example ‖∇ₓ Σ D(x)‖₂ with ε inside the square root (finite gradient at 0), shape `[batch]`. */
function gradientNorms(D: Critic, x: tf.Tensor, epsilon: number): tf.Tensor1D {
  requireGradients('a gradient penalty');
  const g = tf.grad((xx: tf.Tensor) => tf.sum(D(xx)))(x);
  const flat = tf.reshape(g, [x.shape[0]!, -1]);
  return tf.sqrt(tf.add(tf.sum(tf.square(flat), 1), epsilon)) as tf.Tensor1D;
}

/** Per-example squared gradient norms ‖∇ₓ Σ D(x)‖², shape `[batch]`. */
function squaredGradientNorms(D: Critic, x: tf.Tensor): tf.Tensor1D {
  requireGradients('an R1/R2 penalty');
  const g = tf.grad((xx: tf.Tensor) => tf.sum(D(xx)))(x);
  return tf.sum(tf.square(tf.reshape(g, [x.shape[0]!, -1])), 1) as tf.Tensor1D;
}

export interface GradientPenaltyOptions {
  /** λ (10 in WGAN-GP). */
  weight?: number;
  /** The norm the penalty pulls towards (1; "1-Lipschitz"). */
  target?: number;
  /** Penalise only norms above the target: max(0, ‖∇‖ − target)² (Gulrajani et al. §4, and Petzka 2018). */
  oneSided?: boolean;
  /** Added under the square root so the norm's gradient stays finite at 0. */
  epsilon?: number;
  /** Seed for the interpolation weights ε ~ U[0, 1], one per example. */
  seed?: number;
}

/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017): λ·E[(‖∇D(x̂)‖₂ − target)²] at x̂ = ε·x + (1 − ε)·x̃, with
 * ε ~ U[0, 1] per example between a real x and a fake x̃. Differentiable w.r.t. D's parameters (second-order
 * gradients are correct after @gankit/backends' `useBackend`). Use it with critics without batch norm.
 */
export function gradientPenalty(
  D: Critic,
  real: tf.Tensor,
  fake: tf.Tensor,
  options: GradientPenaltyOptions = {},
): tf.Scalar {
  const { weight = 10, target = 1, oneSided = false, epsilon = 1e-12, seed } = options;
  if (!tf.util.arraysEqual(real.shape, fake.shape)) {
    throw new Error(
      `gradientPenalty: real [${real.shape}] and fake [${fake.shape}] batches must have the same shape`,
    );
  }
  return tf.tidy(() => {
    const batch = real.shape[0]!;
    const eps = tf.randomUniform([batch, ...real.shape.slice(1).map(() => 1)], 0, 1, 'float32', seed);
    const interpolated = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
    const gap = tf.sub(gradientNorms(D, interpolated, epsilon), target);
    const penalty = oneSided ? tf.square(tf.relu(gap)) : tf.square(gap);
    return tf.mul(tf.mean(penalty), weight) as tf.Scalar;
  });
}

/**
 * R1 regularisation (Mescheder et al. 2018, "Which training methods for GANs do actually converge?"):
 * (γ/2)·E‖∇D(x)‖² on real data — StyleGAN's default with γ = 10.
 */
export function r1Penalty(D: Critic, real: tf.Tensor, options: { gamma?: number } = {}): tf.Scalar {
  const gamma = options.gamma ?? 10;
  return tf.tidy(() => tf.mul(tf.mean(squaredGradientNorms(D, real)), gamma / 2) as tf.Scalar);
}

/** R2 regularisation: the same penalty on generated data, (γ/2)·E‖∇D(G(z))‖². */
export function r2Penalty(D: Critic, fake: tf.Tensor, options: { gamma?: number } = {}): tf.Scalar {
  return r1Penalty(D, fake, options);
}

/**
 * DRAGAN (Kodali et al. 2017): λ·E[(‖∇D(x + δ)‖ − 1)²] with δ = c·std(x)·u, u ~ U[0, 1] per value — a gradient
 * penalty in a neighbourhood of the real data. Defaults λ = 10, c = 0.5.
 */
export function draganPenalty(
  D: Critic,
  real: tf.Tensor,
  options: { weight?: number; scale?: number; epsilon?: number; seed?: number } = {},
): tf.Scalar {
  const { weight = 10, scale = 0.5, epsilon = 1e-12, seed } = options;
  return tf.tidy(() => {
    const { variance } = tf.moments(real);
    const noise = tf.mul(
      tf.randomUniform(real.shape, 0, 1, 'float32', seed),
      tf.mul(tf.sqrt(variance), scale),
    );
    const gap = tf.sub(gradientNorms(D, tf.add(real, noise), epsilon), 1);
    return tf.mul(tf.mean(tf.square(gap)), weight) as tf.Scalar;
  });
}

/** WGAN's weight clipping (Arjovsky et al. 2017): clamps every variable of the critic to [−c, c] (c = 0.01), in place. */
export function clipWeights(variables: tf.Variable[], c = 0.01): void {
  if (!(c > 0)) throw new Error(`clipWeights: c must be positive, got ${c}`);
  tf.tidy(() => {
    for (const v of variables) v.assign(tf.clipByValue(v, -c, c));
  });
}

/**
 * Weighted sum of named loss terms, keeping each term for logs:
 * `combine({ adversarial: [dLoss, 1], gp: [penalty, 1] })` → `{ total, terms }`.
 */
export function combine(terms: Record<string, [tf.Scalar, number]>): {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
} {
  const entries = Object.entries(terms);
  if (entries.length === 0) throw new Error('combine: needs at least one term');
  let total: tf.Tensor = tf.scalar(0);
  for (const [name, [value, weight]] of entries) {
    if (!Number.isFinite(weight))
      throw new Error(`combine: weight of '${name}' must be a finite number, got ${weight}`);
    total = tf.add(total, weight === 1 ? value : tf.mul(value, weight));
  }
  return { total: total as tf.Scalar, terms: Object.fromEntries(entries.map(([k, [v]]) => [k, v])) };
}
