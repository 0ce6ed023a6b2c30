import {
  type AdversarialLossName,
  adversarialLoss,
  type GanLoss,
  minimax,
  nonSaturating,
} from '@gankit/losses';
import type { GanDef } from '@gankit/models';
import type { AugmentPolicy } from './augment.js';
import { parsePartialTrainConfig, parseTrainConfig } from './config-problems.js';
import { validateGrowth } from './growth.js';
import type { LrSchedule, OptimizerConfig } from './optim.js';
import type { LossTerm } from './problem.js';
import type { PathLengthConfig } from './terms.js';

/**
 * Everything that decides a run, as plain data (it is saved with every checkpoint and compared on resume). Its
 * schema, `trainConfigSchema` (config-schema.ts), checks values of it; the two are kept in step by the compiler.
 */
export interface TrainConfig {
  seed: number;
  /** Real and fake examples per discriminator update. */
  batchSize: number;
  /** Latents per generator update (default: batchSize). The seed-002 GAN: D 128 + 128, G 256. */
  generatorBatchSize?: number;
  /**
   * The adversarial loss: a name (`non-saturating`, `minimax`, `least-squares`, `wasserstein`, `hinge`,
   * `relativistic-average`) or your own {@link GanLoss} value.
   */
  loss: AdversarialLossName | GanLoss;
  /** One-sided label smoothing of real targets (e.g. 0.9); defined for the minimax and non-saturating losses. */
  realLabel?: number;
  /** Algorithm 1's k: discriminator updates per iteration, and generator updates per iteration. */
  schedule: { dSteps: number; gSteps: number };
  optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig };
  lrSchedule?: LrSchedule;
  penalties?: {
    gradientPenalty?: { weight: number; oneSided?: boolean };
    /** R1 on reals; with `every`, lazy (StyleGAN2: every 16 D updates, γ × 16). */
    r1?: { gamma: number; every?: number };
    /** R2: the same penalty on fakes. */
    r2?: { gamma: number; every?: number };
    /** ProGAN's drift ε·E[D(x)²] (ε = 0.001). */
    drift?: { epsilon?: number };
    /**
     * StyleGAN 2's path-length regularisation of a style-based G (`{}` for the official weight 2, every 4 G
     * updates, decay 0.01, batch ÷ 2); its running mean is saved in checkpoints.
     */
    pathLength?: PathLengthConfig;
  };
  /** Clip each network's gradients to this global norm. */
  clipGradNorm?: { generator?: number; discriminator?: number };
  /** WGAN weight clipping of D after each update. */
  weightClip?: number;
  ema?: { decay: number; warmup?: boolean };
  replay?: { size: number; probability: number };
  augment?: AugmentPolicy[];
  instanceNoise?: { initial: number; decaySteps: number };
  /** AC-GAN auxiliary classification weight (used when D has a `classLogits` head). */
  auxiliaryWeight?: number;
  /** InfoGAN λ for categorical and continuous codes (defaults 1 and 0.1), used when D has a `q` head. */
  infoWeight?: { categorical?: number; continuous?: number };
  /** Further loss terms of your own (each names its group, `D` or `G`), added after the built-in ones. */
  terms?: LossTerm[];
  /**
   * Progressive growing (ProGAN; a model with stages, e.g. `progan`): the resolutions to grow through, low to high
   * (ending at the data's size), and a schedule in real images shown to D — the first resolution trains for
   * `stabiliseImages`, each next one fades in over `fadeImages` (α 0 → 1) and then trains for `stabiliseImages`, the
   * last until the run ends. A phase lasts images / (batchSize · dSteps) iterations, rounded up.
   */
  growth?: {
    resolutions: number[];
    stabiliseImages: number;
    fadeImages: number;
    /** Optimiser slots when a resolution is added: `reset` (the paper's code; default) or `keep`. */
    optimizers?: 'reset' | 'keep';
  };
}

/** What a minimal config leaves out: Adam 2e-4 with β₁ 0.5 for both networks (DCGAN), one D step per G step. */
export const DEFAULT_CONFIG = {
  seed: 0,
  batchSize: 64,
  loss: 'non-saturating',
  schedule: { dSteps: 1, gSteps: 1 },
  optimizers: {
    generator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
    discriminator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
  },
} as const satisfies TrainConfig;

/**
 * The parts of a config that {@link resolveConfig} completes: any key of {@link TrainConfig}, with `schedule` and
 * each optimiser given key by key (the rest from {@link DEFAULT_CONFIG}).
 */
export type PartialTrainConfig = Partial<Omit<TrainConfig, 'schedule' | 'optimizers'>> & {
  schedule?: Partial<TrainConfig['schedule']>;
  optimizers?: { generator?: Partial<OptimizerConfig>; discriminator?: Partial<OptimizerConfig> };
};

/**
 * A full config from the parts you give (the rest from {@link DEFAULT_CONFIG}); `trainer.config` shows what was
 * resolved. The parts are checked first (a `ConfigError` names each problem), so that nothing malformed is merged.
 */
export function resolveConfig(config: PartialTrainConfig = {}): TrainConfig {
  parsePartialTrainConfig(config);
  return {
    ...DEFAULT_CONFIG,
    ...config,
    schedule: { ...DEFAULT_CONFIG.schedule, ...config.schedule },
    optimizers: {
      generator: { ...DEFAULT_CONFIG.optimizers.generator, ...config.optimizers?.generator },
      discriminator: { ...DEFAULT_CONFIG.optimizers.discriminator, ...config.optimizers?.discriminator },
    },
  };
}

/**
 * Checks a config: its shape and ranges with `trainConfigSchema` (a `ConfigError` names every problem), then what
 * depends on the loss and on the GAN it trains. Each message names the field and what it must be.
 */
export function validateConfig(config: TrainConfig, gan: GanDef): void {
  parseTrainConfig(config);
  lossOf(config);
  if (gan.codes && config.replay) {
    throw new Error(
      'experience replay cannot be used with InfoGAN: replayed fakes have no codes for Q to recover',
    );
  }
  const pack = gan.pack ?? 1;
  for (const [name, n] of [
    ['batchSize', config.batchSize],
    ['generatorBatchSize', config.generatorBatchSize ?? config.batchSize],
  ] as const) {
    if (n % pack !== 0)
      throw new Error(`config.${name} must be divisible by the PacGAN packing degree ${pack}, got ${n}`);
  }
  validateGrowth(config, gan);
}

/** The adversarial loss a config asks for: a loss by name or by value, with one-sided label smoothing where defined. */
export function lossOf(config: Pick<TrainConfig, 'loss' | 'realLabel'>): GanLoss {
  const loss = typeof config.loss === 'string' ? adversarialLoss(config.loss) : config.loss;
  if (config.realLabel == null) return loss;
  if (loss.name === 'minimax') return minimax({ realLabel: config.realLabel });
  if (loss.name === 'non-saturating') return nonSaturating({ realLabel: config.realLabel });
  throw new Error(
    `realLabel (one-sided label smoothing) is defined for the minimax and non-saturating losses, not ${loss.name}: ` +
      'remove realLabel or pick one of those losses',
  );
}
