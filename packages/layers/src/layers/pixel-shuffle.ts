/** Sub-pixel upsampling (pixel shuffle, Shi et al. 2016), the upsampling of SRGAN's generator. */
import * as tf from '@tensorflow/tfjs-core';
import { assertBatch, assertImage, leaf } from '../layer.js';
import type { Layer, LayerOptions } from '../types.js';

/**
 * Depth to space by `factor` r: `[n, h, w, c·r²]` → `[n, h·r, w·r, c]`, with TensorFlow's `DepthToSpace` order
 * (NHWC: output `[b, y·r + i, x·r + j, k]` = input `[b, y, x, (i·r + j)·c + k]`). Built from a reshape and a
 * transpose, so it has a gradient on every backend (tfjs registers none for `DepthToSpace`, and wasm's kernel is
 * slow).
 */
export function depthToSpace(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  if (!(Number.isInteger(factor) && factor >= 1))
    throw new Error(`depthToSpace: factor must be a positive whole number, got ${factor}`);
  const [n, h, w, depth] = x.shape;
  const r2 = factor * factor;
  if (depth % r2 !== 0)
    throw new Error(
      `depthToSpace: ${depth} channels are not a multiple of factor² = ${r2} (give the convolution before it c·${r2} filters)`,
    );
  const c = depth / r2;
  return tf.tidy(() => {
    const split = tf.reshape(x, [n, h, w, factor, factor, c]);
    const interleaved = tf.transpose(split, [0, 1, 3, 2, 4, 5]); // [n, h, i, w, j, c]
    return tf.reshape(interleaved, [n, h * factor, w * factor, c]) as tf.Tensor4D;
  });
}

/**
 * Pixel shuffle: a layer of {@link depthToSpace}. After a convolution with `c·factor²` filters it upsamples by
 * `factor` with learned sub-pixel filters (ESPCN; SRGAN's ×2 blocks: conv 64 → 256, pixel shuffle ×2, PReLU).
 *
 * @example sequential([conv2d({ filters: 4 * 64, kernelSize: 3, padding: 'same' }), pixelShuffle(2), prelu()])
 */
export function pixelShuffle(factor = 2, options: LayerOptions = {}): Layer {
  if (!(Number.isInteger(factor) && factor >= 1))
    throw new Error(`pixelShuffle: factor must be a positive whole number, got ${factor}`);
  return leaf({
    kind: 'PixelShuffle',
    name: options.name,
    init(_rng, inputShape) {
      const [h, w, depth] = assertImage(inputShape, 'pixelShuffle');
      if (depth % (factor * factor) !== 0)
        throw new Error(
          `pixelShuffle: ${depth} channels are not a multiple of factor² = ${factor * factor} (give the convolution before it c·${factor * factor} filters)`,
        );
      return { outputShape: [h * factor, w * factor, depth / (factor * factor)] };
    },
    apply(_p, _s, x) {
      assertBatch(x, 4, 'pixelShuffle');
      return depthToSpace(x as tf.Tensor4D, factor);
    },
  });
}
