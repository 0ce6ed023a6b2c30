/** A style generator as perceptual path length measures it (StyleGAN's PPL in W and in Z). */
import type { ParamTree, Rng } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.js';
import { styleSpaceOf, stylesOf, synthesize } from './style-space.js';

/**
 * The mapping and synthesis of a style generator in the shape `perceptualPathLength` of `@gankit/metrics` takes
 * (its `PathLengthGenerator`): `map` z → w (the mapping in inference mode, no truncation), `synthesize` w → images
 * with one noise map for every image (the constant noise of StyleGAN's PPL, so that the two ends of a step differ by
 * their w only), passed through `toImages` (e.g. G's range to the extractor's [0, 1]). Undefined for a generator
 * without a W space.
 *
 * @example
 * const generator = pathLengthGenerator(G, emaParams, (x) => tf.div(tf.add(x, 1), 2));
 * await perceptualPathLength({ generator, space: 'w', latentDim: 64, extractor, pairs: 1000 });
 */
export function pathLengthGenerator(
  network: Network,
  params: ParamTree,
  toImages: (images: tf.Tensor4D) => tf.Tensor4D = (x) => x,
  noiseSeed: Rng = 0,
): { map: (z: tf.Tensor2D) => tf.Tensor2D; synthesize: (w: tf.Tensor2D) => tf.Tensor4D } | undefined {
  if (styleSpaceOf(network.def) == null) return undefined;
  return {
    // every layer's style is the same w here (no mixing, no truncation): layer 0's
    map: (z) =>
      tf.tidy(() => {
        const ws = stylesOf(network, params, z);
        return tf.reshape(tf.slice(ws, [0, 0, 0], [-1, 1, -1]), [ws.shape[0], ws.shape[2]]) as tf.Tensor2D;
      }),
    synthesize: (w) =>
      tf.tidy(() => toImages(synthesize(network, params, w, noiseSeed, { sharedNoise: true }))),
  };
}
