import * as tf from '@tensorflow/tfjs-core';

const stop = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as never) as (x: tf.Tensor) => tf.Tensor;

/** The value of `x` with no gradient flowing back through it (tfjs-core has no `stopGradient`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
