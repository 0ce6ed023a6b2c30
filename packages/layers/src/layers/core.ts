import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, type Initializer, randomUniform, zeros } from '../initializers.js';
import { assertBatch, assertImage, elementwise, leaf } from '../layer.js';
import { splitRng } from '../rng.js';
import { child, makeParam } from '../tree.js';
import type { Layer, LayerOptions, Shape } from '../types.js';
import { type EqualizedOptions, equalization } from './equalized.js';

/** A number for both axes, or one per axis. */
export const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Activations by name, for the `activation` option of dense and convolution layers. */
export type ActivationName = 'linear' | 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'elu';

export function activate(x: tf.Tensor, activation: ActivationName | undefined, alpha = 0.2): tf.Tensor {
  switch (activation ?? 'linear') {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, alpha);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    default:
      throw new Error(
        `unknown activation '${activation}'; use linear, relu, leakyRelu, tanh, sigmoid or elu`,
      );
  }
}

export interface DenseOptions extends LayerOptions {
  units: number;
  useBias?: boolean;
  activation?: ActivationName;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
  /** Equalized learning rate (ProGAN/StyleGAN): kernel N(0, 1) scaled at run time; `true` for gain √2, λ 1. */
  equalized?: boolean | EqualizedOptions;
}

/**
 * Fully connected layer on the last axis: `y = activation(x · kernel + bias)`, kernel `[in, units]`.
 * Parameters: `in·units + units` (Keras Dense). With `equalized`, the kernel and bias are stored unscaled and
 * scaled at run time (see `EqualizedOptions`).
 *
 * @example dense({ units: 128 * 7 * 7 }) // seed-002 G's first layer: 100·6272 + 6272 = 633,472 params
 */
export function dense(options: DenseOptions): Layer {
  const { units, useBias = true, activation } = options;
  if (!Number.isInteger(units) || units <= 0)
    throw new Error(`dense: units must be a positive integer, got ${units}`);
  const eq = equalization(options.equalized, 'dense', options.kernelInitializer);
  return leaf({
    kind: 'Dense',
    name: options.name,
    init(rng, inputShape, path) {
      const inDim = inputShape[inputShape.length - 1]!;
      const [rk, rb] = splitRng(rng, 2);
      const kernelInit = eq.kernelInitializer ?? glorotUniform();
      const biasInit = eq.biasInitializer(options.biasInitializer ?? zeros());
      const params: Record<string, tf.Variable> = {
        kernel: makeParam(path, 'kernel', [inDim, units], kernelInit, rk!),
      };
      if (useBias) params.bias = makeParam(path, 'bias', [units], biasInit, rb!);
      return { params, outputShape: [...inputShape.slice(0, -1), units] };
    },
    apply(params, _state, x) {
      const kernel = eq.kernel(child(params, 'kernel', 'dense'));
      const lead = x.shape.slice(0, -1);
      const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, x.shape[x.rank - 1]!]);
      let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D);
      if (useBias) y = tf.add(y, eq.bias(child(params, 'bias', 'dense')));
      if (x.rank !== 2) y = tf.reshape(y, [...lead, units]);
      return activate(y, activation);
    },
  });
}

export interface EmbeddingOptions extends LayerOptions {
  inputDim: number;
  outputDim: number;
  embeddingsInitializer?: Initializer;
}

/**
 * Lookup table: integer ids `[batch, ...]` → vectors `[batch, ..., outputDim]`; `inputDim·outputDim` params,
 * initialised U(−0.05, 0.05) as in Keras. Its gradient is UnsortedSegmentSum (added to wasm by
 * @gankit/backends).
 */
export function embedding(options: EmbeddingOptions): Layer {
  const { inputDim, outputDim } = options;
  return leaf({
    kind: 'Embedding',
    name: options.name,
    init(rng, inputShape, path) {
      return {
        params: {
          embeddings: makeParam(
            path,
            'embeddings',
            [inputDim, outputDim],
            options.embeddingsInitializer ?? randomUniform(),
            rng,
          ),
        },
        outputShape: [...inputShape, outputDim],
      };
    },
    apply(params, _state, x) {
      if (x.dtype !== 'int32') throw new Error(`embedding: ids must be int32, got ${x.dtype}`);
      return tf.gather(child(params, 'embeddings', 'embedding'), x);
    },
  });
}

