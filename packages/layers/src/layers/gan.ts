import * as tf from '@tensorflow/tfjs-core';
import { type Initializer, randomNormal, randomUniform, zeros } from '../initializers.js';
import { assertBatch, assertImage, assertShape, leaf } from '../layer.js';
import { child, makeParam } from '../tree.js';
import type { Layer, LayerOptions, ParamTree, Shape } from '../types.js';
import { requireLabels } from './norm.js';

/**
 * Minibatch standard deviation (ProGAN, Karras et al. 2018), a remedy for mode collapse: splits the batch into
 * groups of `groupSize`, takes each feature's standard deviation across a group, averages it to one number per
 * group and appends it to every example of the group as an extra channel (images) or feature (vectors).
 * The batch must be divisible by min(groupSize, batch).
 */
export function minibatchStdDev(options: { groupSize?: number; name?: string } = {}): Layer {
  const { groupSize = 4 } = options;
  return leaf({
    kind: 'MinibatchStdDev',
    name: options.name,
    init(_rng, inputShape) {
      const out = [...inputShape];
      out[out.length - 1]! += 1;
      return { outputShape: out };
    },
    apply(_p, _s, x) {
      const batch = x.shape[0]!;
      const g = Math.min(groupSize, batch);
      if (batch % g !== 0) {
        throw new Error(
          `minibatchStdDev: batch ${batch} is not divisible by the group size ${g}; use a batch that is`,
        );
      }
      const rest = x.shape.slice(1);
      const grouped = tf.reshape(x, [g, batch / g, ...rest]); // example i sits in group i mod (batch/g)
      const { variance } = tf.moments(grouped, 0); // [batch/g, ...rest]
      const std = tf.sqrt(tf.add(variance, 1e-8));
      const perGroup = tf.mean(
        std,
        Array.from({ length: rest.length }, (_, i) => i + 1),
      ); // [batch/g]
      const tiled = tf.tile(tf.reshape(perGroup, [1, batch / g]), [g, 1]); // [g, batch/g] → batch order
      const feature = tf.reshape(tiled, [batch, ...rest.slice(0, -1).map(() => 1), 1]);
      const broadcast = tf.mul(feature, tf.ones([batch, ...rest.slice(0, -1), 1]));
      return tf.concat([x, broadcast], x.rank - 1);
    },
  });
}

/**
 * Minibatch discrimination (Salimans et al. 2016, "Improved Techniques for Training GANs"), the seed's remedy for
 * mode collapse: lets D compare each example with the rest of the batch. Features `f: [batch, A]` are projected by
 * a learned tensor T to `M: [batch, kernels, kernelDim]`; `o(x_i)_b = Σ_j exp(−‖M_i,b − M_j,b‖₁)` (the sum runs
 * over the whole batch, as in the paper) is appended: output `[batch, A + kernels]`. Parameters
 * `A·kernels·kernelDim`.
 */
export function minibatchDiscrimination(options: {
  kernels: number;
  kernelDim: number;
  initializer?: Initializer;
  name?: string;
}): Layer {
  const { kernels, kernelDim } = options;
  return leaf({
    kind: 'MinibatchDiscrimination',
    name: options.name,
    init(rng, inputShape, path) {
      if (inputShape.length !== 1)
        throw new Error(`minibatchDiscrimination: expects feature vectors [A], got [${inputShape}]`);
      return {
        params: {
          T: makeParam(
            path,
            'T',
            [inputShape[0]!, kernels * kernelDim],
            options.initializer ?? randomNormal(0.05),
            rng,
          ),
        },
        outputShape: [inputShape[0]! + kernels],
      };
    },
    apply(params, _s, x) {
      assertBatch(x, 2, 'minibatchDiscrimination');
      const batch = x.shape[0]!;
      const m = tf.reshape(
        tf.matMul(x as tf.Tensor2D, child(params, 'T', 'minibatchDiscrimination') as tf.Tensor2D),
        [batch, kernels, kernelDim],
      );
      const diff = tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0)); // [batch, batch, kernels, kernelDim]
      const l1 = tf.sum(tf.abs(diff), 3); // [batch, batch, kernels]
      const o = tf.sum(tf.exp(tf.neg(l1)), 1); // [batch, kernels]
      return tf.concat([x, o], 1);
    },
  });
}

