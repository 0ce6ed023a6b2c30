import {
  batchNorm,
  conv2d,
  conv2dTranspose,
  dense,
  flatten,
  type Layer,
  leakyRelu,
  relu,
  reshape,
  sequential,
  spectralNorm,
  tanh,
} from '@gankit/layers';
import type { GanDef } from './network.js';

const SOURCE = 'Miyato et al. 2018, "Spectral Normalization for GANs" (standard CNN, Table 3)';

export interface SnganOptions {
  imageSize?: 28 | 32 | 64;
  channels?: number;
  latentDim?: number;
  /** Widest layer: D's last convolution and G's first have this many filters (512 in the paper). */
  width?: number;
}

const P1: [[number, number], [number, number]] = [
  [1, 1],
  [1, 1],
];

/**
 * SNGAN's "standard CNN" (Miyato et al. 2018): D is seven convolutions (3×3 stride 1 and 4×4 stride 2, widths
 * w/8 … w) and a dense logit, every one spectrally normalised, LeakyReLU(0.1), no batch norm. G is the paper's
 * DCGAN-like generator (dense to a small map, stride-2 transposed convolutions with BN + ReLU, 3×3 tanh output).
 * Usually trained with the hinge loss.
 */
export function sngan(options: SnganOptions = {}): GanDef {
  const imageSize = options.imageSize ?? 32;
  const channels = options.channels ?? 3;
  const latentDim = options.latentDim ?? 128;
  const width = options.width ?? 512;
  if (![28, 32, 64].includes(imageSize))
    throw new Error(`sngan: imageSize must be 28, 32 or 64, got ${imageSize}`);
  if (width % 8 !== 0) throw new Error(`sngan: width must be a multiple of 8, got ${width}`);
  const sn = (l: Layer) => spectralNorm(l);
  const dLayers: Layer[] = [];
  for (const w of [width / 8, width / 4, width / 2]) {
    dLayers.push(sn(conv2d({ filters: w, kernelSize: 3, padding: 'same' })), leakyRelu(0.1));
    dLayers.push(sn(conv2d({ filters: w, kernelSize: 4, strides: 2, padding: P1 })), leakyRelu(0.1));
  }
  dLayers.push(
    sn(conv2d({ filters: width, kernelSize: 3, padding: 'same' })),
    leakyRelu(0.1),
    flatten(),
    sn(dense({ units: 1 })),
  );

  const ups =
    imageSize === 28
      ? [width / 2, width / 4]
      : imageSize === 32
        ? [width / 2, width / 4, width / 8]
        : [width / 2, width / 4, width / 8, width / 16];
  const base = imageSize / 2 ** ups.length;
  const gLayers: Layer[] = [
    dense({ units: base * base * width }),
    reshape([base, base, width]),
    batchNorm(),
    relu(),
  ];
  for (const w of ups)
    gLayers.push(conv2dTranspose({ filters: w, kernelSize: 4, strides: 2, padding: 1 }), batchNorm(), relu());
  gLayers.push(conv2d({ filters: channels, kernelSize: 3, padding: 'same' }), tanh());

  const architecture = `sngan-${imageSize}`;
  return {
    architecture,
    source: SOURCE,
    latentDim,
    dataShape: [imageSize, imageSize, channels],
    dataRange: [-1, 1],
    generator: {
      name: 'generator',
      role: 'generator',
      architecture,
      source: SOURCE,
      inputShape: [latentDim],
      main: 'images',
      body: sequential(gLayers),
    },
    discriminator: {
      name: 'discriminator',
      role: 'discriminator',
      architecture,
      source: SOURCE,
      inputShape: [imageSize, imageSize, channels],
      main: 'logits',
      body: sequential(dLayers),
    },
  };
}
