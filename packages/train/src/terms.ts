import {
  auxiliaryClassifierLoss,
  type GanLoss,
  gradientPenalty,
  infoGanLoss,
  l1,
  l2,
  pathLengthPenalty,
  r1Penalty,
} from '@gankit/losses';
import { splitInfoganQ } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import type { LossTerm } from './problem.js';

export type { LossTerm };

/** D's adversarial loss from its outputs on real and fake batches (TF-GAN's discriminator loss). */
export function adversarialD(
  loss: GanLoss,
  values: { real: string; fake: string },
  options: { name?: string; group?: string; weight?: number } = {},
): LossTerm {
  return {
    name: options.name ?? 'adversarialD',
    group: options.group ?? 'D',
    weight: options.weight,
    uses: { values: [values.real, values.fake] },
    compute: (f) => loss.discriminator(f.value(values.real), f.value(values.fake)),
  };
}

/** G's adversarial loss from D's outputs on its fakes (and on reals, for relativistic losses). */
export function adversarialG(
  loss: GanLoss,
  values: { fake: string; real?: string },
  options: { name?: string; group?: string; weight?: number } = {},
): LossTerm {
  if (loss.needsRealForGenerator && values.real == null)
    throw new Error(
      `the ${loss.name} loss compares with D's outputs on reals in G's update: name a real value`,
    );
  return {
    name: options.name ?? 'adversarialG',
    group: options.group ?? 'G',
    weight: options.weight,
    uses: { values: loss.needsRealForGenerator ? [values.fake, values.real!] : [values.fake] },
    compute: (f) =>
      loss.needsRealForGenerator
        ? loss.generator(f.value(values.fake), f.value(values.real!))
        : loss.generator(f.value(values.fake)),
  };
}

/**
 * AC-GAN's auxiliary classification (Odena et al. 2017): the class head's cross-entropy on each (D output, labels)
 * pair, summed — D's term scores reals and fakes, G's its fakes.
 */
export function auxiliaryClass(
  pairs: readonly { value: string; labels: string }[],
  options: { name: string; group: string; weight?: number; head?: string },
): LossTerm {
  const head = options.head ?? 'classLogits';
  return {
    name: options.name,
    group: options.group,
    weight: options.weight,
    uses: { values: pairs.flatMap((p) => [p.value, p.labels]) },
    compute: (f) =>
      pairs
        .map((p) =>
          auxiliaryClassifierLoss(f.output(p.value, head) as tf.Tensor2D, f.value(p.labels) as tf.Tensor1D),
        )
        .reduce((a, b) => tf.add(a, b) as tf.Scalar),
  };
}

/**
 * InfoGAN's mutual-information term (Chen et al. 2016): the NLL of the codes that made the fakes under Q (a head
 * of D), λ-weighted per kind (categorical 1, continuous 0.1 by default).
 */
export function mutualInformation(
  values: { judged: string; latent: string },
  codes: { categorical: readonly number[]; continuous: number },
  options: {
    name: string;
    group: string;
    head?: string;
    lambdaCategorical?: number;
    lambdaContinuous?: number;
  },
): LossTerm {
  const head = options.head ?? 'q';
  return {
    name: options.name,
    group: options.group,
    uses: { values: [values.judged, values.latent] },
    compute: (f) => {
      const split = splitInfoganQ(f.output(values.judged, head) as tf.Tensor2D, {
        categorical: [...codes.categorical],
        continuous: codes.continuous,
      });
      const given = f.codes(values.latent);
      return infoGanLoss({
        categoricalLogits: split.categorical,
        categoricalCodes: given.categorical,
        mean: split.mean,
        logStd: split.logStd,
        continuousCodes: given.continuous,
        lambdaCategorical: options.lambdaCategorical ?? 1,
        lambdaContinuous: options.lambdaContinuous ?? 0.1,
      });
    },
  };
}

interface CriticInputs {
  /** The network penalised (a discriminator). */
  critic: string;
  real: string;
  /** Class labels the critic is conditioned on. */
  labels?: string;
  name?: string;
  group?: string;
}

/** WGAN-GP (Gulrajani et al. 2017): λ·E(‖∇D(x̂)‖ − 1)² between reals and fakes; λ inside (default 10). */
export function gradientPenaltyTerm(
  inputs: CriticInputs & { fake: string },
  options: { weight?: number; oneSided?: boolean } = {},
): LossTerm {
  return {
    name: inputs.name ?? 'gradientPenalty',
    group: inputs.group ?? 'D',
    uses: criticUses(inputs, [inputs.fake]),
    compute: (f) =>
      gradientPenalty(f.critic(inputs.critic, inputs.labels), f.value(inputs.real), f.value(inputs.fake), {
        ...options,
        seed: f.key('gp'),
      }),
  };
}

/**
 * R1 (Mescheder et al. 2018): (γ/2)·E‖∇D(x)‖² on reals; R2 is the same on fakes (name the fakes as `real`). With
 * `every`, lazy as in StyleGAN2 (every 16 D updates, weight × 16).
 */
export function r1Term(inputs: CriticInputs, options: { gamma: number; every?: number }): LossTerm {
  return {
    name: inputs.name ?? 'r1',
    group: inputs.group ?? 'D',
    every: options.every,
    uses: criticUses(inputs, []),
    compute: (f) => r1Penalty(f.critic(inputs.critic, inputs.labels), f.value(inputs.real), options),
  };
}

