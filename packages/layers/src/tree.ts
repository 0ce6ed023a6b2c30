import * as tf from '@tensorflow/tfjs-core';
import type { Initializer } from './initializers.js';
import type { ParamTree, Rng, Shape, StateTree } from './types.js';

type Leaf = tf.Tensor;
type Tree<T extends Leaf> = { [key: string]: T | Tree<T> };

const isLeaf = (v: unknown): v is tf.Tensor => v instanceof tf.Tensor;

/** Every leaf of a tree with its path (`conv2d_1/kernel`), in insertion order. */
export function flattenTree<T extends Leaf>(tree: Tree<T>, prefix = ''): [string, T][] {
  const out: [string, T][] = [];
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}/${key}` : key;
    if (isLeaf(value)) out.push([path, value as T]);
    else out.push(...flattenTree(value as Tree<T>, path));
  }
  return out;
}

/** A tree of the same structure with `fn` applied to every leaf (e.g. EMA copies of G's weights). */
export function mapTree<T extends Leaf, U extends Leaf>(
  tree: Tree<T>,
  fn: (leaf: T, path: string) => U,
  prefix = '',
): Tree<U> {
  const out: Tree<U> = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}/${key}` : key;
    out[key] = isLeaf(value) ? fn(value as T, path) : mapTree(value as Tree<T>, fn, path);
  }
  return out;
}

/** Number of scalars in a tree. */
export function countParams(tree: Tree<Leaf>): number {
  return flattenTree(tree).reduce((n, [, t]) => n + t.size, 0);
}

/** The variables of a parameter tree, e.g. the list to pass to an optimizer for G or for D. */
export function variablesOf(params: ParamTree): tf.Variable[] {
  return flattenTree(params as Tree<tf.Variable>).map(([, v]) => v);
}

/** Disposes every tensor of a tree. */
export function disposeTree(tree: Tree<Leaf>): void {
  for (const [, t] of flattenTree(tree)) t.dispose();
}

/**
 * Adopts `next` as the current state: disposes each tensor of `previous` that `next` no longer holds. Use it after
 * an `apply` in training mode, which hands back new running statistics.
 */
export function replaceState(previous: StateTree, next: StateTree): StateTree {
  const kept = new Set(flattenTree(next).map(([, t]) => t));
  for (const [, t] of flattenTree(previous)) if (!kept.has(t) && !t.isDisposed) t.dispose();
  return next;
}

/**
 * Drops `candidate`, a state handed back by an `apply` whose updates are not wanted (e.g. a frozen network's batch
 * statistics): disposes each of its tensors that `kept` does not hold.
 */
export function discardState(kept: StateTree, candidate: StateTree): void {
  const held = new Set(flattenTree(kept).map(([, t]) => t));
  for (const [, t] of flattenTree(candidate)) if (!held.has(t) && !t.isDisposed) t.dispose();
}

/**
 * Makes a root path that no registered variable uses yet (`G`, then `G_1`, ...), so that two models built in one
 * process never collide on variable names (tfjs optimizers key their slots by variable name).
 */
export function uniquePath(base: string): string {
  const names = Object.keys(tf.engine().registeredVariables);
  const taken = (p: string) => names.some((n) => n === p || n.startsWith(`${p}/`));
  if (!taken(base)) return base;
  for (let i = 1; ; i++) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
}

/** A trainable variable `path/name` of `shape`, filled by `init` from `rng`. */
export function makeParam(
  path: string,
  name: string,
  shape: Shape,
  init: Initializer,
  rng: Rng,
): tf.Variable {
  // tidy frees the initial value once the variable holds its data (tidy never disposes variables)
  return tf.tidy(() =>
    tf.variable(tf.tensor(init(shape, rng), [...shape], 'float32'), true, `${path}/${name}`),
  );
}

/** A state tensor (not trainable) of `shape` filled by `init`. */
export function makeState(shape: Shape, init: Initializer, rng: Rng): tf.Tensor {
  return tf.tensor(init(shape, rng), [...shape], 'float32');
}

/** Looks up `key` in a tree, failing with a message naming the path when it is missing. */
export function child<T extends Leaf>(tree: Tree<T>, key: string, where: string): T {
  const v = tree[key];
  if (!isLeaf(v))
    throw new Error(
      `${where}: parameter or state '${key}' is missing (was the layer initialised with init()?)`,
    );
  return v as T;
}

/** Looks up the subtree `key`, failing with a message naming the path when it is missing. */
export function subtree<T extends Leaf>(tree: Tree<T>, key: string, where: string): Tree<T> {
  const v = tree[key];
  if (v == null || isLeaf(v))
    throw new Error(`${where}: sub-tree '${key}' is missing (was the layer initialised with init()?)`);
  return v as Tree<T>;
}
