import {
  type ActivationName,
  batchNorm,
  dense,
  type Layer,
  leakyRelu,
  relu,
  sequential,
  tanh,
} from '@gankit/layers';
import type { GanDef } from './network.js';

export interface MlpGanOptions {
  /** Dimension of a data point (1 for the seed's 1-D example, 2 for the ring/grid mixtures). */
  dataDim?: number;
  latentDim?: number;
  /** Hidden layers' widths, for G and D alike unless `discriminatorHidden` is given. */
  hidden?: number[];
  discriminatorHidden?: number[];
  activation?: 'relu' | 'leakyRelu' | 'tanh';
  /** Batch norm after each hidden layer of G (PacGAN does; GAN Lab does not). */
  batchNorm?: boolean;
  /** Batch norm in D's hidden layers too. */
  discriminatorBatchNorm?: boolean;
  /** PacGAN packing degree m: D reads m samples concatenated (input m·dataDim). */
  pack?: number;
  architecture?: string;
  source?: string;
}

function act(name: NonNullable<MlpGanOptions['activation']>): Layer {
  return name === 'relu' ? relu() : name === 'tanh' ? tanh() : leakyRelu(0.2);
}

function mlp(
  hidden: number[],
  out: number,
  activation: NonNullable<MlpGanOptions['activation']>,
  bn: boolean,
  outAct?: ActivationName,
): Layer {
  const layers: Layer[] = [];
  for (const units of hidden) {
    layers.push(dense({ units }));
    if (bn) layers.push(batchNorm());
    layers.push(act(activation));
  }
  layers.push(dense({ units: out, ...(outAct ? { activation: outAct } : {}) }));
  return sequential(layers);
}

/**
 * A fully connected GAN for low-dimensional data (the seed's 1-D Gaussian, 2-D mixtures). G maps z to a point
 * with a linear output (data is unbounded); D maps a point — or `pack` points — to a logit.
 */
export function mlpGan(options: MlpGanOptions = {}): GanDef {
  const { dataDim = 2, latentDim = 2, hidden = [8], activation = 'relu', pack = 1 } = options;
  if (!Number.isInteger(pack) || pack < 1)
    throw new Error(`mlpGan: pack must be a positive integer, got ${pack}`);
  const architecture = options.architecture ?? 'mlp';
  return {
    architecture,
    source: options.source ?? 'Goodfellow et al. 2014 (MLP generator and discriminator)',
    latentDim,
    dataShape: [dataDim],
    pack,
    generator: {
      name: 'generator',
      role: 'generator',
      architecture,
      source: 'MLP',
      inputShape: [latentDim],
      main: 'images',
      body: mlp(hidden, dataDim, activation, options.batchNorm ?? false),
    },
    discriminator: {
      name: 'discriminator',
      role: 'discriminator',
      architecture,
      source: 'MLP',
      inputShape: [dataDim * pack],
      main: 'logits',
      body: mlp(
        options.discriminatorHidden ?? hidden,
        1,
        activation,
        options.discriminatorBatchNorm ?? false,
      ),
    },
  };
}

/** GAN Lab's default: G and D with one hidden layer of 8 ReLU units, 2-D data and noise (Kahng et al. 2019). */
export function ganLabMlp(options: { dataDim?: number; latentDim?: number } = {}): GanDef {
  return mlpGan({
    dataDim: options.dataDim ?? 2,
    latentDim: options.latentDim ?? 2,
    hidden: [8],
    activation: 'relu',
    architecture: 'gan-lab-mlp',
    source: 'Kahng et al. 2019, "GAN Lab" (default model: 1 hidden layer × 8 ReLU units)',
  });
}

/**
 * PacGAN's 2-D mixture model (Lin et al. 2018): G is 2 → 4 × 400 (BN + ReLU) → 2 with z ∈ R², D is 4 × 400
 * (LinearMaxout in the paper; ReLU here, noted) reading `pack` samples at once.
 */
export function pacganMlp(options: { pack?: number; latentDim?: number } = {}): GanDef {
  return mlpGan({
    dataDim: 2,
    latentDim: options.latentDim ?? 2,
    hidden: [400, 400, 400, 400],
    activation: 'relu',
    batchNorm: true,
    pack: options.pack ?? 1,
    architecture: `pacgan-mlp${(options.pack ?? 1) > 1 ? `-pac${options.pack}` : ''}`,
    source: 'Lin et al. 2018, "PacGAN" (2-D experiments: 4 × 400 BN+ReLU generator; D on packed samples)',
  });
}