/** ProGAN's drift term ε·E[D(x)²] (ε = 0.001), which keeps a critic's outputs near 0. */
export function driftTerm(
  value: string,
  options: { epsilon?: number; name?: string; group?: string } = {},
): LossTerm {
  return {
    name: options.name ?? 'drift',
    group: options.group ?? 'D',
    weight: options.epsilon ?? 0.001,
    uses: { values: [value] },
    compute: (f) => tf.mean(tf.square(f.value(value))) as tf.Scalar,
  };
}

/**
 * A reconstruction term E|a − b| (L1) or E(a − b)² (L2): pix2pix's L1 to the target, CycleGAN's cycle and identity
 * terms, SRGAN's MSE pre-training. With `mask`, only where the mask is 1 (an inpainting hole), averaged over it.
 */
export function reconstruction(
  values: { output: string; target: string; mask?: string },
  options: { name: string; group: string; weight?: number; norm?: 'l1' | 'l2' },
): LossTerm {
  const norm = options.norm ?? 'l1';
  return {
    name: options.name,
    group: options.group,
    weight: options.weight,
    uses: { values: [values.output, values.target, ...(values.mask ? [values.mask] : [])] },
    compute: (f) => {
      const a = f.value(values.output);
      const b = f.value(values.target);
      if (values.mask == null) return norm === 'l1' ? l1(a, b) : l2(a, b);
      const m = f.value(values.mask);
      const d = tf.sub(a, b);
      const e = norm === 'l1' ? tf.abs(d) : tf.square(d);
      return tf.div(tf.sum(tf.mul(e, m)), tf.maximum(tf.sum(tf.mul(tf.onesLike(e), m)), 1)) as tf.Scalar;
    },
  };
}

/**
 * A perceptual term: the mean squared distance between features of a fixed network (`features`, e.g. a shipped
 * classifier's convolutional features) of two values — SRGAN's content loss.
 */
export function perceptual(
  values: { output: string; target: string },
  features: (x: tf.Tensor) => tf.Tensor,
  options: { name?: string; group?: string; weight?: number } = {},
): LossTerm {
  return {
    name: options.name ?? 'perceptual',
    group: options.group ?? 'G',
    weight: options.weight,
    uses: { values: [values.output, values.target] },
    compute: (f) => l2(features(f.value(values.output)), features(f.value(values.target))),
  };
}

/**
 * Feature matching (Salimans et al. 2016): G matches the batch mean of a D feature head on reals and fakes,
 * ‖E f(x) − E f(G(z))‖².
 */
export function featureMatchingTerm(
  values: { real: string; fake: string },
  options: { head?: string; name?: string; group?: string; weight?: number } = {},
): LossTerm {
  const head = options.head ?? 'features';
  return {
    name: options.name ?? 'featureMatching',
    group: options.group ?? 'G',
    weight: options.weight,
    uses: { values: [values.real, values.fake] },
    compute: (f) =>
      tf.mean(
        tf.square(tf.sub(tf.mean(f.output(values.real, head), 0), tf.mean(f.output(values.fake, head), 0))),
      ) as tf.Scalar,
  };
}

/** Options of StyleGAN 2's path-length regularisation (the official defaults). */
export interface PathLengthConfig {
  /** The penalty's weight (2). */
  weight?: number;
  /** Lazy: on every `every`-th G update, with the weight × `every` (4). */
  every?: number;
  /** How fast the running mean of lengths follows each batch (0.01). */
  decay?: number;
  /** The penalty's batch is the update's divided by this (2), at least one example. */
  shrink?: number;
}

/**
 * StyleGAN 2's path-length regularisation (Karras et al. 2020, §3.2) of a style-based generator: on fresh latents
 * (the update's batch ÷ `shrink`), the Jacobian length of its synthesis w.r.t. the per-layer styles pulled towards
 * their running mean (@gankit/losses' `pathLengthPenalty`), which the term keeps as state — in checkpoints, so that
 * a resumed run continues it exactly. Official defaults: weight 2, every 4 G updates, decay 0.01, batch ÷ 2. Known
 * to be unstable at small batches (the paper trains at 32 and up): off unless asked for.
 */
export function pathLengthTerm(
  generator: string,
  options: PathLengthConfig & { name?: string; group?: string } = {},
): LossTerm {
  const { weight = 2, every = 4, decay = 0.01, shrink = 2 } = options;
  if (!(Number.isInteger(shrink) && shrink >= 1))
    throw new Error(`pathLengthTerm: shrink must be a positive whole number, got ${shrink}`);
  return {
    name: options.name ?? 'pathLength',
    group: options.group ?? 'G',
    weight,
    every,
    uses: { networks: [generator] },
    state: { mean: () => tf.scalar(0) },
    compute: (f, state) => {
      const { ws, synthesize } = f.styles(generator, Math.max(1, Math.floor(f.rows / shrink)), 'path-length');
      const r = pathLengthPenalty(synthesize, ws, state.get('mean') as tf.Scalar, {
        decay,
        seed: f.key('path-length-noise'),
      });
      state.set('mean', r.mean);
      return r.penalty;
    },
  };
}

function criticUses(inputs: CriticInputs, more: string[]): LossTerm['uses'] {
  return {
    networks: [inputs.critic],
    values: [inputs.real, ...more, ...(inputs.labels ? [inputs.labels] : [])],
  };
}
