/**
 * Image-to-image with paired data: pix2pix (Isola et al. 2017) and patch-based inpainting (Demir & Unal 2018), at
 * small scale (28×28 or 32×32 images).
 */
import {
  conv2d,
  dense,
  flatten,
  type Layer,
  leaf,
  leakyRelu,
  randomNormal,
  type Shape,
  sequential,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { NetworkDef, TranslationDef } from './network.js';
import { patchgan } from './patchgan.js';
import { unet } from './unet.js';

export interface Pix2pixOptions {
  /** Height and width of source and target (default 28). */
  imageSize?: number;
  /** Channels of the source (1 for an edge map) and of the target (default 1 and 1). */
  sourceChannels?: number;
  targetChannels?: number;
  /** U-Net encoder filters, outermost first (default [32, 64, 128, 128, 128]: 28 → 14 → 7 → 4 → 2 → 1). */
  gFilters?: readonly number[];
  /** Decoder levels with dropout next to the innermost (default 2). */
  dropoutLayers?: number;
  /** PatchGAN stride-2 layers: 1, 2 or 3 for 16, 34 or 70-pixel patches (default 2). */
  patchLayers?: 1 | 2 | 3;
  /** PatchGAN's first filters (default 32). */
  dFilters?: number;
  /** Normalisation in both networks (default `batch`, as the paper). */
  norm?: 'batch' | 'instance' | 'none';
}

const PIX2PIX_SOURCE =
  'Isola, Zhu, Zhou & Efros 2017, "Image-to-Image Translation with Conditional Adversarial Networks" (U-Net G, PatchGAN D)';
const INPAINT_SOURCE =
  'Demir & Unal 2018, "Patch-Based Image Inpainting with Generative Adversarial Networks" (global and PatchGAN D), on a pix2pix U-Net';

function resolve(options: Pix2pixOptions) {
  const o = {
    imageSize: options.imageSize ?? 28,
    sourceChannels: options.sourceChannels ?? 1,
    targetChannels: options.targetChannels ?? 1,
    gFilters: options.gFilters ?? [32, 64, 128, 128, 128],
    dropoutLayers: options.dropoutLayers ?? 2,
    patchLayers: options.patchLayers ?? 2,
    dFilters: options.dFilters ?? 32,
    norm: options.norm ?? 'batch',
  };
  for (const [k, v] of Object.entries({
    imageSize: o.imageSize,
    sourceChannels: o.sourceChannels,
    targetChannels: o.targetChannels,
  }))
    if (!(Number.isInteger(v) && v > 0))
      throw new Error(`pix2pix: ${k} must be a positive whole number, got ${v}`);
  if (2 ** o.gFilters.length > 2 * o.imageSize)
    throw new Error(
      `pix2pix: ${o.gFilters.length} U-Net levels halve ${o.imageSize}-pixel images below 1 pixel; give at most ${Math.floor(Math.log2(o.imageSize)) + 1} gFilters`,
    );
  if (!['batch', 'instance', 'none'].includes(o.norm))
    throw new Error(`pix2pix: norm must be 'batch', 'instance' or 'none', got '${o.norm}'`);
  return o;
}

/** A network of an image-to-image model: main output `images` for generators, `logits` for discriminators. */
export const translationNetwork = (
  def: Pick<NetworkDef, 'architecture' | 'source'>,
  role: NetworkDef['role'],
  name: string,
  inputShape: Shape,
  body: Layer,
): NetworkDef => ({
  ...def,
  name,
  role,
  inputShape,
  body,
  main: role === 'generator' ? 'images' : 'logits',
});

/**
 * pix2pix: a U-Net G from source to target (dropout as its noise, no z) and a PatchGAN D that judges (source,
 * target) pairs — concatenated on channels — patch by patch. Data in [−1, 1].
 *
 * @example pix2pix({ sourceChannels: 1, targetChannels: 1, patchLayers: 2 }) // edges → MNIST, 34-pixel patches
 */
export function pix2pix(options: Pix2pixOptions = {}): TranslationDef {
  const o = resolve(options);
  const def = { architecture: `pix2pix-${o.imageSize}`, source: PIX2PIX_SOURCE };
  const size = o.imageSize;
  const sourceShape: Shape = [size, size, o.sourceChannels];
  const targetShape: Shape = [size, size, o.targetChannels];
  const g = unet({
    filters: o.gFilters,
    channels: o.targetChannels,
    norm: o.norm,
    dropoutLayers: o.dropoutLayers,
  });
  const d = patchgan({ layers: o.patchLayers, filters: o.dFilters, norm: o.norm });
  return {
    ...def,
    generator: translationNetwork(def, 'generator', 'generator', sourceShape, g),
    discriminator: translationNetwork(
      def,
      'discriminator',
      'discriminator',
      [size, size, o.sourceChannels + o.targetChannels],
      d,
    ),
    sourceShape,
    targetShape,
    pairedD: true,
    dataRange: [-1, 1],
  };
}

/**
 * The generator's output where the hole is and the known pixels elsewhere: `m·G(x) + (1 − m)·x`, with the masked
 * image x and the mask m as the source's channels (what G was given). What D, the metrics and users see.
 */
function compositeHole(g: Layer, channels: number): Layer {
  return leaf({
    kind: 'CompositeHole',
    name: 'inpaint',
    init(rng, inputShape, path) {
      const r = g.init(rng, inputShape, path);
      return { params: r.params, state: r.state, outputShape: r.outputShape };
    },
    apply(params, state, x, ctx) {
      const r = g.apply(params, state, x, ctx);
      const known = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, channels]);
      const mask = tf.slice(x, [0, 0, 0, channels], [-1, -1, -1, 1]);
      return { y: tf.add(tf.mul(mask, r.y), tf.mul(tf.sub(1, mask), known)), state: r.state };
    },
  });
}

