import {
  conv2d,
  conv2dTranspose,
  dense,
  dropout,
  flatten,
  leakyRelu,
  reshape,
  sequential,
} from '@gankit/layers';
import type { GanDef } from './network.js';

/**
 * The seed-002 Keras MNIST GAN ("Demonstration" of the seed lecture), layer for layer:
 *
 * - G: Dense(128·7·7) from z ∈ R¹⁰⁰ → LeakyReLU(0.2) → Reshape(7, 7, 128) → Conv2DTranspose(128, 4×4, s2, same) →
 *   LeakyReLU(0.2) → Conv2DTranspose(128, 4×4, s2, same) → LeakyReLU(0.2) → Conv2D(1, 7×7, same, sigmoid):
 *   1,164,289 parameters.
 * - D: Conv2D(64, 3×3, s2, same) → LeakyReLU(0.2) → Dropout(0.4) → Conv2D(64, 3×3, s2, same) → LeakyReLU(0.2) →
 *   Dropout(0.4) → Flatten → Dense(1): 40,705 parameters. The seed's final sigmoid is left to the loss, which
 *   takes logits (binary cross-entropy on logits is the same function, computed stably).
 *
 * Keras defaults throughout: Glorot-uniform kernels, zero biases, no batch norm. Data in [0, 1].
 */
export function seedKerasMnist(options: { latentDim?: number } = {}): GanDef {
  const latentDim = options.latentDim ?? 100;
  return {
    architecture: 'seed-keras-mnist',
    source:
      'Seed 002 (Keras MNIST GAN demonstration); Brownlee, "How to Develop a GAN for Generating MNIST Digits"',
    latentDim,
    dataShape: [28, 28, 1],
    dataRange: [0, 1],
    generator: {
      name: 'generator',
      role: 'generator',
      architecture: 'seed-keras-mnist',
      source: 'seed 002',
      inputShape: [latentDim],
      main: 'images',
      body: sequential([
        dense({ units: 128 * 7 * 7 }),
        leakyRelu(0.2),
        reshape([7, 7, 128]),
        conv2dTranspose({ filters: 128, kernelSize: 4, strides: 2, padding: 'same' }),
        leakyRelu(0.2),
        conv2dTranspose({ filters: 128, kernelSize: 4, strides: 2, padding: 'same' }),
        leakyRelu(0.2),
        conv2d({ filters: 1, kernelSize: 7, padding: 'same', activation: 'sigmoid' }),
      ]),
    },
    discriminator: {
      name: 'discriminator',
      role: 'discriminator',
      architecture: 'seed-keras-mnist',
      source: 'seed 002',
      inputShape: [28, 28, 1],
      main: 'logits',
      body: sequential([
        conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same' }),
        leakyRelu(0.2),
        dropout(0.4),
        conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same' }),
        leakyRelu(0.2),
        dropout(0.4),
        flatten(),
        dense({ units: 1 }),
      ]),
    },
  };
}
