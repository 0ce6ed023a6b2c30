import type * as tf from '@tensorflow/tfjs-core';

/** The shape of one example, without the batch dimension: `[features]` or `[height, width, channels]`. */
export type Shape = readonly number[];

/** Trainable parameters: a plain nested object of variables, so that trees can be mapped, counted and saved. */
export interface ParamTree {
  [key: string]: tf.Variable | ParamTree;
}

/** Non-trainable state (batch-norm running statistics, spectral-norm vectors): a plain nested object of tensors. */
export interface StateTree {
  [key: string]: tf.Tensor | StateTree;
}

/** A seed for explicit randomness; split it with `splitRng` so that each consumer gets its own stream. */
export type Rng = number;

/** What `apply` is told about the call. Conditioning inputs travel here, so every layer keeps one tensor input. */
export interface ApplyCtx {
  /** Training mode: dropout drops, batch norm uses batch statistics and updates its running ones. */
  training: boolean;
  /** Randomness for this call (dropout masks, injected noise); required by layers that use it. */
  rng?: Rng;
  /**
   * Injected noise is one map for the whole batch — the draw of a batch of one, broadcast — so that images differ by
   * their inputs only (StyleGAN's constant noise: path length, mixing grids, walks). Default: a map per example.
   */
  sharedNoise?: boolean;
  /** Integer class labels, shape `[batch]` (int32), for conditional layers. */
  labels?: tf.Tensor1D;
  /**
   * Style vectors for AdaIN and modulated convolutions: `[batch, styleDim]`, one w for every layer, or
   * `[batch, layers, styleDim]`, one per layer, each picked by `styleAt(index, layer)` (style mixing, truncation).
   */
  style?: tf.Tensor;
  /** Fade-in α in [0, 1] while a grown network blends its new layers in (progressive growing); absent: 1. */
  alpha?: number;
}

/** One row of a Keras-style summary. */
export interface SummaryRow {
  name: string;
  kind: string;
  outputShape: Shape;
  /** Trainable parameters of this layer alone. */
  trainable: number;
  /** Non-trainable values kept in state (running statistics, power-iteration vectors). */
  nonTrainable: number;
  /** Nesting depth, for wrappers and combinators. */
  depth: number;
}

export interface InitResult {
  params: ParamTree;
  state: StateTree;
  outputShape: Shape;
  /** Summary rows for this layer and anything inside it. */
  rows: SummaryRow[];
}

export interface ApplyResult {
  y: tf.Tensor;
  state: StateTree;
}

/**
 * A layer is a value with two pure functions (Flax/Haiku/Equinox style).
 *
 * - `init(rng, inputShape, path)` creates parameters (variables named `path/...`, unique in the engine) and state
 *   for inputs of `inputShape` (one example, no batch dimension), and infers the output shape without data.
 * - `apply(params, state, x, ctx)` computes `y` for a batch `x` of shape `[batch, ...inputShape]` and hands back
 *   the new state (the same objects when nothing changed). New state tensors are `tf.keep`-ed so that they
 *   survive `tf.tidy` and `tf.variableGrads`; the caller disposes the state they replace.
 */
export interface Layer {
  /** Keras-style type name, e.g. `Conv2DTranspose`. */
  readonly kind: string;
  /** Name in the summary and in parameter paths; `sequential` assigns Keras-style names when none is given. */
  readonly name: string | undefined;
  init(rng: Rng, inputShape: Shape, path: string): InitResult;
  apply(params: ParamTree, state: StateTree, x: tf.Tensor, ctx: ApplyCtx): ApplyResult;
}

/** Options every layer factory accepts. */
export interface LayerOptions {
  name?: string;
}
