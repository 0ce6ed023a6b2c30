import {
  batchNorm,
  concatLabels,
  conv2d,
  conv2dTranspose,
  dense,
  flatten,
  type Layer,
  layerNorm,
  leakyRelu,
  randomNormal,
  relu,
  reshape,
  sequential,
  tanh,
} from '@gankit/layers';
import type { GanDef, NetworkDef } from './network.js';

export interface DcganOptions {
  /** 28 (MNIST-sized), 32 or 64. */
  imageSize?: 28 | 32 | 64;
  channels?: number;
  latentDim?: number;
  /** Base width: G's last hidden layer and D's first have this many filters, doubling towards the 4×4 end. */
  width?: number;
}

const SIZES = [28, 32, 64] as const;

/**
 * DCGAN's initialisation: N(0, 0.02²) weights, BN γ from N(1, 0.02²). Convolutions have no bias (batch norm's β
 * does that job), as in the PyTorch reference implementation, whose parameter counts these models match.
 */
const w002 = randomNormal(0.02);
const convT = (
  filters: number,
  kernelSize: number,
  strides: number,
  padding: 'valid' | number,
  useBias = false,
) => conv2dTranspose({ filters, kernelSize, strides, padding, useBias, kernelInitializer: w002 });
const conv = (
  filters: number,
  kernelSize: number,
  strides: number,
  padding: 'valid' | [[number, number], [number, number]],
  useBias = false,
) => conv2d({ filters, kernelSize, strides, padding, useBias, kernelInitializer: w002 });
const bn = () => batchNorm({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: randomNormal(0.02, 1) });
const P1: [[number, number], [number, number]] = [
  [1, 1],
  [1, 1],
];

/** Filters per stage, from the 4×4 (or 7×7) end to the full image: width·2^k … width. */
function stages(imageSize: number, width: number): { first: { kernel: number }; widths: number[] } {
  switch (imageSize) {
    case 28:
      return { first: { kernel: 7 }, widths: [width * 2, width] }; // 1 → 7 → 14 → 28
    case 32:
      return { first: { kernel: 4 }, widths: [width * 4, width * 2, width] }; // 1 → 4 → 8 → 16 → 32
    case 64:
      return { first: { kernel: 4 }, widths: [width * 8, width * 4, width * 2, width] }; // 1 → 4 → … → 64
    default:
      throw new Error(`dcgan: imageSize must be one of ${SIZES.join(', ')}, got ${imageSize}`);
  }
}

/**
 * DCGAN generator layers (Radford et al. 2016, the seed's rules): z reshaped to 1×1, projected by a 4×4 (7×7 for
 * 28-pixel images) transposed convolution — the paper's "project and reshape", convolutional rather than a fully
 * connected hidden layer — then stride-2 transposed convolutions halving the filters; batch norm and ReLU after
 * every layer except the output, which is tanh (data in [−1, 1]). `prefix` layers run first (e.g. label concat).
 */
export function dcganGeneratorBody(options: Required<DcganOptions>, prefix: Layer[] = []): Layer {
  const { imageSize, channels, width } = options;
  const { first, widths } = stages(imageSize, width);
  const layers: Layer[] = [
    ...prefix,
    reshape([1, 1, -1]),
    convT(widths[0]!, first.kernel, 1, 'valid'),
    bn(),
    relu(),
  ];
  for (const w of widths.slice(1)) layers.push(convT(w, 4, 2, 1), bn(), relu());
  layers.push(convT(channels, 4, 2, 1), tanh());
  return sequential(layers);
}

/**
 * DCGAN discriminator layers: stride-2 4×4 convolutions doubling the filters, LeakyReLU(0.2) everywhere, batch
 * norm on every layer except the input layer, and a final valid convolution to one logit (no fully connected
 * hidden layer, no pooling). `norm` swaps batch norm for layer norm (WGAN-GP critics) or none. With
 * `featuresOnly`, stops before the final convolution (for AC-GAN/InfoGAN heads).
 */
export function dcganDiscriminatorBody(
  options: Required<DcganOptions>,
  extra: { prefix?: Layer[]; norm?: 'batch' | 'layer' | 'none'; featuresOnly?: boolean } = {},
): Layer {
  const { imageSize, width } = options;
  const { first, widths } = stages(imageSize, width);
  const down = [...widths].reverse(); // width, 2·width, …
  const norm = extra.norm ?? 'batch';
  const layers: Layer[] = [...(extra.prefix ?? []), conv(down[0]!, 4, 2, P1), leakyRelu(0.2)];
  for (const w of down.slice(1)) {
    layers.push(conv(w, 4, 2, P1, norm !== 'batch'));
    if (norm === 'batch') layers.push(bn());
    if (norm === 'layer') layers.push(layerNorm({ over: 'all' }));
    layers.push(leakyRelu(0.2));
  }
  if (extra.featuresOnly) layers.push(flatten());
  else layers.push(conv(1, first.kernel, 1, 'valid'), flatten());
  return sequential(layers);
}

