import type { TrainConfig } from '@gankit/train';
import type { AnyRunConfig, RunConfig, RunSettings } from './config.js';
import { unknownChoice } from './errors.js';
import { adam, imageRun } from './preset-parts.js';
import { CYCLE_PRESETS } from './presets-cycle.js';
import { KARRAS_PRESETS } from './presets-karras.js';
import { PAIRED_PRESETS } from './presets-paired.js';

/** DCGAN's recipe (Radford et al. 2016): Adam 2e-4, β₁ 0.5, batch 128, the non-saturating loss, k = 1. */
const dcganTrain = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  seed: 1,
  batchSize: 128,
  loss: 'non-saturating',
  schedule: { dSteps: 1, gSteps: 1 },
  optimizers: { generator: adam(2e-4), discriminator: adam(2e-4) },
  ...over,
});

const toyRun = (over: Partial<RunSettings>): RunSettings => ({
  backend: 'auto',
  logEvery: 25,
  sampleEvery: 250,
  checkpointEvery: 500,
  evalEvery: 500,
  evalSamples: 2500,
  keep: 3,
  ...over,
});

/** A toy MLP GAN with PacGAN packing (the seeds' remedy for mode collapse; see the train package's tests). */
const toyTrain = (steps: number, over: Partial<TrainConfig> = {}): TrainConfig => ({
  seed: 1,
  batchSize: 128,
  loss: 'non-saturating',
  schedule: { dSteps: 1, gSteps: 1 },
  optimizers: { generator: adam(1e-3), discriminator: adam(1e-3) },
  lrSchedule: { kind: 'linear', totalSteps: steps, final: 1e-5 },
  ...over,
});

/** The 2-D mixtures' model: a 3 × 128 BN MLP GAN whose D reads pairs of samples (PacGAN packing 2). */
const PACKED_MLP_2D: RunConfig['model'] = {
  family: 'mlp',
  options: {
    dataDim: 2,
    latentDim: 2,
    hidden: [128, 128, 128],
    activation: 'relu',
    batchNorm: true,
    pack: 2,
  },
};

