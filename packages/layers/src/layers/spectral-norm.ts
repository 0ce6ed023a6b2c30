import * as tf from '@tensorflow/tfjs-core';
import { randomNormal } from '../initializers.js';
import { stopGradient } from '../ops.js';
import { splitRng } from '../rng.js';
import { child, makeState } from '../tree.js';
import type { Layer, StateTree } from '../types.js';

const l2normalize = (v: tf.Tensor, epsilon: number) => tf.div(v, tf.add(tf.norm(v), epsilon));

/**
 * Spectral normalisation (Miyato et al. 2018, SNGAN) as a wrapper: the wrapped layer's `kernel`, seen as a
 * `[fanIn, out]` matrix W, is divided by its largest singular value σ(W), estimated by power iteration on a
 * vector `u` kept in state. Each training call runs `powerIterations` steps and hands back the new `u`;
 * inference reuses the stored `u` without updating it (as PyTorch's eval mode). Gradients flow through W/σ(W)
 * with u and v held constant, as in the paper's implementation. Adds `out` non-trainable values.
 *
 * @example spectralNorm(conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: 'same' }))
 */
export function spectralNorm(
  layer: Layer,
  options: { powerIterations?: number; epsilon?: number } = {},
): Layer {
  const { powerIterations = 1, epsilon = 1e-12 } = options;
  if (!Number.isInteger(powerIterations) || powerIterations < 1) {
    throw new Error(`spectralNorm: powerIterations must be a positive integer, got ${powerIterations}`);
  }
  return {
    kind: `SpectralNorm<${layer.kind}>`,
    name: layer.name,
    init(rng, inputShape, path) {
      const [innerRng, uRng] = splitRng(rng, 2);
      const inner = layer.init(innerRng!, inputShape, path);
      const kernel = inner.params.kernel;
      if (!(kernel instanceof tf.Tensor))
        throw new Error(`spectralNorm: ${layer.kind} has no 'kernel' parameter to normalise`);
      if ('u' in inner.state) throw new Error(`spectralNorm: ${layer.kind} already has state named 'u'`);
      const out = kernel.shape[kernel.rank - 1]!;
      const u0 = makeState([1, out], randomNormal(1), uRng!);
      const u = tf.tidy(() => l2normalize(u0, epsilon));
      u0.dispose();
      const rows = inner.rows.map((r, i) =>
        i === 0 ? { ...r, kind: `SpectralNorm<${r.kind}>`, nonTrainable: r.nonTrainable + out } : r,
      );
      return { params: inner.params, state: { ...inner.state, u }, outputShape: inner.outputShape, rows };
    },
    apply(params, state, x, ctx) {
      const kernel = child(params, 'kernel', 'spectralNorm');
      const out = kernel.shape[kernel.rank - 1]!;
      const w = tf.reshape(kernel, [-1, out]) as tf.Tensor2D;
      const wConst = stopGradient(w);
      let u = child(state, 'u', 'spectralNorm') as tf.Tensor2D;
      let v = l2normalize(tf.matMul(u, wConst, false, true), epsilon) as tf.Tensor2D; // [1, in]
      if (ctx.training) {
        for (let i = 0; i < powerIterations; i++) {
          if (i > 0) v = l2normalize(tf.matMul(u, wConst, false, true), epsilon) as tf.Tensor2D;
          u = l2normalize(tf.matMul(v, wConst), epsilon) as tf.Tensor2D; // [1, out]
        }
      }
      const sigma = tf.sum(tf.mul(tf.matMul(v, w), u));
      const { u: _u, ...innerState } = state;
      const result = layer.apply(
        { ...params, kernel: tf.div(kernel, sigma) as tf.Variable },
        innerState,
        x,
        ctx,
      );
      const next: StateTree = ctx.training ? { ...result.state, u: tf.keep(u) } : state;
      return { y: result.y, state: next };
    },
  };
}

/** σ(W) of a (possibly convolutional) kernel as spectral norm sees it, estimated with the stored `u`. */
export function estimatedSpectralNorm(kernel: tf.Tensor, u: tf.Tensor): number {
  return tf.tidy(() => {
    const out = kernel.shape[kernel.rank - 1]!;
    const w = tf.reshape(kernel, [-1, out]) as tf.Tensor2D;
    const v = l2normalize(tf.matMul(u as tf.Tensor2D, w, false, true), 1e-12) as tf.Tensor2D;
    return tf.sum(tf.mul(tf.matMul(v, w), u)).dataSync()[0]!;
  });
}
