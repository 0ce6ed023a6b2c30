/** The presets of Karras et al.'s two generator families: progressive growing (ProGAN) and style-based (StyleGAN). */
import type { TrainConfig } from '@gankit/train';
import type { RunConfig } from './config.js';
import { adam, imageRun } from './preset-parts.js';

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

/**
 * The small StyleGAN 2 of the two presets: z, w 64; 4 mapping layers; G 64-64-32-16, D 16-32-64 filters. At this
 * width and length the paper's learned constant and skip output collapse to one mode (measured: every recipe change
 * tried collapsed within 1,000 steps); the synthesis input made from w and the last toRGB only (the papers' own
 * ablations: StyleGAN's traditional input, StyleGAN 2's "orig" output) train.
 */
const SMALL_STYLEGAN: RunConfig['model'] = {
  family: 'stylegan',
  options: {
    variant: 'modulated',
    imageSize: 28,
    latentDim: 64,
    styleDim: 64,
    mappingLayers: 4,
    input: 'style',
    output: 'last',
  },
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

/** A StyleGAN preset: the small StyleGAN 2 and its recipe on `dataset`, 1,500 steps. */
const styleganPreset = (preset: string, dataset: string, description: string, source: string): RunConfig => ({
  preset,
  description,
  source,
  model: SMALL_STYLEGAN,
  data: { dataset },
  train: styleganTrain(),
  run: imageRun({ steps: 1500, sampleEvery: 100, checkpointEvery: 500, evalSamples: 2000 }),
});

/** A ProGAN preset: the ProGAN networks and growth schedule (2,400 images a phase) on `dataset`, 1,000 steps. */
const proganPreset = (preset: string, dataset: string, description: string, source: string): RunConfig => ({
  preset,
  description,
  source,
  model: PROGAN_MODEL,
  data: { dataset },
  train: proganTrain(2400),
  run: imageRun({ steps: 1000, sampleEvery: 50, checkpointEvery: 200, evalSamples: 2000 }),
});

export const KARRAS_PRESETS: Record<string, RunConfig> = {
  'stylegan-mnist': styleganPreset(
    'stylegan-mnist',
    'mnist',
    "StyleGAN 2 at small scale on MNIST (28×28 as 4 → 7 → 14 → 28): mapping network (lr × 0.01), modulated convolutions, noise, style mixing 0.9, w̄ for truncation in W; the synthesis input a dense map of w and the image from the last toRGB (the papers' own ablations: at this width the learned constant with skip toRGBs collapsed to one mode under every recipe tried); non-saturating loss, lazy R1 γ 1, batch 16, 1,500 steps. " +
      'Measured with --backend wasm --threads 1 on the 2-core CPU, beside stylegan-fashion on the other core: 1,500 steps in 11:14 (655 s CPU), end-of-run FID 79, KID 246, precision 0.40, recall 0.24, classifier score 5.9 (MNIST-classifier features, 2,000 samples): readable digits of most classes, some malformed.',
    'Karras et al. 2019 (StyleGAN) and 2020 (StyleGAN 2), scaled down; LeCun et al. 1998 (MNIST)',
  ),
  'stylegan-fashion': styleganPreset(
    'stylegan-fashion',
    'fashion-mnist',
    'StyleGAN 2 at small scale on Fashion-MNIST (28×28 as 4 → 7 → 14 → 28), the recipe and networks of stylegan-mnist. ' +
      'Measured with --backend wasm --threads 1 on the 2-core CPU, beside stylegan-mnist on the other core: 1,500 steps in 11:34 (677 s CPU), end-of-run FID 46.1, KID 51.9, precision 0.62, recall 0.34 (Fashion-MNIST-classifier features, 2,000 samples; re-measured on 2026-12-03 against the class-balanced test images; the first measurement compared with T-shirts and trousers only): recognisable shirts, coats, trousers, dresses, sneakers and bags with little detail and some grid texture.',
    'Karras et al. 2019 (StyleGAN) and 2020 (StyleGAN 2), scaled down; Xiao, Rasul & Vollgraf 2017 (Fashion-MNIST)',
  ),
  'progan-mnist': proganPreset(
    'progan-mnist',
    'mnist',
    'ProGAN on MNIST: grows 7×7 → 14×14 → 28×28 (each resolution faded in over 2,400 real images, then trained for 2,400; 28×28 to the end), equalized learning rate, pixel norm, minibatch stddev, WGAN-GP + drift, EMA of G. ' +
      'Measured with --backend wasm --threads 1 on the 2-core CPU, beside progan-fashion on the other core: 1,000 steps in 14:53 wall (854 s CPU), end-of-run FID 120, KID 472, precision 0.38, recall 0.36 (MNIST-classifier features, 2,000 samples): digit-like strokes, some readable digits (3, 2, 9, 0, 1), most not yet. Earlier: FID 289 at 400 steps, 153 at 600.',
    `${PROGAN_SOURCE}; LeCun et al. 1998 (MNIST)`,
  ),
  'progan-fashion': proganPreset(
    'progan-fashion',
    'fashion-mnist',
    'ProGAN on Fashion-MNIST: the progan-mnist networks and schedule (7×7 → 14×14 → 28×28, 2,400 real images per fade and per stable phase). ' +
      'Measured with --backend wasm --threads 1 on the 2-core CPU, beside progan-mnist on the other core: 1,000 steps in 15:20 wall (880 s CPU), end-of-run FID 74.6, KID 93.8, precision 0.40, recall 0.26 (Fashion-MNIST-classifier features, 2,000 samples; re-measured on 2026-12-03 against the class-balanced test images; the first measurement compared with T-shirts and trousers only): garment silhouettes (shirts, trousers, bags, shoes) without detail, not yet clean.',
    `${PROGAN_SOURCE}; Xiao, Rasul & Vollgraf 2017 (Fashion-MNIST)`,
  ),
};
