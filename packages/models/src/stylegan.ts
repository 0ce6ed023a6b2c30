/**
 * The style-based generator (Karras et al. 2019, StyleGAN; Karras et al. 2020, StyleGAN 2) at small scale, and a
 * residual discriminator with minibatch stddev, for 28×28 (4 → 7 → 14 → 28) or 32×32 images.
 */
import { dense, type Layer, pixelNorm, sequential, splitRng } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { GanDef } from './network.js';
import {
  mixingCrossover,
  mixStyles,
  type StyleNetworkDef,
  type StyleSpace,
  updateAverage,
} from './style-space.js';
import { residualDiscriminator } from './stylegan-d.js';
import { sub, synthesis } from './stylegan-synthesis.js';

const SOURCE =
  'Karras, Laine & Aila 2019 (StyleGAN: mapping network, constant input, AdaIN, noise, style mixing, truncation in W); ' +
  'Karras et al. 2020 (StyleGAN 2: modulated/demodulated convolution, skip generator, residual D, lazy R1)';

export interface StyleganOptions {
  /** `modulated`: StyleGAN 2's (de)modulated convolutions and skip toRGBs (default); `adain`: StyleGAN 1. */
  variant?: 'modulated' | 'adain';
  /** 28 (4 → 7 → 14 → 28, the 4 → 7 step a nearest resize) or 32 (4 → 8 → 16 → 32). */
  imageSize?: 28 | 32;
  channels?: number;
  /** Length of z (default 64). */
  latentDim?: number;
  /** Length of w (default 64). */
  styleDim?: number;
  /** Dense layers of the mapping network, 2 to 8 (default 4; StyleGAN 8). */
  mappingLayers?: number;
  /** The mapping network's learning-rate multiplier (default 0.01, StyleGAN's). */
  mappingLrMultiplier?: number;
  /** G's filters at each resolution from 4×4 up (4 numbers; default [64, 64, 32, 16]). */
  gFilters?: readonly number[];
  /** D's filters at each resolution from the image down (3 numbers; default [16, 32, 64]). */
  dFilters?: readonly number[];
  /** Style mixing regularisation: the probability that a second latent's w takes over (default 0.9). */
  mixing?: number;
  /** Decay of the running average of w kept in G's state (default 0.995). */
  wAvgDecay?: number;
  /** Minibatch stddev group size in D (default 4). */
  groupSize?: number;
  /**
   * The synthesis input: `constant`, StyleGAN's learned 4×4 tensor (default), or `style`, an equalized dense map of
   * the first layer's w to the 4×4 features (StyleGAN's "traditional input" ablation, fed by w rather than z so that
   * truncation and mixing still act on it).
   */
  input?: 'constant' | 'style';
  /**
   * How the modulated variant makes its image: `skip`, the upsampled sum of a toRGB per resolution (StyleGAN 2's
   * default), or `last`, only the last resolution's toRGB (the paper's "orig" generator, Fig. 7).
   */
  output?: 'skip' | 'last';
}

const SQRT2 = Math.SQRT2;

/** The mapping network: pixel norm of z, then equalized dense layers with a learning-rate multiplier. */
function mapping(o: Required<StyleganOptions>): Layer {
  return sequential(
    [
      pixelNorm(),
      ...Array.from({ length: o.mappingLayers }, () =>
        dense({
          units: o.styleDim,
          activation: 'leakyRelu',
          equalized: { gain: SQRT2, lrMultiplier: o.mappingLrMultiplier },
        }),
      ),
    ],
    { name: 'mapping' },
  );
}

function styleGenerator(
  o: Required<StyleganOptions>,
  sizes: readonly number[],
): { body: Layer; space: StyleSpace } {
  const map = mapping(o);
  const synth = synthesis(o, sizes);
  const count = 2 * sizes.length;
  const space: StyleSpace = {
    count,
    dim: o.styleDim,
    coarse: 4,
    mixing: o.mixing,
    decay: o.wAvgDecay,
    styles(params, state, z, ctx) {
      const mapped = (input: tf.Tensor) => map.apply(sub(params, 'mapping'), {}, input, ctx).y;
      const w = mapped(z);
      let next = state;
      if (ctx.training) {
        const wAvg = state.wAvg as tf.Tensor;
        next = { ...state, wAvg: tf.keep(updateAverage(wAvg, w, o.wAvgDecay)) };
      }
      let crossover = count;
      let seed = 0;
      if (ctx.training && ctx.rng != null && o.mixing > 0) {
        const [rMix, rZ] = splitRng(ctx.rng, 2);
        crossover = mixingCrossover(rMix!, o.mixing, count);
        seed = rZ!;
      }
      if (crossover === count) return { ws: mixStyles(w, w, count, count), state: next };
      const w2 = mapped(tf.randomNormal(z.shape, 0, 1, 'float32', seed));
      return { ws: mixStyles(w, w2, count, crossover), state: next };
    },
  };
  const body: Layer = {
    kind: 'StyleGenerator',
    name: undefined,
    init(rng, inputShape, path) {
      const [rm, rs] = splitRng(rng, 2);
      const m = map.init(rm!, inputShape, `${path}/mapping`);
      const s = synth.init(rs!, [1], `${path}/synthesis`);
      return {
        params: { mapping: m.params, synthesis: s.params },
        state: { wAvg: tf.zeros([o.styleDim]) },
        outputShape: s.outputShape,
        rows: [
          ...m.rows,
          ...s.rows,
          {
            name: 'w_avg',
            kind: 'RunningMean',
            outputShape: [o.styleDim],
            trainable: 0,
            nonTrainable: o.styleDim,
            depth: 0,
          },
        ],
      };
    },
    apply(params, state, x, ctx) {
      const [rStyle, rSynth] = ctx.rng == null ? [] : splitRng(ctx.rng, 2);
      let ws: tf.Tensor;
      let next = state;
      if (ctx.style != null) {
        if (ctx.style.rank === 2) ws = mixStyles(ctx.style, ctx.style, count, count);
        else if (ctx.style.rank === 3 && ctx.style.shape[1] === count && ctx.style.shape[2] === o.styleDim)
          ws = ctx.style;
        else
          throw new Error(
            `style generator: ctx.style must be [batch, ${o.styleDim}] or [batch, ${count}, ${o.styleDim}], got [${ctx.style.shape}]`,
          );
      } else {
        const r = space.styles(params, state, x, { ...ctx, rng: rStyle });
        ws = r.ws;
        next = r.state;
      }
      const y = synth.apply(sub(params, 'synthesis'), {}, x, { ...ctx, rng: rSynth, style: ws }).y;
      return { y, state: next };
    },
  };
  return { body, space };
}

