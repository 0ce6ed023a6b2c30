/** The latent values of an update: N(0, 1) noise, with InfoGAN's codes appended and kept for Q's term. */
import { noiseDimOf } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import type { DrawnCodes } from './problem.js';

/** A latent value as an update holds it: the tensor, and the InfoGAN codes it was drawn with. */
export interface DrawnLatent {
  tensor: tf.Tensor;
  codes?: DrawnCodes;
}

/**
 * N(0, 1) noise for `n` samples; for InfoGAN, [noise, one-hot categorical codes, continuous codes U(−1, 1)] with
 * the codes kept so that Q's term can score their recovery.
 */
export function latent(
  n: number,
  dim: number,
  codes: { categorical: readonly number[]; continuous: number } | undefined,
  key: number,
): DrawnLatent {
  if (codes == null) return { tensor: tf.randomNormal([n, dim], 0, 1, 'float32', key) };
  const noiseDim = noiseDimOf({
    latentDim: dim,
    codes: { categorical: [...codes.categorical], continuous: codes.continuous },
  });
  const categorical = codes.categorical.map(
    (k, i) =>
      tf.tidy(() =>
        tf.cast(tf.floor(tf.randomUniform([n], 0, k, 'float32', key + 7 * (i + 1))), 'int32'),
      ) as tf.Tensor1D,
  );
  const continuous = tf.randomUniform([n, codes.continuous], -1, 1, 'float32', key + 3) as tf.Tensor2D;
  const tensor = tf.tidy(() =>
    tf.concat(
      [
        tf.randomNormal([n, noiseDim], 0, 1, 'float32', key),
        ...categorical.map((c, i) => tf.oneHot(c, codes.categorical[i]!, 1, 0, 'float32')),
        continuous,
      ],
      1,
    ),
  );
  return { tensor, codes: { categorical, continuous } };
}
