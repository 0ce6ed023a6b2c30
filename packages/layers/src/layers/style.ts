/** Style inputs (StyleGAN): how layers read w from `ctx.style`, one per layer with `styleAt`, and AdaIN. */
import * as tf from '@tensorflow/tfjs-core';
import { assertBatch, assertImage, leaf } from '../layer.js';
import type { ApplyCtx, Layer, LayerOptions } from '../types.js';
import { dense } from './core.js';
import type { EqualizedOptions } from './equalized.js';
import { instanceNormalize } from './norm.js';

/** `ctx.style` as one style vector per example, `[batch, styleDim]`, or an error that names the fix. */
export function requireStyle(ctx: ApplyCtx, batch: number, styleDim: number, where: string): tf.Tensor2D {
  const style = ctx.style;
  if (style?.rank === 3) {
    throw new Error(
      `${where}: ctx.style holds one style per layer [${style.shape}]; wrap the layer in styleAt(index, layer)`,
    );
  }
  if (style == null || style.rank !== 2 || style.shape[0] !== batch || style.shape[1] !== styleDim) {
    throw new Error(
      `${where}: needs ctx.style of shape [${batch}, ${styleDim}], got ${style ? `[${style.shape}]` : 'none'}`,
    );
  }
  return style as tf.Tensor2D;
}

/**
 * Gives `layer` (and everything inside it) the style number `index` of a per-layer `ctx.style` of shape
 * `[batch, layers, styleDim]` — StyleGAN's per-layer styles, which style mixing and truncation make differ. A
 * `[batch, styleDim]` style passes through unchanged: then every layer gets the same w. Parameters, state and
 * summary rows are the layer's own.
 *
 * @example sequential([styleAt(0, modulatedConv2d({ filters: 64, kernelSize: 3, styleDim: 128 })), ...])
 */
export function styleAt(index: number, layer: Layer): Layer {
  if (!Number.isInteger(index) || index < 0) {
    throw new Error(`styleAt: index must be a non-negative integer, got ${index}`);
  }
  return {
    ...layer,
    apply(params, state, x, ctx) {
      const style = ctx.style;
      if (style?.rank !== 3) return layer.apply(params, state, x, ctx);
      const [batch, count, dim] = style.shape as [number, number, number];
      if (index >= count) {
        throw new Error(
          `styleAt: index ${index} is out of range for ctx.style's ${count} styles [${style.shape}]`,
        );
      }
      const picked = tf.reshape(tf.slice(style, [0, index, 0], [batch, 1, dim]), [batch, dim]) as tf.Tensor2D;
      return layer.apply(params, state, x, { ...ctx, style: picked });
    },
  };
}

/**
 * StyleGAN's affine map "A" from w to `units` per-channel values: a dense layer whose bias starts at `start`
 * (1 for scales, 0 for shifts). Equalized by default with gain 1, as StyleGAN's; `false` is a Glorot dense.
 */
export function styleAffine(
  units: number,
  start: (i: number) => number,
  equalized: boolean | EqualizedOptions = true,
): Layer {
  return dense({
    units,
    equalized: equalized === true ? { gain: 1 } : equalized,
    biasInitializer: (shape) => Float32Array.from({ length: shape[0]! }, (_, i) => start(i)),
  });
}

export interface AdaINOptions extends LayerOptions {
  styleDim: number;
  /** Instance norm's ε; default 1e-5. */
  epsilon?: number;
  /** The style affine's equalized learning rate: default on with gain 1 (StyleGAN); `false` for a Glorot dense. */
  equalized?: boolean | EqualizedOptions;
}

/**
 * Adaptive instance normalisation (Huang & Belongie 2017; StyleGAN 1's style input): instance-normalise, then
 * scale and shift per example and channel by an affine map of the style — `y = s(w)·norm(x) + b(w)` with
 * `[s, b] = A(w)`, A an equalized dense layer (`styleAffine`) that starts at s = 1, b = 0. The style is
 * `ctx.style` (`[batch, styleDim]`; see `styleAt`). Parameters `styleDim·2C + 2C` (`kernel`, `bias`).
 *
 * @example styleAt(1, adain({ styleDim: 512 }))
 */
export function adain(options: AdaINOptions): Layer {
  const { styleDim, epsilon = 1e-5, equalized = true } = options;
  const affine = (c: number) => styleAffine(2 * c, (i) => (i < c ? 1 : 0), equalized);
  return leaf({
    kind: 'AdaIN',
    name: options.name,
    init(rng, inputShape, path) {
      const [, , c] = assertImage(inputShape, 'adain');
      return { params: affine(c).init(rng, [styleDim], path).params, outputShape: inputShape };
    },
    apply(params, _s, x, ctx) {
      assertBatch(x, 4, 'adain');
      const c = x.shape[3]!;
      const style = requireStyle(ctx, x.shape[0]!, styleDim, 'adain');
      const [s, b] = tf.split(affine(c).apply(params, {}, style, ctx).y, [c, c], 1);
      return tf.add(
        tf.mul(instanceNormalize(x, epsilon), tf.reshape(s!, [-1, 1, 1, c])),
        tf.reshape(b!, [-1, 1, 1, c]),
      );
    },
  });
}
