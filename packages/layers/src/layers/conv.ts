/** Convolutions and their transposes, sized as TensorFlow/Keras (`same`, `valid`) or PyTorch (explicit padding). */
import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, type Initializer, zeros } from '../initializers.js';
import { assertBatch, assertImage, leaf } from '../layer.js';
import { splitRng } from '../rng.js';
import { child, makeParam } from '../tree.js';
import type { Layer, LayerOptions } from '../types.js';
import { type ActivationName, activate, pair } from './core.js';
import { type EqualizedOptions, equalization } from './equalized.js';

/** Padding of a convolution: TensorFlow's `same`/`valid`, or explicit `[[top, bottom], [left, right]]`. */
export type ConvPadding = 'same' | 'valid' | [[number, number], [number, number]];

export interface Conv2DOptions extends LayerOptions {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: ConvPadding;
  dilation?: number | [number, number];
  useBias?: boolean;
  activation?: ActivationName;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
  /** Equalized learning rate (ProGAN/StyleGAN): kernel N(0, 1) scaled at run time by gain/√(kh·kw·in). */
  equalized?: boolean | EqualizedOptions;
}

/** Output length of a convolution along one axis (TensorFlow's rules). */
export function convOutputLength(
  input: number,
  kernel: number,
  stride: number,
  padding: 'same' | 'valid' | [number, number],
  dilation = 1,
): number {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(input / stride);
  if (padding === 'valid') return Math.floor((input - effective) / stride) + 1;
  return Math.floor((input + padding[0] + padding[1] - effective) / stride) + 1;
}

const tfPad = (p: ConvPadding) =>
  typeof p === 'string'
    ? p
    : ([[0, 0], p[0], p[1], [0, 0]] as [
        [number, number],
        [number, number],
        [number, number],
        [number, number],
      ]);

/**
 * 2-D convolution over NHWC images; kernel `[kh, kw, in, filters]`. Parameters `kh·kw·in·filters + filters`.
 * With `equalized`, the kernel and bias are stored unscaled and scaled at run time (see `EqualizedOptions`).
 *
 * @example conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same' }) // [28,28,1] → [14,14,64]
 */
export function conv2d(options: Conv2DOptions): Layer {
  const { filters, useBias = true, activation, padding = 'valid' } = options;
  const [kh, kw] = pair(options.kernelSize);
  const strides = pair(options.strides ?? 1);
  const dilation = pair(options.dilation ?? 1);
  if (!Number.isInteger(filters) || filters <= 0)
    throw new Error(`conv2d: filters must be a positive integer, got ${filters}`);
  const eq = equalization(options.equalized, 'conv2d', options.kernelInitializer);
  return leaf({
    kind: 'Conv2D',
    name: options.name,
    init(rng, inputShape, path) {
      const [h, w, c] = assertImage(inputShape, 'conv2d');
      const outH = convOutputLength(
        h,
        kh,
        strides[0],
        typeof padding === 'string' ? padding : padding[0],
        dilation[0],
      );
      const outW = convOutputLength(
        w,
        kw,
        strides[1],
        typeof padding === 'string' ? padding : padding[1],
        dilation[1],
      );
      if (outH <= 0 || outW <= 0) {
        throw new Error(
          `conv2d: a ${kh}×${kw} kernel does not fit a ${h}×${w} input with padding '${padding}'`,
        );
      }
      const [rk, rb] = splitRng(rng, 2);
      const kernelInit = eq.kernelInitializer ?? glorotUniform();
      const biasInit = eq.biasInitializer(options.biasInitializer ?? zeros());
      const params: Record<string, tf.Variable> = {
        kernel: makeParam(path, 'kernel', [kh, kw, c, filters], kernelInit, rk!),
      };
      if (useBias) params.bias = makeParam(path, 'bias', [filters], biasInit, rb!);
      return { params, outputShape: [outH, outW, filters] };
    },
    apply(params, _state, x) {
      assertBatch(x, 4, 'conv2d');
      let y: tf.Tensor = tf.conv2d(
        x as tf.Tensor4D,
        eq.kernel(child(params, 'kernel', 'conv2d')) as tf.Tensor4D,
        strides,
        tfPad(padding),
        'NHWC',
        dilation,
      );
      if (useBias) y = tf.add(y, eq.bias(child(params, 'bias', 'conv2d')));
      return activate(y, activation);
    },
  });
}