/**
 * Patch-based inpainting: the U-Net fed the masked image and the mask (one more channel), its output composited
 * into the hole; a global D (stride-2 convolutions to one logit per image) and a local PatchGAN D, both judging
 * completed images. Data in [−1, 1].
 *
 * @example inpainting({ channels: 1 }) // MNIST with holes
 */
export function inpainting(
  options: Omit<Pix2pixOptions, 'sourceChannels' | 'targetChannels'> & { channels?: number } = {},
): TranslationDef {
  const channels = options.channels ?? 1;
  const o = resolve({ ...options, sourceChannels: channels + 1, targetChannels: channels });
  const def = { architecture: `inpaint-${o.imageSize}`, source: INPAINT_SOURCE };
  const size = o.imageSize;
  const sourceShape: Shape = [size, size, channels + 1];
  const targetShape: Shape = [size, size, channels];
  const g = compositeHole(
    unet({ filters: o.gFilters, channels, norm: o.norm, dropoutLayers: o.dropoutLayers }),
    channels,
  );
  const conv = (filters: number) =>
    conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: randomNormal(0.02) });
  const global = sequential([
    conv(o.dFilters),
    leakyRelu(0.2),
    conv(o.dFilters * 2),
    leakyRelu(0.2),
    conv(o.dFilters * 4),
    leakyRelu(0.2),
    flatten(),
    dense({ units: 1 }),
  ]);
  return {
    ...def,
    generator: translationNetwork(def, 'generator', 'generator', sourceShape, g),
    discriminator: translationNetwork(def, 'discriminator', 'discriminator', targetShape, global),
    localDiscriminator: translationNetwork(
      def,
      'discriminator',
      'local_discriminator',
      targetShape,
      patchgan({ layers: o.patchLayers, filters: o.dFilters, norm: o.norm }),
    ),
    sourceShape,
    targetShape,
    pairedD: false,
    dataRange: [-1, 1],
  };
}
