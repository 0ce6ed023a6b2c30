import * as tf from '@tensorflow/tfjs-core';
import { type Initializer, ones, zeros } from '../initializers.js';
import { assertBatch, assertImage, elementwise, leaf } from '../layer.js';
import { child, makeParam, makeState } from '../tree.js';
import type { ApplyCtx, Layer, LayerOptions, ParamTree, StateTree } from '../types.js';

export interface BatchNormOptions extends LayerOptions {
  /** Keras's momentum: running = running·momentum + batch·(1 − momentum). Default 0.99. */
  momentum?: number;
  /** Default 1e-3, as Keras (PyTorch uses 1e-5). */
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /** γ's initialiser; ones by default (DCGAN draws γ from N(1, 0.02²)). */
  gammaInitializer?: Initializer;
}

/** γ (ones) and β (zeros) of `shape`: the affine part of a normalisation. */
function affine(path: string, shape: number[], rng: number): ParamTree {
  return {
    gamma: makeParam(path, 'gamma', shape, ones(), rng),
    beta: makeParam(path, 'beta', shape, zeros(), rng),
  };
}

/** Reduction axes: every axis but the last (channels). */
const statAxes = (x: tf.Tensor) => Array.from({ length: x.rank - 1 }, (_, i) => i);

/** Batch statistics in training, running ones in inference; the running ones updated and handed back in training. */
function normalizeWithRunningStats(
  x: tf.Tensor,
  state: StateTree,
  ctx: ApplyCtx,
  momentum: number,
  epsilon: number,
  where: string,
): { normalized: tf.Tensor; state: StateTree } {
  const movingMean = child(state, 'movingMean', where);
  const movingVariance = child(state, 'movingVariance', where);
  if (!ctx.training) {
    return { normalized: tf.div(tf.sub(x, movingMean), tf.sqrt(tf.add(movingVariance, epsilon))), state };
  }
  const { mean, variance } = tf.moments(x, statAxes(x));
  const normalized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
  const next = {
    movingMean: tf.keep(tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum))),
    movingVariance: tf.keep(tf.add(tf.mul(movingVariance, momentum), tf.mul(variance, 1 - momentum))),
  };
  return { normalized, state: next };
}

/**
 * Batch normalisation over the channel (last) axis, as Keras's BatchNormalization: γ and β trainable (2C),
 * running mean and variance in state (2C non-trainable), batch variance biased (as Keras and TF use it).
 */
export function batchNorm(options: BatchNormOptions = {}): Layer {
  const { momentum = 0.99, epsilon = 1e-3, center = true, scale = true } = options;
  return leaf({
    kind: 'BatchNormalization',
    name: options.name,
    init(rng, inputShape, path) {
      const c = inputShape[inputShape.length - 1]!;
      const params: ParamTree = {};
      if (scale) params.gamma = makeParam(path, 'gamma', [c], options.gammaInitializer ?? ones(), rng);
      if (center) params.beta = makeParam(path, 'beta', [c], zeros(), rng);
      return {
        params,
        state: { movingMean: makeState([c], zeros(), rng), movingVariance: makeState([c], ones(), rng) },
        outputShape: inputShape,
      };
    },
    apply(params, state, x, ctx) {
      const { normalized, state: next } = normalizeWithRunningStats(
        x,
        state,
        ctx,
        momentum,
        epsilon,
        'batchNorm',
      );
      let y = normalized;
      if (scale) y = tf.mul(y, child(params, 'gamma', 'batchNorm'));
      if (center) y = tf.add(y, child(params, 'beta', 'batchNorm'));
      return { y, state: next };
    },
  });
}

export interface ConditionalBatchNormOptions extends BatchNormOptions {
  classes: number;
}

/**
 * Conditional batch normalisation (de Vries et al. 2017; used by SNGAN/BigGAN generators): batch norm without its
 * own affine, then a per-class γ and β looked up from `ctx.labels`. Parameters `2·classes·C`.
 */
