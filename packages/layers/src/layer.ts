import * as tf from '@tensorflow/tfjs-core';
import { countParams } from './tree.js';
import type { ApplyCtx, ApplyResult, Layer, ParamTree, Rng, Shape, StateTree } from './types.js';

export interface LeafSpec {
  kind: string;
  name?: string | undefined;
  /** Validates the input shape and creates parameters and state. */
  init(
    rng: Rng,
    inputShape: Shape,
    path: string,
  ): { params?: ParamTree; state?: StateTree; outputShape: Shape };
  /** Returns `y`, or `{ y, state }` when the state changes. */
  apply(params: ParamTree, state: StateTree, x: tf.Tensor, ctx: ApplyCtx): tf.Tensor | ApplyResult;
}

/** The last segment of a parameter path: the layer's name. */
export const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Builds a layer with no children from its init and apply, filling in the summary row and the state default. */
export function leaf(spec: LeafSpec): Layer {
  return {
    kind: spec.kind,
    name: spec.name,
    init(rng, inputShape, path) {
      assertShape(inputShape, `${spec.kind} '${nameOf(path)}'`);
      const { params = {}, state = {}, outputShape } = spec.init(rng, inputShape, path);
      return {
        params,
        state,
        outputShape,
        rows: [
          {
            name: nameOf(path),
            kind: spec.kind,
            outputShape,
            trainable: countParams(params),
            nonTrainable: countParams(state),
            depth: 0,
          },
        ],
      };
    },
    apply(params, state, x, ctx) {
      const out = spec.apply(params, state, x, ctx);
      return out instanceof tf.Tensor ? { y: out, state } : out;
    },
  };
}

/** A parameter-free layer from an elementwise or shape-preserving function. */
export function elementwise(
  kind: string,
  fn: (x: tf.Tensor) => tf.Tensor,
  options: { name?: string } = {},
): Layer {
  return leaf({
    kind,
    name: options.name,
    init: (_rng, inputShape) => ({ outputShape: inputShape }),
    apply: (_p, _s, x) => fn(x),
  });
}

export function assertShape(shape: Shape, where: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new Error(
      `${where}: input shape must be positive integers without the batch dimension, got [${shape}]`,
    );
  }
}

/** Fails unless the input is an image `[height, width, channels]`. */
export function assertImage(shape: Shape, where: string): [number, number, number] {
  if (shape.length !== 3) {
    throw new Error(`${where}: expects images [height, width, channels] (without the batch), got [${shape}]`);
  }
  return shape as unknown as [number, number, number];
}

/** Fails unless the batch `x` matches the shape the layer was initialised for. */
export function assertBatch(x: tf.Tensor, rank: number, where: string): void {
  if (x.rank !== rank) {
    throw new Error(`${where}: expects a batch of rank ${rank}, got shape [${x.shape}]`);
  }
}
