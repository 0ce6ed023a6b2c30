/** SRGAN (Ledig et al. 2017) at small scale: SRResNet generator with sub-pixel upsampling, strided VGG-style D. */
import {
  batchNorm,
  conv2d,
  dense,
  flatten,
  type Layer,
  leakyRelu,
  pixelShuffle,
  prelu,
  residual,
  type Shape,
  sequential,
  tanh,
} from '@gankit/layers';
import type { NetworkDef, TranslationDef } from './network.js';

export interface SrganOptions {
  /** Upscaling factor, 2 or 4 (default 4: 7×7 → 28×28). */
  factor?: 2 | 4;
  /** The high-resolution images' size and channels (default 28 and 1). */
  imageSize?: number;
  channels?: number;
  /** G's feature maps (default 32; the paper's 64). */
  filters?: number;
  /** G's residual blocks (default 4; the paper's 16). */
  blocks?: number;
  /** D's first filters, doubling every stride-2 level (default 32; the paper's 64). */
  dFilters?: number;
  /** D's stride-2 levels (default 3: 28 → 14 → 7 → 4; the paper's 4). */
  dLevels?: number;
  /** D's hidden dense units (default 256; the paper's 1024). */
  dDense?: number;
}

const SOURCE =
  'Ledig et al. 2017, "Photo-Realistic Single Image Super-Resolution Using a Generative Adversarial Network" (SRResNet G, strided D)';

const bn = () => batchNorm({ momentum: 0.9, epsilon: 1e-5 });
const conv = (filters: number, kernelSize: number, strides = 1) =>
  conv2d({ filters, kernelSize, strides, padding: 'same' });

/**
 * SRResNet: a 9×9 convolution and PReLU; residual blocks (conv 3×3 → BN → PReLU → conv 3×3 → BN, plus the input);
 * conv 3×3 → BN plus the first layer's output (the global skip); a ×2 sub-pixel block (conv 3×3 to 4× the maps →
 * pixel shuffle ×2 → PReLU) per factor of 2; a 9×9 convolution to the image, tanh.
 */
function srResNet(o: Required<SrganOptions>): Layer {
  const f = o.filters;
  const block = () => residual(sequential([conv(f, 3), bn(), prelu(), conv(f, 3), bn()]));
  const up = () => [conv(4 * f, 3), pixelShuffle(2), prelu()];
  return sequential([
    conv(f, 9),
    prelu(),
    residual(sequential([...Array.from({ length: o.blocks }, block), conv(f, 3), bn()]), undefined, {
      name: 'trunk',
    }),
    ...(o.factor === 4 ? [...up(), ...up()] : up()),
    conv(o.channels, 9),
    tanh(),
  ]);
}

/**
 * SRGAN's D: 3×3 convolutions with LeakyReLU 0.2 — the first alone, then per level a stride-2 and a stride-1 one
 * with batch norm, the filters doubling per level — then a dense layer and one logit.
 */
function srDiscriminator(o: Required<SrganOptions>): Layer {
  const layers: Layer[] = [conv(o.dFilters, 3), leakyRelu(0.2)];
  for (let level = 0; level < o.dLevels; level++) {
    const f = o.dFilters * 2 ** level;
    layers.push(conv(f, 3, 2), bn(), leakyRelu(0.2));
    if (level < o.dLevels - 1) layers.push(conv(2 * f, 3), bn(), leakyRelu(0.2));
  }
  layers.push(flatten(), dense({ units: o.dDense }), leakyRelu(0.2), dense({ units: 1 }));
  return sequential(layers);
}

/**
 * SRGAN: G upsamples a low-resolution image by `factor` (7×7 → 28×28 at ×4), D judges high-resolution images
 * (unconditional). Data in [−1, 1]. Pixel shuffle is built from reshape and transpose, so it trains on every
 * backend.
 *
 * @example srgan({ factor: 4 }) // MNIST 7×7 → 28×28
 */
export function srgan(options: SrganOptions = {}): TranslationDef {
  const o: Required<SrganOptions> = {
    factor: options.factor ?? 4,
    imageSize: options.imageSize ?? 28,
    channels: options.channels ?? 1,
    filters: options.filters ?? 32,
    blocks: options.blocks ?? 4,
    dFilters: options.dFilters ?? 32,
    dLevels: options.dLevels ?? 3,
    dDense: options.dDense ?? 256,
  };
  if (o.factor !== 2 && o.factor !== 4) throw new Error(`srgan: factor must be 2 or 4, got ${o.factor}`);
  if (o.imageSize % o.factor !== 0)
    throw new Error(`srgan: imageSize ${o.imageSize} must be a multiple of the factor ${o.factor}`);
  for (const [k, v] of Object.entries(o))
    if (!(Number.isInteger(v) && v > 0))
      throw new Error(`srgan: ${k} must be a positive whole number, got ${v}`);
  const architecture = `srgan-x${o.factor}-${o.imageSize}`;
  const low = o.imageSize / o.factor;
  const sourceShape: Shape = [low, low, o.channels];
  const targetShape: Shape = [o.imageSize, o.imageSize, o.channels];
  const common = { architecture, source: SOURCE };
  const generator: NetworkDef = {
    ...common,
    name: 'generator',
    role: 'generator',
    inputShape: sourceShape,
    body: srResNet(o),
    main: 'images',
  };
  const discriminator: NetworkDef = {
    ...common,
    name: 'discriminator',
    role: 'discriminator',
    inputShape: targetShape,
    body: srDiscriminator(o),
    main: 'logits',
  };
  return {
    ...common,
    generator,
    discriminator,
    sourceShape,
    targetShape,
    pairedD: false,
    dataRange: [-1, 1],
  };
}
