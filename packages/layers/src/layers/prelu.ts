/** The parametric ReLU (He et al. 2015), SRGAN's generator activation. */
import * as tf from '@tensorflow/tfjs-core';
import { constant } from '../initializers.js';
import { leaf } from '../layer.js';
import { child, makeParam } from '../tree.js';
import type { Layer, LayerOptions } from '../types.js';

export interface PReLUOptions extends LayerOptions {
  /** The slope's initial value (0.25, as He et al. and PyTorch). */
  alpha?: number;
  /** One slope per channel (the last axis; default), or one for the whole layer. */
  shared?: boolean;
}

/**
 * PReLU: `max(0, x) + α·min(0, x)` with a learned slope α per channel (or one, `shared`). Parameters: `alpha`
 * (`channels`, or 1).
 *
 * @example prelu() // after each of SRGAN's residual-block convolutions
 */
export function prelu(options: PReLUOptions = {}): Layer {
  const { alpha = 0.25, shared = false } = options;
  if (!Number.isFinite(alpha)) throw new Error(`prelu: alpha must be a number, got ${alpha}`);
  return leaf({
    kind: 'PReLU',
    name: options.name,
    init(rng, inputShape, path) {
      const channels = inputShape.at(-1);
      if (channels == null) throw new Error('prelu: needs an input with at least one axis');
      const size = shared ? 1 : channels;
      return {
        params: { alpha: makeParam(path, 'alpha', [size], constant(alpha), rng) },
        outputShape: inputShape,
      };
    },
    apply(params, _s, x) {
      const a = child(params, 'alpha', 'prelu');
      // relu(x) − α·relu(−x): the same function as tf.prelu, from kernels every backend differentiates twice
      return tf.sub(tf.relu(x), tf.mul(a, tf.relu(tf.neg(x))));
    },
  });
}
