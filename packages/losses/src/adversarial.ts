import * as tf from '@tensorflow/tfjs-core';

/**
 * Adversarial objectives as pure functions of D's raw outputs — logits for the classifier losses, critic values
 * for Wasserstein and hinge. Everything log-sigmoid is written with softplus (−log σ(x) = softplus(−x),
 * −log(1 − σ(x)) = softplus(x)), never `log(sigmoid(x))`, so no loss saturates to ±∞ in float32.
 *
 * D losses are the sum of the real and fake expectations (TF-GAN's and PyTorch's convention); the seed's
 * L_D = −½E log D(x) − ½E log(1 − D(G(z))) is half of `minimax.discriminator`.
 */

/** What D's outputs mean, for logs: probabilities σ(logit), or raw critic values. */
export type OutputKind = 'logits' | 'critic';

export interface GanLoss {
  /** Identifier, e.g. `non-saturating`. */
  name: string;
  /** The formula, in words a log line can show. */
  formula: string;
  source: string;
  /** Loss minimised by D, from D's outputs on a real batch and a fake batch. */
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar;
  /** Loss minimised by G, from D's outputs on fakes (and on reals, for relativistic losses). */
  generator(fake: tf.Tensor, real?: tf.Tensor): tf.Scalar;
  /** Relativistic losses compare with real outputs in G's step too. */
  needsRealForGenerator: boolean;
  outputs: OutputKind;
}

const mean = (x: tf.Tensor) => tf.mean(x) as tf.Scalar;
const softplus = (x: tf.Tensor) => tf.softplus(x);

/**
 * Binary cross-entropy on logits with any targets in [0, 1] (soft or flipped labels):
 * E[t·softplus(−l) + (1 − t)·softplus(l)] = E[−t log σ(l) − (1 − t) log(1 − σ(l))].
 */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor | number): tf.Scalar {
  return tf.tidy(() => {
    const t = typeof targets === 'number' ? tf.scalar(targets) : targets;
    return mean(tf.add(tf.mul(t, softplus(tf.neg(logits))), tf.mul(tf.sub(1, t), softplus(logits))));
  });
}

export interface MinimaxOptions {
  /** Target for real examples: 1, or e.g. 0.9 for one-sided label smoothing (Salimans et al. 2016). */
  realLabel?: number;
}

/**
 * The original minimax game (Goodfellow et al. 2014): D maximises E log D(x) + E log(1 − D(G(z))); G minimises
 * E log(1 − D(G(z))). G's loss saturates: where D rejects fakes confidently (D(G(z)) → 0) its gradient vanishes.
 * Kept for teaching and comparison; train with {@link nonSaturating}.
 */
export function minimax(options: MinimaxOptions = {}): GanLoss {
  const realLabel = options.realLabel ?? 1;
  return {
    name: 'minimax',
    formula: 'D: −E log σ(D(x)) − E log(1 − σ(D(G(z))));  G: E log(1 − σ(D(G(z))))',
    source: 'Goodfellow et al. 2014, "Generative Adversarial Nets", eq. 1',
    discriminator: (real, fake) =>
      tf.tidy(() => tf.add(bceWithLogits(real, realLabel), bceWithLogits(fake, 0)) as tf.Scalar),
    generator: (fake) => tf.tidy(() => tf.neg(mean(softplus(fake))) as tf.Scalar),
    needsRealForGenerator: false,
    outputs: 'logits',
  };
}

/**
 * The non-saturating game (Goodfellow et al. 2014, §3): the same D; G maximises E log D(G(z)) instead, whose
 * gradient is strong exactly where the minimax one vanishes. The seed-002 GAN's loss ("G: latents labelled real").
 */
export function nonSaturating(options: MinimaxOptions = {}): GanLoss {
  return {
    ...minimax(options),
    name: 'non-saturating',
    formula: 'D: −E log σ(D(x)) − E log(1 − σ(D(G(z))));  G: −E log σ(D(G(z)))',
    source: 'Goodfellow et al. 2014, §3 (the −log D trick)',
    generator: (fake) => tf.tidy(() => mean(softplus(tf.neg(fake)))),
  };
}

export interface LeastSquaresOptions {
  /** Target for fakes in D's loss (default 0). */
  a?: number;
  /** Target for reals in D's loss (default 1). */
  b?: number;
  /** Value G wants D to give fakes (default 1). */
  c?: number;
}

/**
 * Least-squares GAN (Mao et al. 2017), the seeds' "replace the sigmoid with a linear output":
 * D: ½E(D(x) − b)² + ½E(D(G(z)) − a)²;  G: ½E(D(G(z)) − c)². With b − c = 1 and b − a = 2 (e.g. a = −1, b = 1,
 * c = 0) it minimises the Pearson χ² divergence; the default 0-1-1 coding is the one most used.
 */
