/** StyleGAN 2's modulated (and demodulated) convolution. */
import * as tf from '@tensorflow/tfjs-core';
import { randomNormal, zeros } from '../initializers.js';
import { assertBatch, assertImage, leaf } from '../layer.js';
import { splitRng } from '../rng.js';
import { child, makeParam, subtree } from '../tree.js';
import type { Layer, LayerOptions, ParamTree } from '../types.js';
import { convOutputLength } from './conv.js';
import { type ActivationName, activate, pair } from './core.js';
import { equalizedScale } from './equalized.js';
import { requireStyle, styleAffine } from './style.js';

export interface ModulatedConv2DOptions extends LayerOptions {
  filters: number;
  kernelSize: number | [number, number];
  /** Length of the style vectors in `ctx.style`. */
  styleDim: number;
  /** Divide each output channel by the norm of its modulated weights (StyleGAN 2; default). Off for toRGB. */
  demodulate?: boolean;
  padding?: 'same' | 'valid';
  useBias?: boolean;
  activation?: ActivationName;
  /**
   * Gain of the kernel's equalized scale gain/√(kh·kw·in); default 1, as StyleGAN 2, which puts √2 on the
   * activation instead. Demodulation cancels it.
   */
  gain?: number;
  /** Added under demodulation's square root; default 1e-8. */
  epsilon?: number;
}

/**
 * Modulated convolution (Karras et al. 2020, StyleGAN 2, which replaces AdaIN to remove its droplet artefacts).
 * Each example b convolves with its own weights `w'[b,o,i,k] = s[b,i]·w[o,i,k]`, where `s = A(style)` is an
 * equalized affine map of `ctx.style` (`[batch, styleDim]`; see `styleAt`) that starts at 1. Demodulation divides
 * output channel o by `√(Σ_{i,k} w'[b,o,i,k]² + ε)`, so that unit-variance inputs give unit-variance outputs.
 *
 * The per-example weights are never built: scaling the input's channels by s, convolving with the shared w and
 * scaling the output's channels by the demodulation coefficients is the same sum, for any padding (zero
 * padding stays zero when scaled) — StyleGAN 2's non-fused form, without a grouped convolution tfjs lacks.
 * Stride 1. Parameters `affine/{kernel, bias}` (`styleDim·in + in`), `kernel` `[kh, kw, in, filters]` drawn
 * N(0, 1) and scaled at run time (equalized learning rate), `bias` (`filters`).
 *
 * @example styleAt(2, modulatedConv2d({ filters: 256, kernelSize: 3, styleDim: 512 })) // a synthesis conv
 */
export function modulatedConv2d(options: ModulatedConv2DOptions): Layer {
  const { filters, styleDim, demodulate = true, padding = 'same', useBias = true, activation } = options;
  const { gain = 1, epsilon = 1e-8 } = options;
  const [kh, kw] = pair(options.kernelSize);
  for (const [name, v] of Object.entries({ filters, styleDim, kh, kw })) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new Error(`modulatedConv2d: ${name} must be a positive integer, got ${v}`);
    }
  }
  if (!(gain > 0)) throw new Error(`modulatedConv2d: gain must be > 0, got ${gain}`);
  const affine = (c: number) => styleAffine(c, () => 1);
  return leaf({
    kind: 'ModulatedConv2D',
    name: options.name,
    init(rng, inputShape, path) {
      const [h, w, c] = assertImage(inputShape, 'modulatedConv2d');
      const outH = convOutputLength(h, kh, 1, padding);
      const outW = convOutputLength(w, kw, 1, padding);
      if (outH <= 0 || outW <= 0) {
        throw new Error(
          `modulatedConv2d: a ${kh}×${kw} kernel does not fit a ${h}×${w} input ('${padding}')`,
        );
      }
      const [ra, rk, rb] = splitRng(rng, 3);
      const params = {
        affine: affine(c).init(ra!, [styleDim], `${path}/affine`).params,
        kernel: makeParam(path, 'kernel', [kh, kw, c, filters], randomNormal(1), rk!),
        ...(useBias ? { bias: makeParam(path, 'bias', [filters], zeros(), rb!) } : {}),
      };
      return { params, outputShape: [outH, outW, filters] };
    },
    apply(params, _state, x, ctx) {
      assertBatch(x, 4, 'modulatedConv2d');
      const [batch, , , c] = x.shape as [number, number, number, number];
      const style = requireStyle(ctx, batch, styleDim, 'modulatedConv2d');
      const s = affine(c).apply(subtree(params, 'affine', 'modulatedConv2d') as ParamTree, {}, style, ctx).y; // [batch, in]
      const stored = child(params, 'kernel', 'modulatedConv2d');
      const w = tf.mul(stored, equalizedScale(stored.shape, { gain })) as tf.Tensor4D;
      const modulated = tf.mul(x, tf.reshape(s, [batch, 1, 1, c])) as tf.Tensor4D;
      let y: tf.Tensor = tf.conv2d(modulated, w, 1, padding);
      if (demodulate) {
        // Σ_{i,k} (s_i·w_{o,i,k})² = Σ_i s_i² · Σ_k w_{o,i,k}²: a [batch, in] × [in, filters] product
        const energy = tf.matMul(tf.square(s) as tf.Tensor2D, tf.sum(tf.square(w), [0, 1]) as tf.Tensor2D);
        y = tf.mul(y, tf.reshape(tf.rsqrt(tf.add(energy, epsilon)), [batch, 1, 1, filters]));
      }
      if (useBias) y = tf.add(y, child(params, 'bias', 'modulatedConv2d'));
      return activate(y, activation);
    },
  });
}
