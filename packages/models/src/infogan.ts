import {
  batchNorm,
  conv2d,
  conv2dTranspose,
  dense,
  flatten,
  leakyRelu,
  relu,
  reshape,
  sequential,
  tanh,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { GanDef } from './network.js';

const SOURCE =
  'Chen et al. 2016, "InfoGAN: Interpretable Representation Learning by Information Maximizing GANs" (MNIST model)';

export interface InfoganOptions {
  /** Incompressible noise dimensions (62 in the paper). */
  noise?: number;
  /** Sizes of the categorical codes (one 10-way code for MNIST digits). */
  categorical?: number[];
  /** Number of continuous codes, each U(−1, 1) (2 for MNIST: width and rotation). */
  continuous?: number;
  channels?: number;
}

/**
 * InfoGAN's MNIST networks (Chen et al. 2016, Table 1). G reads `[noise, one-hot categorical codes, continuous
 * codes]` (74 values by default): FC 1024 → FC 7·7·128 → up-conv 64 → up-conv 1, BN + ReLU between, tanh output.
 * D: conv 64 → conv 128 (BN) → FC 1024 (BN), LeakyReLU(0.1); two heads read those features — `logits` and `q`,
 * the recognition network Q (FC 128, BN, LeakyReLU → categorical logits then a mean and a log-σ per continuous
 * code). Use {@link splitInfoganQ} to take `q` apart.
 */
export function infogan(options: InfoganOptions = {}): GanDef {
  const noise = options.noise ?? 62;
  const categorical = options.categorical ?? [10];
  const continuous = options.continuous ?? 2;
  const channels = options.channels ?? 1;
  const latentDim = noise + categorical.reduce((a, b) => a + b, 0) + continuous;
  const qSize = categorical.reduce((a, b) => a + b, 0) + 2 * continuous;
  return {
    architecture: 'infogan-28',
    source: SOURCE,
    latentDim,
    dataShape: [28, 28, channels],
    dataRange: [-1, 1],
    codes: { categorical, continuous },
    generator: {
      name: 'generator',
      role: 'generator',
      architecture: 'infogan-28',
      source: SOURCE,
      inputShape: [latentDim],
      main: 'images',
      body: sequential([
        dense({ units: 1024 }),
        batchNorm(),
        relu(),
        dense({ units: 7 * 7 * 128 }),
        batchNorm(),
        relu(),
        reshape([7, 7, 128]),
        conv2dTranspose({ filters: 64, kernelSize: 4, strides: 2, padding: 'same' }),
        batchNorm(),
        relu(),
        conv2dTranspose({ filters: channels, kernelSize: 4, strides: 2, padding: 'same' }),
        tanh(),
      ]),
    },
    discriminator: {
      name: 'discriminator',
      role: 'discriminator',
      architecture: 'infogan-28',
      source: SOURCE,
      inputShape: [28, 28, channels],
      main: 'logits',
      body: sequential([
        conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same' }),
        leakyRelu(0.1),
        conv2d({ filters: 128, kernelSize: 4, strides: 2, padding: 'same' }),
        batchNorm(),
        leakyRelu(0.1),
        flatten(),
        dense({ units: 1024 }),
        batchNorm(),
        leakyRelu(0.1),
      ]),
      heads: {
        logits: dense({ units: 1 }),
        q: sequential([dense({ units: 128 }), batchNorm(), leakyRelu(0.1), dense({ units: qSize })]),
      },
    },
  };
}

/**
 * Splits InfoGAN's Q output `[batch, Σcategorical + 2·continuous]` into each categorical code's logits and the
 * continuous codes' Gaussian means and log-σ.
 */
export function splitInfoganQ(
  q: tf.Tensor2D,
  codes: { categorical: number[]; continuous: number },
): { categorical: tf.Tensor2D[]; mean: tf.Tensor2D; logStd: tf.Tensor2D } {
  const sizes = [...codes.categorical, codes.continuous, codes.continuous];
  const parts = tf.split(q, sizes, 1) as tf.Tensor2D[];
  return {
    categorical: parts.slice(0, codes.categorical.length),
    mean: parts[codes.categorical.length]!,
    logStd: parts[codes.categorical.length + 1]!,
  };
}
