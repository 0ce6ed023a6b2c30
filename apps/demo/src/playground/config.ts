/**
 * The 2D playground's settings as plain data, and how they become a model spec and a TrainConfig for
 * @gankit/train. No DOM, no tensors: tested in Node.
 */
import type { AdversarialLossName } from '@gankit/losses';
import type { ModelSpec } from '@gankit/models';
import { type OptimizerConfig, type TrainConfig, trainConfigProblems } from '@gankit/train';

export type DistributionKind = 'ring8' | 'grid25' | 'mixture' | 'draw';

/** The losses a visitor can pick: the library's adversarial losses, and WGAN-GP (wasserstein + gradient penalty). */
export type LossChoice = 'non-saturating' | 'minimax' | 'least-squares' | 'wgan-gp' | 'hinge';

export type OptimizerChoice = 'adam' | 'sgd';

export interface PlaygroundConfig {
  distribution: DistributionKind;
  /** Standard deviation of every mode of the mixture (also the σ of the mode-coverage protocol). */
  sigma: number;
  /** The visitor's points, for `draw` (world coordinates). */
  points: number[][];
  hiddenLayers: number;
  units: number;
  loss: LossChoice;
  optimizer: OptimizerChoice;
  lrD: number;
  lrG: number;
  /** k: discriminator updates per iteration (Algorithm 1 of Goodfellow et al. 2014). */
  dSteps: number;
  batchSize: number;
  seed: number;
}

export const DISTRIBUTIONS: readonly { value: DistributionKind; label: string; sigma: number }[] = [
  { value: 'ring8', label: 'ring of 8', sigma: 0.05 },
  { value: 'grid25', label: 'grid of 25', sigma: 0.05 },
  { value: 'mixture', label: '2-D Gaussian mixture (7 modes)', sigma: 0.12 },
  { value: 'draw', label: 'draw your own', sigma: 0.05 },
];

export const LOSSES: readonly { value: LossChoice; label: string }[] = [
  { value: 'non-saturating', label: 'non-saturating' },
  { value: 'minimax', label: 'minimax' },
  { value: 'least-squares', label: 'least-squares (LSGAN)' },
  { value: 'wgan-gp', label: 'Wasserstein + gradient penalty' },
  { value: 'hinge', label: 'hinge' },
];

export const SIGMAS = [0.01, 0.02, 0.05, 0.08, 0.12, 0.2] as const;
export const HIDDEN_LAYERS = [1, 2, 3, 4] as const;
export const UNITS = [8, 16, 32, 64, 128] as const;
export const LEARNING_RATES = [1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2, 3e-2, 0.1] as const;
export const D_STEPS = [1, 2, 3, 5] as const;

/** Latent size: 2, as in GAN Lab, so that the generator's manifold is a warped plane that can be drawn. */
export const LATENT_DIM = 2;
/** The weight of WGAN-GP's penalty (Gulrajani et al. 2017). */
export const GP_WEIGHT = 10;

/**
 * Small enough for a software WebGPU adapter (SwiftShader): 2 hidden layers × 64, batch 128, ring of 8.
 * Adam with β₁ = 0.5 (DCGAN's setting for GANs) at 10⁻³ reaches all 8 modes in a few hundred iterations.
 */
export const DEFAULT_CONFIG: PlaygroundConfig = {
  distribution: 'ring8',
  sigma: 0.05,
  points: [],
  hiddenLayers: 2,
  units: 64,
  loss: 'non-saturating',
  optimizer: 'adam',
  lrD: 1e-3,
  lrG: 1e-3,
  dSteps: 1,
  batchSize: 128,
  seed: 1,
};

export function defaultSigma(kind: DistributionKind): number {
  return DISTRIBUTIONS.find((d) => d.value === kind)?.sigma ?? DEFAULT_CONFIG.sigma;
}

/**
 * Everything wrong with `c`, as sentences for the page (empty when it can train). The page's own ranges come first;
 * the TrainConfig it makes is @gankit/train's to check (the seed, and whatever those ranges let through), without
 * naming a setting twice.
 */
