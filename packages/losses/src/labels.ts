import * as tf from '@tensorflow/tfjs-core';

/**
 * Label noise: each of `labels` (targets in {0, 1} or soft) is replaced by 1 − label with probability `p`
 * (the "flip labels" trick; Salimans et al. 2016 and GAN hacks). Seeded.
 */
export function flipLabels(labels: tf.Tensor, p: number, seed?: number): tf.Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`flipLabels: p must be in [0, 1], got ${p}`);
  return tf.tidy(() => {
    const flip = tf.less(tf.randomUniform(labels.shape, 0, 1, 'float32', seed), p);
    return tf.where(flip, tf.sub(1, labels), labels);
  });
}

/** Targets for a batch: `value` everywhere (e.g. 0.9 for one-sided smoothing of real labels). */
export function targets(batch: number, value: number): tf.Tensor1D {
  return tf.fill([batch], value) as tf.Tensor1D;
}

/**
 * Instance noise (Sønderby et al. 2017; Arjovsky & Bottou 2017): N(0, σ²) added to every input D sees — real and
 * fake — so that the two distributions overlap; σ decays to 0 during training ({@link instanceNoiseSigma}).
 */
export function instanceNoise(x: tf.Tensor, sigma: number, seed?: number): tf.Tensor {
  if (!(sigma >= 0)) throw new Error(`instanceNoise: sigma must be ≥ 0, got ${sigma}`);
  if (sigma === 0) return x;
  return tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, sigma, 'float32', seed)));
}

/** σ of instance noise at `step`: from `initial` down to 0 at `decaySteps`, linearly or exponentially (halving every `decaySteps / 10`). */
export function instanceNoiseSigma(
  step: number,
  options: { initial: number; decaySteps: number; kind?: 'linear' | 'exponential' },
): number {
  const { initial, decaySteps, kind = 'linear' } = options;
  if (!(decaySteps > 0))
    throw new Error(`instanceNoiseSigma: decaySteps must be positive, got ${decaySteps}`);
  if (step >= decaySteps) return 0;
  if (kind === 'linear') return initial * (1 - step / decaySteps);
  return initial * 0.5 ** (step / (decaySteps / 10));
}