const DEFAULTS: Required<StyleganOptions> = {
  variant: 'modulated',
  imageSize: 28,
  channels: 1,
  latentDim: 64,
  styleDim: 64,
  mappingLayers: 4,
  mappingLrMultiplier: 0.01,
  gFilters: [64, 64, 32, 16],
  dFilters: [16, 32, 64],
  mixing: 0.9,
  wAvgDecay: 0.995,
  groupSize: 4,
  input: 'constant',
  output: 'skip',
};

/**
 * StyleGAN at small scale. G: a mapping network z → w (pixel-normalised z, `mappingLayers` equalized dense layers
 * with learning-rate multiplier 0.01), a learned 4×4 constant, two styles per resolution (8 for 4 → 7 → 14 → 28),
 * per-layer noise whose learned strength starts at 0, and either StyleGAN 2's modulated/demodulated convolutions
 * with skip toRGBs (`variant: 'modulated'`, default) or StyleGAN 1's AdaIN (`'adain'`). Its state holds w̄, the
 * running average of w (decay 0.995) that truncation pulls towards; in training it mixes styles (probability 0.9).
 * D: StyleGAN 2's residual D with minibatch stddev. Output linear, data in [−1, 1].
 *
 * @example
 * const gan = stylegan({ imageSize: 28 });
 * const g = instantiate(gan.generator, 1);
 * const ws = stylesOf(g, g.params, z, { psi: 0.7 }); // [n, 8, 64]
 * const images = synthesize(g, g.params, ws);          // [n, 28, 28, 1]
 */
export function stylegan(options: StyleganOptions = {}): GanDef {
  const o: Required<StyleganOptions> = { ...DEFAULTS, ...options };
  if (o.variant !== 'modulated' && o.variant !== 'adain')
    throw new Error(`stylegan: variant must be 'modulated' or 'adain', got '${o.variant}'`);
  if (o.imageSize !== 28 && o.imageSize !== 32)
    throw new Error(`stylegan: imageSize must be 28 or 32, got ${o.imageSize}`);
  const sizes = o.imageSize === 28 ? [4, 7, 14, 28] : [4, 8, 16, 32];
  for (const [key, v] of Object.entries({
    channels: o.channels,
    latentDim: o.latentDim,
    styleDim: o.styleDim,
    groupSize: o.groupSize,
  }))
    if (!Number.isInteger(v) || v <= 0)
      throw new Error(`stylegan: ${key} must be a positive integer, got ${v}`);
  if (!Number.isInteger(o.mappingLayers) || o.mappingLayers < 2 || o.mappingLayers > 8)
    throw new Error(`stylegan: mappingLayers must be an integer from 2 to 8, got ${o.mappingLayers}`);
  if (o.input !== 'constant' && o.input !== 'style')
    throw new Error(`stylegan: input must be 'constant' or 'style', got '${o.input}'`);
  if (o.output !== 'skip' && o.output !== 'last')
    throw new Error(`stylegan: output must be 'skip' or 'last', got '${o.output}'`);
  if (!(o.mixing >= 0 && o.mixing <= 1))
    throw new Error(`stylegan: mixing must be in [0, 1], got ${o.mixing}`);
  if (!(o.wAvgDecay >= 0 && o.wAvgDecay < 1))
    throw new Error(`stylegan: wAvgDecay must be in [0, 1), got ${o.wAvgDecay}`);
  if (o.gFilters.length !== sizes.length)
    throw new Error(`stylegan: gFilters needs ${sizes.length} numbers (4×4 up), got ${o.gFilters.length}`);
  if (o.dFilters.length !== 3)
    throw new Error(
      `stylegan: dFilters needs 3 numbers (${o.imageSize} down to ${o.imageSize / 4}), got ${o.dFilters.length}`,
    );
  const { body, space } = styleGenerator(o, sizes);
  const architecture = `stylegan${o.variant === 'modulated' ? '2' : ''}-${o.imageSize}`;
  const generator: StyleNetworkDef = {
    name: 'generator',
    role: 'generator',
    architecture,
    source: SOURCE,
    inputShape: [o.latentDim],
    main: 'images',
    body,
    styles: space,
  };
  return {
    architecture,
    source: SOURCE,
    latentDim: o.latentDim,
    dataShape: [o.imageSize, o.imageSize, o.channels],
    dataRange: [-1, 1],
    generator,
    discriminator: {
      name: 'discriminator',
      role: 'discriminator',
      architecture,
      source: SOURCE,
      inputShape: [o.imageSize, o.imageSize, o.channels],
      main: 'logits',
      body: residualDiscriminator(o.dFilters, o.groupSize),
    },
  };
}