export function configProblems(c: PlaygroundConfig): string[] {
  const problems: string[] = [];
  /** TrainConfig fields whose setting a problem above already names. */
  const named = new Set<string>();
  const problem = (message: string, ...paths: string[]) => {
    problems.push(message);
    for (const p of paths) named.add(p);
  };
  if (!DISTRIBUTIONS.some((d) => d.value === c.distribution))
    problem(`unknown distribution '${c.distribution}'`);
  if (c.distribution === 'draw' && c.points.length === 0)
    problem('draw your own: click or drag on the canvas to place at least one point');
  if (!(c.sigma > 0 && Number.isFinite(c.sigma))) problem(`σ must be a positive number, got ${c.sigma}`);
  const positiveInt = (v: number, name: string, max: number, path?: string) => {
    if (!Number.isInteger(v) || v < 1 || v > max)
      problem(`${name} must be an integer from 1 to ${max}`, ...(path ? [path] : []));
  };
  positiveInt(c.hiddenLayers, 'hidden layers', 8);
  positiveInt(c.units, 'units per layer', 1024);
  positiveInt(c.dSteps, 'D steps per iteration', 20, 'schedule.dSteps');
  positiveInt(c.batchSize, 'batch size', 4096, 'batchSize');
  if (!LOSSES.some((l) => l.value === c.loss)) problem(`unknown loss '${c.loss}'`, 'loss');
  if (c.optimizer !== 'adam' && c.optimizer !== 'sgd')
    problem(
      `optimizer must be adam or sgd, got '${c.optimizer}'`,
      'optimizers.generator.kind',
      'optimizers.discriminator.kind',
    );
  for (const [v, name, network] of [
    [c.lrD, 'D learning rate', 'discriminator'],
    [c.lrG, 'G learning rate', 'generator'],
  ] as const) {
    if (!(v > 0 && v <= 1))
      problem(`${name} must be in (0, 1], got ${v}`, `optimizers.${network}.learningRate`);
  }
  for (const p of trainConfigProblems(trainConfigOf(c), '')) if (!named.has(p.path)) problems.push(p.message);
  return problems;
}

/** The networks: MLPs with leaky ReLU for G and D, z ∈ R², points in R² (no batch norm, so no state to track). */
export function toModelSpec(c: PlaygroundConfig): ModelSpec {
  return {
    family: 'mlp',
    options: {
      dataDim: 2,
      latentDim: LATENT_DIM,
      hidden: Array.from({ length: c.hiddenLayers }, () => c.units),
      activation: 'leakyRelu',
      architecture: `playground-mlp-${c.hiddenLayers}x${c.units}`,
      source: 'Kahng et al. 2019, "GAN Lab" (2-D MLP GAN), with leaky ReLU',
    },
  };
}

function optimizer(kind: OptimizerChoice, learningRate: number, loss: LossChoice): OptimizerConfig {
  if (kind === 'sgd') return { kind: 'sgd', learningRate };
  // WGAN-GP's Adam uses β₂ = 0.9 (Gulrajani et al. 2017); the others DCGAN's β₁ = 0.5
  return loss === 'wgan-gp'
    ? { kind: 'adam', learningRate, beta1: 0.5, beta2: 0.9 }
    : { kind: 'adam', learningRate, beta1: 0.5 };
}

/** The library's loss name for a choice (WGAN-GP is the wasserstein loss plus a penalty). */
export function lossName(choice: LossChoice): AdversarialLossName {
  return choice === 'wgan-gp' ? 'wasserstein' : choice;
}

/** What @gankit/train's createTrainer is given: k D steps, one G step, the two optimisers, the penalty. */
export function toTrainConfig(c: PlaygroundConfig): TrainConfig {
  const problems = configProblems(c);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return trainConfigOf(c);
}

/** The TrainConfig of `c`, unchecked. */
function trainConfigOf(c: PlaygroundConfig): TrainConfig {
  return {
    seed: c.seed,
    batchSize: c.batchSize,
    loss: lossName(c.loss),
    schedule: { dSteps: c.dSteps, gSteps: 1 },
    optimizers: {
      generator: optimizer(c.optimizer, c.lrG, c.loss),
      discriminator: optimizer(c.optimizer, c.lrD, c.loss),
    },
    ...(c.loss === 'wgan-gp' ? { penalties: { gradientPenalty: { weight: GP_WEIGHT } } } : {}),
  };
}

/** True when D's outputs are logits (shown as σ(logit), a probability); false for critic values. */
export function outputsAreLogits(choice: LossChoice): boolean {
  return choice === 'non-saturating' || choice === 'minimax';
}