export const PRESETS: Record<string, AnyRunConfig> = {
  quick: {
    preset: 'quick',
    description:
      'The default: a small class-conditional DCGAN on MNIST (G weights averaged, EMA 0.999) that draws digit shapes, one row per class, in about two and a half minutes on a 2-core CPU; 1,500 steps (`--steps 1500`) draw clean digits.',
    source: 'Mirza & Osindero 2014 (conditioning) on Radford et al. 2016 (DCGAN), scaled down',
    model: { family: 'cgan', options: { imageSize: 28, width: 32, latentDim: 64 } },
    data: { dataset: 'mnist' },
    train: dcganTrain({
      batchSize: 64,
      optimizers: { generator: adam(5e-4), discriminator: adam(5e-4) },
      ema: { decay: 0.999 },
    }),
    run: imageRun({ steps: 300, sampleEvery: 100, checkpointEvery: 100, evalSamples: 1000 }),
  },
  'seed-keras-mnist': {
    preset: 'seed-keras-mnist',
    description:
      "Seed 002 exactly: the Keras MNIST GAN (G 1,164,289 / D 40,705 parameters), Adam 2e-4 β₁ 0.5, D on 128 real + 128 fake, G on 256 latents, 100 epochs of 234 batches (the seed's loop: 60,000 / 256), data in [0, 1].",
    source: 'Seed 002; Brownlee, "How to Develop a GAN for Generating MNIST Handwritten Digits"',
    model: { family: 'seed-keras-mnist' },
    data: { dataset: 'mnist' },
    train: dcganTrain({ batchSize: 128, generatorBatchSize: 256 }),
    run: imageRun({ steps: 23_400, sampleEvery: 1170, checkpointEvery: 1170, evalEvery: 4680 }),
  },
  'dcgan-mnist': {
    preset: 'dcgan-mnist',
    description: 'DCGAN (28×28) on MNIST with the paper’s recipe, 5 epochs.',
    source: 'Radford, Metz & Chintala 2016',
    model: { family: 'dcgan', options: { imageSize: 28, width: 64, latentDim: 100 } },
    data: { dataset: 'mnist' },
    train: dcganTrain(),
    run: imageRun({ epochs: 5, evalEvery: 1000 }),
  },
  'dcgan-fashion': {
    preset: 'dcgan-fashion',
    description: 'DCGAN (28×28) on Fashion-MNIST, 10 epochs.',
    source: 'Radford, Metz & Chintala 2016; Xiao, Rasul & Vollgraf 2017 (Fashion-MNIST)',
    model: { family: 'dcgan', options: { imageSize: 28, width: 64, latentDim: 100 } },
    data: { dataset: 'fashion-mnist' },
    train: dcganTrain(),
    run: imageRun({ epochs: 10, evalEvery: 1000 }),
  },
  'cgan-mnist': {
    preset: 'cgan-mnist',
    description:
      'Conditional GAN on MNIST: the digit class goes to G (one-hot with z) and D (one-hot channels).',
    source: 'Mirza & Osindero 2014, on a DCGAN backbone',
    model: { family: 'cgan', options: { imageSize: 28, width: 64, latentDim: 100 } },
    data: { dataset: 'mnist' },
    train: dcganTrain(),
    run: imageRun({ epochs: 5, evalEvery: 1000 }),
  },
  'acgan-mnist': {
    preset: 'acgan-mnist',
    description: 'AC-GAN on MNIST: D predicts the class with an auxiliary head (weight 1).',
    source: 'Odena, Olah & Shlens 2017',
    model: { family: 'acgan', options: { imageSize: 28, width: 64, latentDim: 100 } },
    data: { dataset: 'mnist' },
    train: dcganTrain({ auxiliaryWeight: 1 }),
    run: imageRun({ epochs: 5, evalEvery: 1000 }),
  },
  'infogan-mnist': {
    preset: 'infogan-mnist',
    description:
      'InfoGAN on MNIST: one 10-way categorical and two continuous codes; learning rates 1e-3 (G, Q) and 2e-4 (D), λ 1 and 0.1.',
    source: 'Chen et al. 2016, Table 1 and Appendix C.1',
    model: { family: 'infogan' },
    data: { dataset: 'mnist' },
    train: dcganTrain({
      batchSize: 64,
      optimizers: { generator: adam(1e-3), discriminator: adam(2e-4) },
      infoWeight: { categorical: 1, continuous: 0.1 },
    }),
    run: imageRun({ epochs: 5, evalEvery: 2000 }),
  },
  'lsgan-mnist': {
    preset: 'lsgan-mnist',
    description: 'LSGAN on MNIST: least-squares loss (a = 0, b = c = 1) on DCGAN networks.',
    source: 'Mao et al. 2017',
    model: { family: 'dcgan', options: { imageSize: 28, width: 64, latentDim: 100 } },
    data: { dataset: 'mnist' },
    train: dcganTrain({ loss: 'least-squares' }),
    run: imageRun({ epochs: 5, evalEvery: 1000 }),
  },
  'wgan-gp-mnist': {
    preset: 'wgan-gp-mnist',
    description:
      'WGAN-GP on MNIST: a layer-norm critic, gradient penalty λ = 10, 5 critic steps per G step, Adam 1e-4 β (0, 0.9).',
    source: 'Gulrajani et al. 2017, Algorithm 1',
    model: { family: 'wgan', options: { imageSize: 28, width: 64, latentDim: 100, criticNorm: 'layer' } },
    data: { dataset: 'mnist' },
    train: dcganTrain({
      batchSize: 64,
      loss: 'wasserstein',
      schedule: { dSteps: 5, gSteps: 1 },
      optimizers: { generator: adam(1e-4, 0, 0.9), discriminator: adam(1e-4, 0, 0.9) },
      penalties: { gradientPenalty: { weight: 10 } },
    }),
    run: imageRun({ steps: 4000, evalEvery: 1000 }),
  },
  'hinge-sn-mnist': {
    preset: 'hinge-sn-mnist',
    description: 'SNGAN on MNIST: spectrally normalised D, hinge loss, Adam 2e-4 β (0.5, 0.999), k = 1.',
    source: 'Miyato et al. 2018 (standard CNN, hinge loss)',
    model: { family: 'sngan', options: { imageSize: 28, channels: 1, width: 128, latentDim: 128 } },
    data: { dataset: 'mnist' },
    train: dcganTrain({ batchSize: 64, loss: 'hinge' }),
    run: imageRun({ steps: 5000, evalEvery: 1000 }),
  },
  ring8: {
    preset: 'ring8',
    description:
      'Ring of 8 Gaussians (σ 0.01): a 3×128 BN MLP GAN with PacGAN packing 2; modes covered, %HQ and reverse KL on 2,500 samples.',
    source: 'Metz et al. 2017 (unrolled GAN, ring of 8); Lin et al. 2018 (PacGAN protocol)',
    model: PACKED_MLP_2D,
    data: { dataset: 'ring8' },
    train: toyTrain(1500),
    run: toyRun({ steps: 1500 }),
  },
  grid25: {
    preset: 'grid25',
    description: 'Grid of 25 Gaussians: the same PacGAN-packed MLP, longer.',
    source: 'Lin et al. 2018 (PacGAN protocol); Srivastava et al. 2017 (VEEGAN)',
    model: PACKED_MLP_2D,
    data: { dataset: 'grid25' },
    train: toyTrain(3000),
    run: toyRun({ steps: 3000 }),
  },
  gauss1d: {
    preset: 'gauss1d',
    description:
      "The seeds' 1-D example: learn N(4, 0.5²) with a 2×32 MLP; PacGAN packing 4 keeps G from under-dispersing.",
    source: 'Goodfellow et al. 2014, Figure 1 (the seed lecture); Lin et al. 2018 (packing)',
    model: {
      family: 'mlp',
      options: { dataDim: 1, latentDim: 4, hidden: [32, 32], activation: 'leakyRelu', pack: 4 },
    },
    data: { dataset: 'gauss1d' },
    train: toyTrain(1000, { batchSize: 256, lrSchedule: undefined }),
    run: toyRun({ steps: 1000 }),
  },
  'stacked-mnist': {
    preset: 'stacked-mnist',
    description:
      'Stacked MNIST (1000 modes: three digits as RGB channels): DCGAN; modes covered and KL with the MNIST classifier on 26,000 samples.',
    source: 'Metz et al. 2017; Lin et al. 2018 (PacGAN, Table 2 protocol)',
    model: { family: 'dcgan', options: { imageSize: 28, channels: 3, width: 64, latentDim: 100 } },
    data: { dataset: 'stacked-mnist' },
    train: dcganTrain({ batchSize: 64 }),
    run: imageRun({ steps: 5000, evalEvery: 0, evalSamples: 26_000 }),
  },
  ...KARRAS_PRESETS,
  ...PAIRED_PRESETS,
  ...CYCLE_PRESETS,
};

export const DEFAULT_PRESET = 'quick';

export function getPreset(name: string): AnyRunConfig {
  const p = PRESETS[name];
  if (p == null) throw unknownChoice('preset', name, Object.keys(PRESETS));
  return structuredClone(p);
}