export function relu(options: LayerOptions = {}): Layer {
  return elementwise('ReLU', (x) => tf.relu(x), options);
}
/** LeakyReLU with slope `alpha` for negative inputs (default 0.2, the DCGAN/seed value; Keras's default is 0.3). */
export function leakyRelu(alpha = 0.2, options: LayerOptions = {}): Layer {
  return elementwise('LeakyReLU', (x) => tf.leakyRelu(x, alpha), options);
}
export function tanh(options: LayerOptions = {}): Layer {
  return elementwise('Tanh', (x) => tf.tanh(x), options);
}
export function sigmoid(options: LayerOptions = {}): Layer {
  return elementwise('Sigmoid', (x) => tf.sigmoid(x), options);
}
export function elu(options: LayerOptions = {}): Layer {
  return elementwise('ELU', (x) => tf.elu(x), options);
}

/** Reshapes each example to `targetShape` (no batch dimension; one entry may be −1). */
export function reshape(targetShape: Shape, options: LayerOptions = {}): Layer {
  return leaf({
    kind: 'Reshape',
    name: options.name,
    init(_rng, inputShape) {
      const size = inputShape.reduce((a, b) => a * b, 1);
      const known = targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const unknown = targetShape.filter((d) => d === -1).length;
      if (unknown > 1 || (unknown === 0 && known !== size) || (unknown === 1 && size % known !== 0)) {
        throw new Error(`reshape: cannot reshape [${inputShape}] (${size} values) to [${targetShape}]`);
      }
      return { outputShape: targetShape.map((d) => (d === -1 ? size / known : d)) };
    },
    apply: (_p, _s, x) => tf.reshape(x, [x.shape[0], ...targetShape]),
  });
}

/** Flattens each example to a vector. */
export function flatten(options: LayerOptions = {}): Layer {
  return leaf({
    kind: 'Flatten',
    name: options.name,
    init: (_rng, inputShape) => ({ outputShape: [inputShape.reduce((a, b) => a * b, 1)] }),
    apply: (_p, _s, x) => tf.reshape(x, [x.shape[0], -1]),
  });
}

/** Nearest-neighbour upsampling of NHWC images by an integer factor. */
export function upsample(factor: number | [number, number] = 2, options: LayerOptions = {}): Layer {
  const [fh, fw] = pair(factor);
  return leaf({
    kind: 'UpSampling2D',
    name: options.name,
    init(_rng, inputShape) {
      const [h, w, c] = assertImage(inputShape, 'upsample');
      return { outputShape: [h * fh, w * fw, c] };
    },
    apply(_p, _s, x) {
      assertBatch(x, 4, 'upsample');
      const [, h, w] = x.shape as number[];
      return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [h! * fh, w! * fw]);
    },
  });
}

/**
 * Average-pool downsampling of NHWC images by an integer factor (ProGAN's D and its faded-in reals): each output
 * pixel is the mean of a `factor × factor` block. The height and width must be multiples of the factor.
 */
export function downsample(factor: number | [number, number] = 2, options: LayerOptions = {}): Layer {
  const [fh, fw] = pair(factor);
  return leaf({
    kind: 'AveragePooling2D',
    name: options.name,
    init(_rng, inputShape) {
      const [h, w, c] = assertImage(inputShape, 'downsample');
      if (h % fh !== 0 || w % fw !== 0) {
        throw new Error(`downsample: a ${h}×${w} image does not split into ${fh}×${fw} blocks`);
      }
      return { outputShape: [h / fh, w / fw, c] };
    },
    apply(_p, _s, x) {
      assertBatch(x, 4, 'downsample');
      return tf.avgPool(x as tf.Tensor4D, [fh, fw], [fh, fw], 'valid');
    },
  });
}

/**
 * Inverted dropout: in training, zeroes each value with probability `rate` and scales the rest by 1/(1 − rate);
 * identity in inference. The mask comes from `ctx.rng`, so a seed makes it repeatable.
 */
export function dropout(rate: number, options: LayerOptions = {}): Layer {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  return leaf({
    kind: 'Dropout',
    name: options.name,
    init: (_rng, inputShape) => ({ outputShape: inputShape }),
    apply(_p, _s, x, ctx) {
      if (!ctx.training || rate === 0) return x;
      if (ctx.rng == null) throw new Error('dropout: training mode needs ctx.rng (a seed) for its mask');
      const keep = tf.cast(
        tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', ctx.rng), rate),
        'float32',
      );
      return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
    },
  });
}