export function leastSquares(options: LeastSquaresOptions = {}): GanLoss {
  const { a = 0, b = 1, c = 1 } = options;
  return {
    name: 'least-squares',
    formula: `D: ½E(D(x) − ${b})² + ½E(D(G(z)) − ${a})²;  G: ½E(D(G(z)) − ${c})²`,
    source: 'Mao et al. 2017, "Least Squares Generative Adversarial Networks"',
    discriminator: (real, fake) =>
      tf.tidy(
        () =>
          tf.mul(
            tf.add(mean(tf.square(tf.sub(real, b))), mean(tf.square(tf.sub(fake, a)))),
            0.5,
          ) as tf.Scalar,
      ),
    generator: (fake) => tf.tidy(() => tf.mul(mean(tf.square(tf.sub(fake, c))), 0.5) as tf.Scalar),
    needsRealForGenerator: false,
    outputs: 'critic',
  };
}

/**
 * Wasserstein GAN (Arjovsky et al. 2017): the critic maximises E D(x) − E D(G(z)), an estimate of the
 * Earth-Mover distance when D is 1-Lipschitz — enforce that with weight clipping ({@link clipWeights}) or a
 * gradient penalty ({@link gradientPenalty}, WGAN-GP). G minimises −E D(G(z)).
 */
export function wasserstein(): GanLoss {
  return {
    name: 'wasserstein',
    formula: 'D: E D(G(z)) − E D(x);  G: −E D(G(z))',
    source: 'Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN"',
    discriminator: (real, fake) => tf.tidy(() => tf.sub(mean(fake), mean(real)) as tf.Scalar),
    generator: (fake) => tf.tidy(() => tf.neg(mean(fake)) as tf.Scalar),
    needsRealForGenerator: false,
    outputs: 'critic',
  };
}

/**
 * Hinge loss (Lim & Ye 2017; Miyato et al. 2018, SNGAN; BigGAN): D: E max(0, 1 − D(x)) + E max(0, 1 + D(G(z)));
 * G: −E D(G(z)).
 */
export function hinge(): GanLoss {
  return {
    name: 'hinge',
    formula: 'D: E max(0, 1 − D(x)) + E max(0, 1 + D(G(z)));  G: −E D(G(z))',
    source: 'Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018 (SNGAN)',
    discriminator: (real, fake) =>
      tf.tidy(() => tf.add(mean(tf.relu(tf.sub(1, real))), mean(tf.relu(tf.add(1, fake)))) as tf.Scalar),
    generator: (fake) => tf.tidy(() => tf.neg(mean(fake)) as tf.Scalar),
    needsRealForGenerator: false,
    outputs: 'critic',
  };
}

/**
 * Relativistic average GAN (Jolicoeur-Martineau 2019, RaSGAN): D estimates how much more realistic a real example
 * is than the average fake, and vice versa. With C the logits and C̄ batch means:
 * D: −E log σ(C(x) − C̄(fake)) − E log(1 − σ(C(fake) − C̄(x)));  G: the same with real and fake swapped. G's loss
 * needs D's outputs on a real batch too.
 */
export function relativisticAverage(): GanLoss {
  const relative = (a: tf.Tensor, b: tf.Tensor) =>
    tf.tidy(
      () =>
        tf.add(
          mean(softplus(tf.neg(tf.sub(a, tf.mean(b))))),
          mean(softplus(tf.sub(b, tf.mean(a)))),
        ) as tf.Scalar,
    );
  return {
    name: 'relativistic-average',
    formula: 'D: −E log σ(C(x) − E C(G(z))) − E log(1 − σ(C(G(z)) − E C(x)));  G: real and fake swapped',
    source:
      'Jolicoeur-Martineau 2019, "The relativistic discriminator: a key element missing from standard GAN"',
    discriminator: (real, fake) => relative(real, fake),
    generator: (fake, real) => {
      if (real == null)
        throw new Error(
          'relativisticAverage: the generator loss needs D(real) too — pass it as the second argument',
        );
      return relative(fake, real);
    },
    needsRealForGenerator: true,
    outputs: 'logits',
  };
}

/** Every adversarial loss by name, for configs that pick one by value. */
export const ADVERSARIAL_LOSSES = {
  minimax,
  'non-saturating': nonSaturating,
  'least-squares': leastSquares,
  wasserstein,
  hinge,
  'relativistic-average': relativisticAverage,
} as const;

export type AdversarialLossName = keyof typeof ADVERSARIAL_LOSSES;

/** Looks a loss up by name, with an error listing the known ones. */
export function adversarialLoss(name: string): GanLoss {
  const make = (ADVERSARIAL_LOSSES as Record<string, () => GanLoss>)[name];
  if (make == null) {
    throw new Error(`unknown GAN loss '${name}'; use one of: ${Object.keys(ADVERSARIAL_LOSSES).join(', ')}`);
  }
  return make();
}