export function conditionalBatchNorm(options: ConditionalBatchNormOptions): Layer {
  const { classes, momentum = 0.99, epsilon = 1e-3 } = options;
  return leaf({
    kind: 'ConditionalBatchNorm',
    name: options.name,
    init(rng, inputShape, path) {
      const c = inputShape[inputShape.length - 1]!;
      return {
        params: {
          ...affine(path, [classes, c], rng),
        },
        state: { movingMean: makeState([c], zeros(), rng), movingVariance: makeState([c], ones(), rng) },
        outputShape: inputShape,
      };
    },
    apply(params, state, x, ctx) {
      const labels = requireLabels(ctx, x, 'conditionalBatchNorm');
      const { normalized, state: next } = normalizeWithRunningStats(
        x,
        state,
        ctx,
        momentum,
        epsilon,
        'conditionalBatchNorm',
      );
      const perExample = [x.shape[0], ...x.shape.slice(1, -1).map(() => 1), x.shape[x.rank - 1]!];
      const gamma = tf.reshape(tf.gather(child(params, 'gamma', 'conditionalBatchNorm'), labels), perExample);
      const beta = tf.reshape(tf.gather(child(params, 'beta', 'conditionalBatchNorm'), labels), perExample);
      return { y: tf.add(tf.mul(normalized, gamma), beta), state: next };
    },
  });
}

export interface LayerNormOptions extends LayerOptions {
  /** `last` normalises over channels (Keras default); `all` over every non-batch axis (WGAN-GP critics). */
  over?: 'last' | 'all';
  epsilon?: number;
}

/** Layer normalisation (Ba et al. 2016) per example, with a per-channel γ and β (2C parameters). */
export function layerNorm(options: LayerNormOptions = {}): Layer {
  const { over = 'last', epsilon = 1e-3 } = options;
  return leaf({
    kind: 'LayerNormalization',
    name: options.name,
    init(rng, inputShape, path) {
      const c = inputShape[inputShape.length - 1]!;
      return {
        params: affine(path, [c], rng),
        outputShape: inputShape,
      };
    },
    apply(params, _s, x) {
      const axes = over === 'last' ? [x.rank - 1] : Array.from({ length: x.rank - 1 }, (_, i) => i + 1);
      const { mean, variance } = tf.moments(x, axes, true);
      const y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
      return tf.add(tf.mul(y, child(params, 'gamma', 'layerNorm')), child(params, 'beta', 'layerNorm'));
    },
  });
}

/** Instance normalisation without the affine: per example and channel over height and width. */
export function instanceNormalize(x: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
}

/** Instance normalisation (Ulyanov et al. 2016): per example and channel over height and width; 2C parameters. */
export function instanceNorm(options: { epsilon?: number; name?: string } = {}): Layer {
  const { epsilon = 1e-5 } = options;
  return leaf({
    kind: 'InstanceNormalization',
    name: options.name,
    init(rng, inputShape, path) {
      const [, , c] = assertImage(inputShape, 'instanceNorm');
      return {
        params: affine(path, [c], rng),
        outputShape: inputShape,
      };
    },
    apply(params, _s, x) {
      assertBatch(x, 4, 'instanceNorm');
      return tf.add(
        tf.mul(instanceNormalize(x, epsilon), child(params, 'gamma', 'instanceNorm')),
        child(params, 'beta', 'instanceNorm'),
      );
    },
  });
}

/** Pixelwise feature normalisation (ProGAN, Karras et al. 2018): x / √(mean over channels of x² + 1e-8). */
export function pixelNorm(options: { epsilon?: number; name?: string } = {}): Layer {
  const { epsilon = 1e-8 } = options;
  return elementwise(
    'PixelNorm',
    (x) => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), epsilon))),
    options,
  );
}

/** `ctx.labels` as int32 `[batch]`, or an error naming the layer and the fix. */
export function requireLabels(ctx: ApplyCtx, x: tf.Tensor, where: string): tf.Tensor1D {
  const labels = ctx.labels;
  if (labels == null)
    throw new Error(`${where}: conditional layer needs ctx.labels (int32 class ids, shape [batch])`);
  if (labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== x.shape[0]) {
    throw new Error(
      `${where}: ctx.labels must be int32 of shape [${x.shape[0]}], got ${labels.dtype} [${labels.shape}]`,
    );
  }
  return labels;
}
