import type { OptimizerConfig, TrainConfig } from '@gankit/train';
import type { RunConfig, RunSettings } from './config.js';
import { unknownChoice } from './errors.js';

const adam = (learningRate: number, beta1 = 0.5, beta2 = 0.999): OptimizerConfig => ({
  kind: 'adam',
  learningRate,
  beta1,
  beta2,
});

/** DCGAN's recipe (Radford et al. 2016): Adam 2e-4, β₁ 0.5, batch 128, the non-saturating loss, k = 1. */
const dcganTrain = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  seed: 1,
  batchSize: 128,
  loss: 'non-saturating',
  schedule: { dSteps: 1, gSteps: 1 },
  optimizers: { generator: adam(2e-4), discriminator: adam(2e-4) },
  ...over,
});

const imageRun = (over: Partial<RunSettings>): RunSettings => ({
  backend: 'auto',
  logEvery: 10,
  sampleEvery: 250,
  checkpointEvery: 500,
  evalEvery: 0,
  evalSamples: 2000,
  keep: 3,
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

/**
 * StyleGAN 2's recipe at small scale (Karras et al. 2020, config F less path length): the non-saturating loss,
 * lazy R1 (every 16 D updates, γ × 16), Adam β (0, 0.99), G weights averaged, style mixing 0.9.
 */
const styleganTrain = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  seed: 1,
  batchSize: 16,
  loss: 'non-saturating',
  schedule: { dSteps: 1, gSteps: 1 },
  optimizers: { generator: adam(2e-3, 0, 0.99), discriminator: adam(2e-3, 0, 0.99) },
  penalties: { r1: { gamma: 1, every: 16 } },
  ema: { decay: 0.995 },
  ...over,
});

/** The small StyleGAN 2 of the two presets: z, w 64; 4 mapping layers; G 64-64-32-16, D 16-32-64 filters. */
const SMALL_STYLEGAN: RunConfig['model'] = {
  family: 'stylegan',
  options: { variant: 'modulated', imageSize: 28, latentDim: 64, styleDim: 64, mappingLayers: 4 },
};

/**
 * ProGAN's recipe (Karras et al. 2018, §A.1 and the official code), at small scale for 28×28 data: WGAN-GP λ 10 with
 * the drift term ε 0.001, Adam 1e-3 β (0, 0.99), G averaged (EMA 0.999), optimiser slots reset at each growth, and
 * a growth schedule in real images shown to D: 7×7, fade in 14×14, 14×14, fade in 28×28, 28×28 to the end.
 */
const proganTrain = (images: number): TrainConfig => ({
  seed: 1,
  batchSize: 32,
  loss: 'wasserstein',
  schedule: { dSteps: 1, gSteps: 1 },
  optimizers: { generator: adam(1e-3, 0, 0.99), discriminator: adam(1e-3, 0, 0.99) },
  penalties: { gradientPenalty: { weight: 10 }, drift: { epsilon: 0.001 } },
  ema: { decay: 0.999 },
  growth: { resolutions: [7, 14, 28], stabiliseImages: images, fadeImages: images, optimizers: 'reset' },
});

const PROGAN_MODEL: RunConfig['model'] = {
  family: 'progan',
  options: { imageSize: 28, channels: 1, latentDim: 64, widths: [64, 32, 16] },
};

const PROGAN_SOURCE =
  'Karras, Aila, Laine & Lehtinen 2018, "Progressive Growing of GANs for Improved Quality, Stability, and Variation" (ICLR), §3–4 and §A.1; the official code (networks.py, train.py)';

