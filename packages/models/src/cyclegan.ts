/**
 * Unpaired translation between two image domains: CycleGAN (Zhu et al. 2017) — two generators A→B and B→A, a
 * PatchGAN per domain — and DiscoGAN (Kim et al. 2017) on the same shape, with its encoder-decoder generators.
 */
import {
  batchNorm,
  conv2d,
  conv2dTranspose,
  instanceNorm,
  type Layer,
  randomNormal,
  reflectionPad,
  relu,
  residual,
  type Shape,
  sequential,
  tanh,
} from '@gankit/layers';
import type { NetworkDef } from './network.js';
import { patchgan } from './patchgan.js';
import { translationNetwork } from './pix2pix.js';
import { unet } from './unet.js';

export interface ResnetGeneratorOptions {
  /** Output channels. */
  channels: number;
  /** The first convolution's filters, doubling with each downsampling (default 32; the paper's 64). */
  filters?: number;
  /** Residual blocks at the lowest resolution (default 6, the paper's for 128 px; 0: a plain encoder-decoder). */
  blocks?: number;
  /** Stride-2 downsamplings, undone by as many stride-2 transposed convolutions (default 2: 28 → 7 → 28). */
  downsamples?: number;
  /** Normalisation after every convolution but the last (default `instance`, as the paper). */
  norm?: 'instance' | 'batch';
}

const w002 = randomNormal(0.02);

/**
 * CycleGAN's ResNet generator (after Johnson et al. 2016): reflection pad 3 → 7×7 conv → norm → ReLU; stride-2 3×3
 * convolutions; residual blocks (reflection pad 1 → 3×3 conv → norm → ReLU → reflection pad 1 → 3×3 conv → norm,
 * plus the input); stride-2 3×3 transposed convolutions; reflection pad 3 → 7×7 conv to the image → tanh.
 */
export function resnetGenerator(options: ResnetGeneratorOptions): Layer {
  const { channels, filters = 32, blocks = 6, downsamples = 2, norm = 'instance' } = options;
  for (const [k, v] of Object.entries({ channels, filters, downsamples }))
    if (!(Number.isInteger(v) && v > 0))
      throw new Error(`resnetGenerator: ${k} must be a positive whole number, got ${v}`);
  if (!(Number.isInteger(blocks) && blocks >= 0))
    throw new Error(`resnetGenerator: blocks must be a whole number, got ${blocks}`);
  const normed = () => (norm === 'instance' ? instanceNorm() : batchNorm({ momentum: 0.9, epsilon: 1e-5 }));
  const conv = (f: number, kernelSize: number, strides = 1, padding: 'valid' | 'same' = 'valid') =>
    conv2d({ filters: f, kernelSize, strides, padding, kernelInitializer: w002 });
  const layers: Layer[] = [reflectionPad(3), conv(filters, 7), normed(), relu()];
  for (let i = 1; i <= downsamples; i++) layers.push(conv(filters * 2 ** i, 3, 2, 'same'), normed(), relu());
  const deepest = filters * 2 ** downsamples;
  for (let b = 0; b < blocks; b++)
    layers.push(
      residual(
        sequential([
          reflectionPad(1),
          conv(deepest, 3),
          normed(),
          relu(),
          reflectionPad(1),
          conv(deepest, 3),
          normed(),
        ]),
      ),
    );
  for (let i = downsamples - 1; i >= 0; i--)
    layers.push(
      conv2dTranspose({
        filters: filters * 2 ** i,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        kernelInitializer: w002,
      }),
      normed(),
      relu(),
    );
  layers.push(reflectionPad(3), conv(channels, 7), tanh());
  return sequential(layers, { name: 'resnet_generator' });
}

export interface CycleganOptions {
  /** Height and width of both domains' images (default 28). */
  imageSize?: number;
  /** Channels of domain A's and domain B's images (default 1 and 1). */
  channelsA?: number;
  channelsB?: number;
  /** `resnet` (CycleGAN's default), `unet` (its option), or `encoder-decoder` (DiscoGAN's: no residual blocks). */
  generator?: 'resnet' | 'unet' | 'encoder-decoder';
  /** The generators' first filters (default 32). */
  gFilters?: number;
  /** Residual blocks of the ResNet generator (default 6). */
  blocks?: number;
  /** Normalisation in all four networks (default `instance`; DiscoGAN: `batch`). */
  norm?: 'instance' | 'batch';
  /** PatchGAN stride-2 layers: 1, 2 or 3 for 16, 34 or 70-pixel patches (default 2). */
  patchLayers?: 1 | 2 | 3;
  /** The discriminators' first filters (default 32). */
  dFilters?: number;
}