export interface Conv2DTransposeOptions extends LayerOptions {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  /**
   * `same` / `valid` as Keras, or a number `p` as PyTorch's `ConvTranspose2d(padding=p)` (which removes `p` rows
   * and columns from each border of the full transposed convolution).
   */
  padding?: 'same' | 'valid' | number;
  /** Extra rows/columns at the bottom/right, to pick among the output sizes a stride allows (< stride). */
  outputPadding?: number | [number, number];
  useBias?: boolean;
  activation?: ActivationName;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/**
 * Output length of a transposed convolution along one axis: Keras's `deconv_output_length` for `same`/`valid`,
 * PyTorch's `(in − 1)·s − 2p + k + outputPadding` for a numeric padding.
 */
export function convTransposeOutputLength(
  input: number,
  kernel: number,
  stride: number,
  padding: 'same' | 'valid' | number,
  outputPadding?: number,
): number {
  if (typeof padding === 'number') return (input - 1) * stride - 2 * padding + kernel + (outputPadding ?? 0);
  if (outputPadding == null) {
    return padding === 'same' ? input * stride : input * stride + Math.max(kernel - stride, 0);
  }
  const pad = padding === 'same' ? Math.floor(kernel / 2) : 0;
  return (input - 1) * stride + kernel - 2 * pad + outputPadding;
}

/**
 * Transposed ("fractionally strided") convolution, the DCGAN generator's upsampling layer. Kernel
 * `[kh, kw, filters, in]` as in TensorFlow; parameters `kh·kw·filters·in + filters`.
 *
 * It is the gradient of a convolution that maps the output back to the input, so its output size is ambiguous
 * by up to `stride − 1`: `same`/`valid` follow Keras, a numeric padding follows PyTorch, and `outputPadding`
 * picks a larger size in both.
 *
 * @example conv2dTranspose({ filters: 128, kernelSize: 4, strides: 2, padding: 'same' }) // [7,7,128] → [14,14,128]
 */
export function conv2dTranspose(options: Conv2DTransposeOptions): Layer {
  const { filters, useBias = true, activation, padding = 'valid' } = options;
  const [kh, kw] = pair(options.kernelSize);
  const strides = pair(options.strides ?? 1);
  const outPad = options.outputPadding == null ? undefined : pair(options.outputPadding);
  if (outPad && (outPad[0] >= strides[0] || outPad[1] >= strides[1] || outPad[0] < 0 || outPad[1] < 0)) {
    throw new Error(
      `conv2dTranspose: outputPadding [${outPad}] must be ≥ 0 and smaller than the strides [${strides}]`,
    );
  }
  if (typeof padding === 'number' && (!Number.isInteger(padding) || padding < 0)) {
    throw new Error(`conv2dTranspose: numeric padding must be a non-negative integer, got ${padding}`);
  }
  const outputSize = (h: number, w: number): [number, number] => [
    convTransposeOutputLength(h, kh, strides[0], padding, outPad?.[0]),
    convTransposeOutputLength(w, kw, strides[1], padding, outPad?.[1]),
  ];
  return leaf({
    kind: 'Conv2DTranspose',
    name: options.name,
    init(rng, inputShape, path) {
      const [h, w, c] = assertImage(inputShape, 'conv2dTranspose');
      const outShape = outputSize(h, w);
      if (outShape[0] <= 0 || outShape[1] <= 0) {
        throw new Error(`conv2dTranspose: padding ${padding} leaves no output for a ${h}×${w} input`);
      }
      const [rk, rb] = splitRng(rng, 2);
      const params: Record<string, tf.Variable> = {
        kernel: makeParam(
          path,
          'kernel',
          [kh, kw, filters, c],
          options.kernelInitializer ?? glorotUniform(),
          rk!,
        ),
      };
      if (useBias) params.bias = makeParam(path, 'bias', [filters], options.biasInitializer ?? zeros(), rb!);
      return { params, outputShape: [outShape[0], outShape[1], filters] };
    },
    apply(params, _state, x) {
      assertBatch(x, 4, 'conv2dTranspose');
      const outShape = outputSize(x.shape[1]!, x.shape[2]!);
      const pad =
        typeof padding === 'number'
          ? ([
              [0, 0],
              [padding, padding],
              [padding, padding],
              [0, 0],
            ] as [[number, number], [number, number], [number, number], [number, number]])
          : padding;
      let y: tf.Tensor = tf.conv2dTranspose(
        x as tf.Tensor4D,
        child(params, 'kernel', 'conv2dTranspose') as tf.Tensor4D,
        [x.shape[0], outShape[0], outShape[1], filters],
        strides,
        pad as 'same' | 'valid',
      );
      if (useBias) y = tf.add(y, child(params, 'bias', 'conv2dTranspose'));
      return activate(y, activation);
    },
  });
}