/**
 * Noise injection (StyleGAN): adds per-pixel Gaussian noise, one map per example shared by all channels and scaled
 * by a learned per-channel weight (initialised to 0, so training decides how much noise to use). The noise comes
 * from `ctx.rng`, in inference too (StyleGAN samples noise at generation); C parameters.
 */
export function noiseInjection(options: LayerOptions = {}): Layer {
  return leaf({
    kind: 'NoiseInjection',
    name: options.name,
    init(rng, inputShape, path) {
      const [, , c] = assertImage(inputShape, 'noiseInjection');
      return { params: { weight: makeParam(path, 'weight', [c], zeros(), rng) }, outputShape: inputShape };
    },
    apply(params, _s, x, ctx) {
      assertBatch(x, 4, 'noiseInjection');
      if (ctx.rng == null)
        throw new Error('noiseInjection: needs ctx.rng (a seed) for its noise, in training and generation');
      const [b, h, w] = x.shape as number[];
      const noise = tf.randomNormal([ctx.sharedNoise ? 1 : b!, h!, w!, 1], 0, 1, 'float32', ctx.rng);
      return tf.add(x, tf.mul(noise, child(params, 'weight', 'noiseInjection')));
    },
  });
}

/**
 * StyleGAN's learned constant input: the synthesis network starts from a learned tensor of `shape` (4×4×512 in
 * StyleGAN) instead of from the latent, which reaches it through `ctx.style`. The input's values are ignored;
 * only its batch size counts (feed it w or z). Drawn N(0, 1) unless an initializer is given; prod(shape)
 * parameters (`constant`).
 *
 * @example sequential([constantInput({ shape: [4, 4, 512] }), styleAt(0, modulatedConv2d({ ... })), ...])
 */
export function constantInput(options: { shape: Shape; initializer?: Initializer; name?: string }): Layer {
  const { shape } = options;
  assertShape(shape, 'constantInput');
  return leaf({
    kind: 'ConstantInput',
    name: options.name,
    init: (rng, _inputShape, path) => ({
      params: { constant: makeParam(path, 'constant', shape, options.initializer ?? randomNormal(1), rng) },
      outputShape: shape,
    }),
    apply(params, _s, x) {
      const constant = child(params, 'constant', 'constantInput');
      return tf.mul(tf.ones([x.shape[0]!, ...shape.map(() => 1)]), constant);
    },
  });
}

/**
 * Label conditioning by concatenation (Mirza & Osindero 2014): appends `ctx.labels` as a one-hot vector, or as a
 * learned embedding of `embedDim` values, to each example's features — or, for images, as constant channels
 * over every pixel. The conditional GAN's way of feeding y to both G and D.
 */
export function concatLabels(options: { classes: number; embedDim?: number; name?: string }): Layer {
  const { classes, embedDim } = options;
  const width = embedDim ?? classes;
  return leaf({
    kind: embedDim == null ? 'ConcatOneHot' : 'ConcatEmbedding',
    name: options.name,
    init(rng, inputShape, path) {
      const out = [...inputShape];
      out[out.length - 1]! += width;
      const params: ParamTree =
        embedDim == null
          ? {}
          : { embeddings: makeParam(path, 'embeddings', [classes, embedDim], randomUniform(), rng) };
      return { params, outputShape: out };
    },
    apply(params, _s, x, ctx) {
      const labels = requireLabels(ctx, x, 'concatLabels');
      const code =
        embedDim == null
          ? tf.oneHot(labels, classes, 1, 0, 'float32')
          : tf.gather(child(params, 'embeddings', 'concatLabels'), labels);
      if (x.rank === 2) return tf.concat([x, code], 1);
      const spatial = x.shape.slice(1, -1);
      const tiled = tf.mul(
        tf.reshape(code, [x.shape[0]!, ...spatial.map(() => 1), width]),
        tf.ones([1, ...spatial, 1]),
      );
      return tf.concat([x, tiled], x.rank - 1);
    },
  });
}
