/** The image-to-image presets: pix2pix (edges → image), inpainting, SRGAN ×4 — measured times in their descriptions. */
import type { TranslationConfig } from '@gankit/train';
import type { PairedRunConfig } from './paired-config.js';
import { adam, imageRun } from './preset-parts.js';

/** pix2pix's recipe (Isola et al. 2017): Adam 2e-4 β₁ 0.5, the "vanilla" (non-saturating) loss, D's loss halved, L1 × 100. */
const pix2pixTrain = (over: Partial<TranslationConfig> = {}): TranslationConfig => ({
  seed: 1,
  batchSize: 16,
  loss: 'non-saturating',
  optimizers: { generator: adam(2e-4), discriminator: adam(2e-4) },
  discriminatorWeight: 0.5,
  reconstruction: { norm: 'l1', weight: 100 },
  ...over,
});

/**
 * SRGAN's recipe (Ledig et al. 2017) at small scale: G pre-trained alone on MSE (SRResNet), then MSE plus the content
 * loss on the shipped classifier's features (in place of VGG19's) and the adversarial term × 1e-3; Adam β₁ 0.9.
 */
const srganTrain = (pretrainSteps: number): TranslationConfig => ({
  seed: 1,
  batchSize: 16,
  loss: 'non-saturating',
  optimizers: { generator: adam(1e-3, 0.9), discriminator: adam(1e-4, 0.9) },
  reconstruction: { norm: 'l2', weight: 1 },
  content: { weight: 0.01 },
  adversarialWeight: 1e-3,
  // D's loss halved, as the presets were measured (the library's default then filled it in)
  discriminatorWeight: 0.5,
  pretrainSteps,
});

const PIX2PIX_SOURCE = 'Isola, Zhu, Zhou & Efros 2017 (pix2pix: U-Net G, PatchGAN D, L1 + cGAN)';
const SRGAN_SOURCE = 'Ledig et al. 2017 (SRGAN: SRResNet G, pixel shuffle, content + adversarial loss)';

const FASHION = 'Xiao et al. 2017 (Fashion-MNIST)';

/** A pix2pix preset: edge maps → images of `dataset`, 28×28 grey, 34-pixel patches, 800 steps. */
const pix2pixPreset = (
  preset: string,
  dataset: string,
  description: string,
  source: string,
): PairedRunConfig => ({
  preset,
  description,
  source,
  model: {
    family: 'pix2pix',
    options: { imageSize: 28, sourceChannels: 1, targetChannels: 1, patchLayers: 2 },
  },
  data: { dataset, task: { kind: 'edges' } },
  train: pix2pixTrain(),
  run: imageRun({ steps: 800, sampleEvery: 100, checkpointEvery: 100, evalSamples: 2000 }),
});

/** An SRGAN ×4 preset on `dataset` (7×7 → 28×28): 1,000 steps, the first 500 of G alone. */
const srganPreset = (
  preset: string,
  dataset: string,
  description: string,
  source: string,
): PairedRunConfig => ({
  preset,
  description,
  source,
  model: { family: 'srgan', options: { factor: 4, imageSize: 28, channels: 1 } },
  data: { dataset, task: { kind: 'downscale', factor: 4 } },
  train: srganTrain(500),
  run: imageRun({ steps: 1000, sampleEvery: 250, checkpointEvery: 250, evalSamples: 2000 }),
});

export const PAIRED_PRESETS: Record<string, PairedRunConfig> = {
  'pix2pix-edges2mnist': pix2pixPreset(
    'pix2pix-edges2mnist',
    'mnist',
    'pix2pix from Sobel edge maps to MNIST digits: U-Net G, 34-pixel PatchGAN D on (edges, digit) pairs; 800 steps 11:42 (wasm, 1 thread): clean digits, PSNR 21.4, SSIM 0.92, class preservation 0.954, FID 2.1 on 2,000 held-out pairs.',
    PIX2PIX_SOURCE,
  ),
  'pix2pix-edges2fashion': pix2pixPreset(
    'pix2pix-edges2fashion',
    'fashion-mnist',
    'pix2pix from Sobel edge maps to Fashion-MNIST garments: U-Net G, 34-pixel PatchGAN D on (edges, garment) pairs; 800 steps 13:41 (wasm, 1 thread, with other work on the machine; 12:03 beside one other training): the right garment in the outline, shading and invented texture, PSNR 18.0, SSIM 0.67, class preservation 0.830, FID 3.2 on 2,000 held-out pairs of every class.',
    `${PIX2PIX_SOURCE}; ${FASHION}`,
  ),
  'inpaint-mnist': {
    preset: 'inpaint-mnist',
    description:
      'Inpainting MNIST digits with random rectangular holes: the U-Net fed the masked digit and the mask, a global and a local PatchGAN D, L1 over the hole; 800 steps 12:35 (wasm, 1 thread): holes filled with strokes that continue the digit (large holes not always), PSNR 23.5 (unfilled 14.8), SSIM 0.86 (0.68), class preservation 0.866 (0.675), FID 6.8 (44.8) on 2,000 held-out pairs.',
    source:
      'Demir & Unal 2018 (patch-based inpainting with global and PatchGAN discriminators), on a pix2pix U-Net',
    model: { family: 'inpainting', options: { imageSize: 28, channels: 1, patchLayers: 2 } },
    data: { dataset: 'mnist', task: { kind: 'inpaint', mask: 'rectangles' } },
    train: pix2pixTrain({ reconstruction: { norm: 'l1', weight: 100, hole: true } }),
    run: imageRun({ steps: 800, sampleEvery: 100, checkpointEvery: 100, evalSamples: 2000 }),
  },
  'srgan-mnist-x4': srganPreset(
    'srgan-mnist-x4',
    'mnist',
    'SRGAN ×4 on MNIST (7×7 → 28×28): SRResNet G (4 residual blocks, two pixel-shuffle ×2 blocks), strided D; 1,000 steps (500 of G alone) 8:58 (wasm, 1 thread): sharp digits, PSNR 18.5 (bilinear 14.3), SSIM 0.82 (0.38), class preservation 0.942 (0.831), FID 6.7 (271) on 2,000 held-out pairs.',
    SRGAN_SOURCE,
  ),
  'srgan-fashion-x4': srganPreset(
    'srgan-fashion-x4',
    'fashion-mnist',
    'SRGAN ×4 on Fashion-MNIST (7×7 → 28×28): SRResNet G, strided D; 1,000 steps (500 of G alone) 7:30 (wasm, 1 thread): the right garments with invented texture, PSNR 18.7 (bilinear 15.6), SSIM 0.63 (0.41), class preservation 0.869 (0.667), FID 2.8 (105) on 2,000 held-out pairs of every class.',
    `${SRGAN_SOURCE}; ${FASHION}`,
  ),
};