/** The four networks of an unpaired translation problem and the domains' shapes. */
export interface CycleDef {
  architecture: string;
  source: string;
  /** G: A → B, and F: B → A. */
  generatorAB: NetworkDef;
  generatorBA: NetworkDef;
  /** D_A judges domain A's images (real A against F(B)), D_B domain B's. */
  discriminatorA: NetworkDef;
  discriminatorB: NetworkDef;
  shapeA: Shape;
  shapeB: Shape;
  dataRange: [number, number];
}

const CYCLEGAN_SOURCE =
  'Zhu, Park, Isola & Efros 2017, "Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks" (ResNet G, 70×70 PatchGAN D)';
const DISCOGAN_SOURCE =
  'Kim, Cha, Kim, Lee & Kim 2017, "Learning to Discover Cross-Domain Relations with Generative Adversarial Networks" (DiscoGAN: encoder-decoder G)';

/**
 * CycleGAN's networks: G (A → B) and F (B → A), each a ResNet generator (or a U-Net, or DiscoGAN's plain
 * encoder-decoder), and a PatchGAN per domain. Data in [−1, 1].
 *
 * @example cyclegan({ imageSize: 28, blocks: 4 }) // MNIST ↔ a restyled MNIST
 */
export function cyclegan(options: CycleganOptions = {}): CycleDef {
  const {
    imageSize = 28,
    channelsA = 1,
    channelsB = 1,
    generator = 'resnet',
    gFilters = 32,
    blocks = 6,
    norm = 'instance',
    patchLayers = 2,
    dFilters = 32,
  } = options;
  for (const [k, v] of Object.entries({ imageSize, channelsA, channelsB, gFilters, dFilters }))
    if (!(Number.isInteger(v) && v > 0))
      throw new Error(`cyclegan: ${k} must be a positive whole number, got ${v}`);
  if (!['resnet', 'unet', 'encoder-decoder'].includes(generator))
    throw new Error(`cyclegan: generator must be 'resnet', 'unet' or 'encoder-decoder', got '${generator}'`);
  if (!['instance', 'batch'].includes(norm))
    throw new Error(`cyclegan: norm must be 'instance' or 'batch', got '${norm}'`);
  if (generator !== 'unet' && imageSize % 4 !== 0)
    throw new Error(
      `cyclegan: the ${generator} generator halves the image twice and doubles it back, so imageSize must be a multiple of 4, got ${imageSize}`,
    );
  const family = generator === 'encoder-decoder' ? 'discogan' : 'cyclegan';
  const def = {
    architecture: `${family}-${generator}-${imageSize}`,
    source: family === 'discogan' ? DISCOGAN_SOURCE : CYCLEGAN_SOURCE,
  };
  const g = (channels: number): Layer =>
    generator === 'unet'
      ? unet({
          filters: [gFilters, gFilters * 2, gFilters * 4, gFilters * 4, gFilters * 4],
          channels,
          norm,
          dropoutLayers: 0,
        })
      : resnetGenerator({ channels, filters: gFilters, blocks: generator === 'resnet' ? blocks : 0, norm });
  const d = () => patchgan({ layers: patchLayers, filters: dFilters, norm });
  const shapeA: Shape = [imageSize, imageSize, channelsA];
  const shapeB: Shape = [imageSize, imageSize, channelsB];
  return {
    ...def,
    generatorAB: translationNetwork(def, 'generator', 'generator_ab', shapeA, g(channelsB)),
    generatorBA: translationNetwork(def, 'generator', 'generator_ba', shapeB, g(channelsA)),
    discriminatorA: translationNetwork(def, 'discriminator', 'discriminator_a', shapeA, d()),
    discriminatorB: translationNetwork(def, 'discriminator', 'discriminator_b', shapeB, d()),
    shapeA,
    shapeB,
    dataRange: [-1, 1],
  };
}

/** DiscoGAN's networks: {@link cyclegan} with encoder-decoder generators and batch norm. */
export function discogan(options: Omit<CycleganOptions, 'generator'> = {}): CycleDef {
  return cyclegan({ norm: 'batch', ...options, generator: 'encoder-decoder' });
}