export function resolveDcgan(options: DcganOptions): Required<DcganOptions> {
  const resolved = {
    imageSize: options.imageSize ?? 32,
    channels: options.channels ?? 1,
    latentDim: options.latentDim ?? 100,
    width: options.width ?? 64,
  };
  stages(resolved.imageSize, resolved.width);
  for (const [k, v] of Object.entries(resolved)) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`dcgan: ${k} must be a positive integer, got ${v}`);
  }
  return resolved;
}

/** A GanDef for images from a generator body and a discriminator body on the resolved DCGAN options. */
function imageGan(
  family: string,
  source: string,
  o: Required<DcganOptions>,
  generator: Layer,
  discriminator: Layer,
  extra: { classes?: number; heads?: NetworkDef['heads']; conditionalD?: boolean } = {},
): GanDef {
  const architecture = `${family}-${o.imageSize}`;
  const common = { architecture, source };
  const classes = extra.classes == null ? {} : { classes: extra.classes };
  return {
    ...common,
    latentDim: o.latentDim,
    dataShape: [o.imageSize, o.imageSize, o.channels],
    dataRange: [-1, 1],
    ...classes,
    generator: {
      ...common,
      ...classes,
      name: 'generator',
      role: 'generator',
      inputShape: [o.latentDim],
      body: generator,
      main: 'images',
    },
    discriminator: {
      ...common,
      ...(extra.conditionalD ? classes : {}),
      ...(extra.heads ? { heads: extra.heads } : {}),
      name: 'discriminator',
      role: 'discriminator',
      inputShape: [o.imageSize, o.imageSize, o.channels],
      body: discriminator,
      main: 'logits',
    },
  };
}

const DCGAN_SOURCE =
  'Radford, Metz & Chintala 2016, "Unsupervised Representation Learning with Deep Convolutional GANs"';

/**
 * DCGAN for 28×28, 32×32 or 64×64 images with 1 or 3 channels.
 *
 * @example dcgan({ imageSize: 64, channels: 3 }) // the paper's LSUN/CelebA model with width 64
 */
export function dcgan(options: DcganOptions = {}): GanDef {
  const o = resolveDcgan(options);
  return imageGan('dcgan', DCGAN_SOURCE, o, dcganGeneratorBody(o), dcganDiscriminatorBody(o));
}

const CGAN_SOURCE = 'Mirza & Osindero 2014, "Conditional Generative Adversarial Nets" (on a DCGAN backbone)';

/**
 * Conditional GAN (Mirza & Osindero 2014): the label y is fed to both networks — appended to z as a one-hot
 * vector in G, and to the image as `classes` constant one-hot channels in D — on DCGAN networks.
 */
export function cgan(options: DcganOptions & { classes?: number } = {}): GanDef {
  const o = resolveDcgan(options);
  const classes = options.classes ?? 10;
  return imageGan(
    'cgan',
    CGAN_SOURCE,
    o,
    dcganGeneratorBody(o, [concatLabels({ classes })]),
    dcganDiscriminatorBody(o, { prefix: [concatLabels({ classes })] }),
    { classes, conditionalD: true },
  );
}

const ACGAN_SOURCE =
  'Odena, Olah & Shlens 2017, "Conditional Image Synthesis with Auxiliary Classifier GANs"';

/**
 * AC-GAN (Odena et al. 2017): G is conditioned on the class (a learned label embedding appended to z); D is not
 * given the label but predicts it with an auxiliary head — outputs `logits` (real/fake) and `classLogits`.
 */
export function acgan(options: DcganOptions & { classes?: number } = {}): GanDef {
  const o = resolveDcgan(options);
  const classes = options.classes ?? 10;
  return imageGan(
    'acgan',
    ACGAN_SOURCE,
    o,
    dcganGeneratorBody(o, [concatLabels({ classes, embedDim: o.latentDim })]),
    dcganDiscriminatorBody(o, { featuresOnly: true }),
    { classes, heads: { logits: dense({ units: 1 }), classLogits: dense({ units: classes }) } },
  );
}

const WGAN_SOURCE =
  'Arjovsky et al. 2017 (WGAN); Gulrajani et al. 2017 (WGAN-GP: no batch norm in the critic, layer norm allowed)';

/**
 * WGAN / WGAN-GP: a DCGAN generator and a critic with a linear output (no sigmoid anywhere) and no batch norm —
 * a gradient penalty is per example, which batch norm breaks — optionally with layer norm as WGAN-GP suggests.
 */
export function wgan(options: DcganOptions & { criticNorm?: 'layer' | 'none' } = {}): GanDef {
  const o = resolveDcgan(options);
  return imageGan(
    'wgan',
    WGAN_SOURCE,
    o,
    dcganGeneratorBody(o),
    dcganDiscriminatorBody(o, { norm: options.criticNorm ?? 'layer' }),
  );
}