export const PRESETS: Record<string, RunConfig> = {
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
  'stylegan-mnist': {
    preset: 'stylegan-mnist',
    description:
      'StyleGAN 2 at small scale on MNIST (28×28 as 4 → 7 → 14 → 28): mapping network (lr × 0.01), constant input, modulated convolutions, noise, style mixing 0.9, w̄ for truncation in W; non-saturating loss, lazy R1 γ 1, batch 16, 600 steps. Measured (wasm, 2 cores shared with 3 other trainings, load 13–22): 40:55 wall, 0.24 steps/s, ~10 min CPU; end FID 442 (2,000 samples): NOT yet recognisable — digit strokes but collapsed to one mode. Needs tuning.',
    source: 'Karras et al. 2019 (StyleGAN) and 2020 (StyleGAN 2), scaled down; LeCun et al. 1998 (MNIST)',
    model: SMALL_STYLEGAN,
    data: { dataset: 'mnist' },
    train: styleganTrain(),
    run: imageRun({ steps: 600, sampleEvery: 100, checkpointEvery: 200, evalSamples: 2000 }),
  },
  'stylegan-fashion': {
    preset: 'stylegan-fashion',
    description:
      'StyleGAN 2 at small scale on Fashion-MNIST (28×28 as 4 → 7 → 14 → 28), the recipe of stylegan-mnist. Measured (wasm, 2 cores shared with 3 other trainings, load 13–22): 39:46 wall, 0.25 steps/s, ~10 min CPU; end FID 276 (2,000 samples): rough, varied garment/bag/shoe silhouettes, not yet clean.',
    source:
      'Karras et al. 2019 (StyleGAN) and 2020 (StyleGAN 2), scaled down; Xiao, Rasul & Vollgraf 2017 (Fashion-MNIST)',
    model: SMALL_STYLEGAN,
    data: { dataset: 'fashion-mnist' },
    train: styleganTrain(),
    run: imageRun({ steps: 600, sampleEvery: 100, checkpointEvery: 200, evalSamples: 2000 }),
  },
  'progan-mnist': {
    preset: 'progan-mnist',
    description:
      'ProGAN on MNIST: grows 7×7 → 14×14 → 28×28 (each resolution faded in over 2,400 real images, then trained for 2,400; 28×28 to the end), equalized learning rate, pixel norm, minibatch stddev, WGAN-GP + drift, EMA of G. ' +
      'Measured with --backend wasm on the 2-core CPU while shared with three other engineers (the run got 40% of the CPU, load 10–18): 400 steps in 21:06 wall, 498 s of CPU (0.70 steps/s at 7×7, 0.33–0.42 at 14×14, 0.21–0.28 at 28×28), end-of-run FID 289, KID 1349 (MNIST-classifier features, 2,000 samples): stroke-like shapes, not yet recognisable digits — more than ~15 minutes are needed on this machine (resumed to 600 steps: FID 153, rough but legible digits).',
    source: `${PROGAN_SOURCE}; LeCun et al. 1998 (MNIST)`,
    model: PROGAN_MODEL,
    data: { dataset: 'mnist' },
    train: proganTrain(2400),
    run: imageRun({ steps: 400, sampleEvery: 25, checkpointEvery: 100, evalSamples: 2000 }),
  },
  'progan-fashion': {
    preset: 'progan-fashion',
    description:
      'ProGAN on Fashion-MNIST: the progan-mnist networks and schedule (7×7 → 14×14 → 28×28, 2,400 real images per fade and per stable phase). ' +
      'Measured with --backend wasm on the shared 2-core CPU (the run got 20% of it, alongside another run of this preset’s family and other engineers’ jobs): 400 steps in 41:29 wall, 505 s of CPU (progan-mnist: 498 s), end-of-run FID 292, KID 576 (Fashion-MNIST-classifier features, 2,000 samples): garment-shaped blobs, not yet recognisable — more than ~15 minutes are needed on this machine.',
    source: `${PROGAN_SOURCE}; Xiao, Rasul & Vollgraf 2017 (Fashion-MNIST)`,
    model: PROGAN_MODEL,
    data: { dataset: 'fashion-mnist' },
    train: proganTrain(2400),
    run: imageRun({ steps: 400, sampleEvery: 25, checkpointEvery: 100, evalSamples: 2000 }),
  },
};

export const DEFAULT_PRESET = 'quick';

export function getPreset(name: string): RunConfig {
  const p = PRESETS[name];
  if (p == null) throw unknownChoice('preset', name, Object.keys(PRESETS));
  return structuredClone(p);
}
