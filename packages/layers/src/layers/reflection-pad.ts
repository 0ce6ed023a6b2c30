/** Reflection padding (CycleGAN's ResNet generator pads with reflections, not zeros, to avoid border artefacts). */
import * as tf from '@tensorflow/tfjs-core';
import { assertBatch, assertImage, leaf } from '../layer.js';
import type { Layer, LayerOptions } from '../types.js';

/** `x` padded along `axis` by `p` on each side with its reflection (the edge row not repeated). */
function reflectAxis(x: tf.Tensor4D, axis: 1 | 2, p: number): tf.Tensor4D {
  const size = x.shape[axis];
  const take = (begin: number) => {
    const start = [0, 0, 0, 0];
    const extent = [...x.shape] as number[];
    start[axis] = begin;
    extent[axis] = p;
    return tf.reverse(tf.slice(x, start, extent), axis);
  };
  return tf.concat([take(1), x, take(size - 1 - p)], axis) as tf.Tensor4D;
}

/**
 * `[n, h, w, c]` → `[n, h + 2p, w + 2p, c]`, each border the reflection of the image about its edge row and column
 * (PyTorch's `ReflectionPad2d`, TensorFlow's `MirrorPad` in `REFLECT` mode). Built from slices, reverses and a
 * concatenation, whose gradients add every reflected pixel's share back to its source: tfjs 4.22's own `MirrorPad`
 * gradient only crops the centre and drops those shares.
 */
export function reflectionPad2d(x: tf.Tensor4D, p: number): tf.Tensor4D {
  if (!(Number.isInteger(p) && p >= 0))
    throw new Error(`reflectionPad: padding must be a whole number of pixels, got ${p}`);
  const [, h, w] = x.shape;
  if (p >= h || p >= w)
    throw new Error(
      `reflectionPad: padding ${p} must be smaller than the ${h}×${w} image (a reflection needs ${p + 1} rows)`,
    );
  if (p === 0) return x;
  return tf.tidy(() => reflectAxis(reflectAxis(x, 1, p), 2, p));
}

/** A layer of {@link reflectionPad2d}: `padding` pixels on every side. */
export function reflectionPad(padding: number, options: LayerOptions = {}): Layer {
  if (!(Number.isInteger(padding) && padding >= 0))
    throw new Error(`reflectionPad: padding must be a whole number of pixels, got ${padding}`);
  return leaf({
    kind: 'ReflectionPad',
    name: options.name,
    init(_rng, inputShape) {
      const [h, w, c] = assertImage(inputShape, 'reflectionPad');
      if (padding >= h || padding >= w)
        throw new Error(
          `reflectionPad: padding ${padding} must be smaller than the ${h}×${w} input (a reflection needs ${padding + 1} rows)`,
        );
      return { outputShape: [h + 2 * padding, w + 2 * padding, c] };
    },
    apply(_p, _s, x) {
      assertBatch(x, 4, 'reflectionPad');
      return reflectionPad2d(x as tf.Tensor4D, padding);
    },
  });
}
