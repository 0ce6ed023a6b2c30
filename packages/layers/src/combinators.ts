import * as tf from '@tensorflow/tfjs-core';
import { splitRng } from './rng.js';
import { subtree } from './tree.js';
import type {
  ApplyCtx,
  InitResult,
  Layer,
  LayerOptions,
  ParamTree,
  Rng,
  Shape,
  StateTree,
  SummaryRow,
} from './types.js';

/** Keras's layer naming: `Conv2DTranspose` → `conv2d_transpose`, `LeakyReLU` → `leaky_re_lu`. */
export function snakeCase(kind: string): string {
  const base = kind.replace(/<.*$/, ''); // SpectralNorm<Conv2D> → SpectralNorm
  return base
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Names for children: their own, or Keras-style `kind`, `kind_1`, ... counted per container. */
function childNames(layers: readonly Layer[], where: string): string[] {
  const counts = new Map<string, number>();
  const names = layers.map((l) => {
    if (l.name != null) return l.name;
    const base = snakeCase(l.kind);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
  const seen = new Set<string>();
  for (const n of names) {
    if (n.includes('/')) throw new Error(`${where}: layer name '${n}' must not contain '/'`);
    if (seen.has(n)) throw new Error(`${where}: two layers are named '${n}'; give them distinct names`);
    seen.add(n);
  }
  return names;
}

function put(tree: ParamTree | StateTree, name: string, sub: ParamTree | StateTree): void {
  if (Object.keys(sub).length > 0) (tree as Record<string, unknown>)[name] = sub;
}

const sub = <T extends ParamTree | StateTree>(tree: T, name: string, where: string): T =>
  (name in tree ? subtree(tree as StateTree, name, where) : {}) as T;

const childRngs = (ctx: ApplyCtx, n: number): (Rng | undefined)[] =>
  ctx.rng == null ? new Array(n).fill(undefined) : splitRng(ctx.rng, n);

/**
 * Layers applied one after another. Children are named as Keras names them (`dense`, `leaky_re_lu_1`, ...) unless
 * named, and their parameters and state sit under those names.
 *
 * @example sequential([dense({ units: 6272 }), leakyRelu(0.2), reshape([7, 7, 128])])
 */
export function sequential(layers: readonly Layer[], options: LayerOptions = {}): Layer {
  if (layers.length === 0) throw new Error('sequential: needs at least one layer');
  const names = childNames(layers, 'sequential');
  return {
    kind: 'Sequential',
    name: options.name,
    init(rng, inputShape, path) {
      const rngs = splitRng(rng, layers.length);
      const params: ParamTree = {};
      const state: StateTree = {};
      const rows: SummaryRow[] = [];
      let shape: Shape = inputShape;
      layers.forEach((layer, i) => {
        const r = layer.init(rngs[i]!, shape, `${path}/${names[i]}`);
        put(params, names[i]!, r.params);
        put(state, names[i]!, r.state);
        rows.push(...r.rows);
        shape = r.outputShape;
      });
      return { params, state, outputShape: shape, rows };
    },
    apply(params, state, x, ctx) {
      const rngs = childRngs(ctx, layers.length);
      const next: StateTree = {};
      let y = x;
      layers.forEach((layer, i) => {
        const name = names[i]!;
        const r = layer.apply(sub(params, name, 'sequential'), sub(state, name, 'sequential'), y, {
          ...ctx,
          rng: rngs[i],
        });
        put(next, name, r.state);
        y = r.y;
      });
      return { y, state: next };
    },
  };
}

/**
 * Branches applied to the same input, their outputs concatenated on the last axis (e.g. an image path and a
 * label path, or several receptive fields).
 */
export function concat(layers: readonly Layer[], options: LayerOptions = {}): Layer {
  if (layers.length === 0) throw new Error('concat: needs at least one branch');
  const names = childNames(layers, 'concat');
  return {
    kind: 'Concatenate',
    name: options.name,
    init(rng, inputShape, path) {
      const rngs = splitRng(rng, layers.length);
      const results: InitResult[] = layers.map((l, i) => l.init(rngs[i]!, inputShape, `${path}/${names[i]}`));
      const lead = results[0]!.outputShape.slice(0, -1);
      for (const r of results) {
        if (
          r.outputShape.length !== lead.length + 1 ||
          r.outputShape.slice(0, -1).some((d, i) => d !== lead[i])
        ) {
          throw new Error(
            `concat: branch outputs [${results.map((x) => `[${x.outputShape}]`).join(', ')}] differ before the last axis`,
          );
        }
      }
      const params: ParamTree = {};
      const state: StateTree = {};
      results.forEach((r, i) => {
        put(params, names[i]!, r.params);
        put(state, names[i]!, r.state);
      });
      const last = results.reduce((n, r) => n + r.outputShape[r.outputShape.length - 1]!, 0);
      return { params, state, outputShape: [...lead, last], rows: results.flatMap((r) => r.rows) };
    },
    apply(params, state, x, ctx) {
      const rngs = childRngs(ctx, layers.length);
      const next: StateTree = {};
      const ys = layers.map((layer, i) => {
        const name = names[i]!;
        const r = layer.apply(sub(params, name, 'concat'), sub(state, name, 'concat'), x, {
          ...ctx,
          rng: rngs[i],
        });
        put(next, name, r.state);
        return r.y;
      });
      return { y: tf.concat(ys, x.rank - 1), state: next };
    },
  };
}

/** `y = body(x) + shortcut(x)`, the shortcut being the identity unless given (e.g. a 1×1 convolution). */
export function residual(body: Layer, shortcut?: Layer, options: LayerOptions = {}): Layer {
  const parts = shortcut ? [body, shortcut] : [body];
  const names = shortcut
    ? childNames(
        [
          { ...body, name: body.name ?? 'body' },
          { ...shortcut, name: shortcut.name ?? 'shortcut' },
        ],
        'residual',
      )
    : [body.name ?? 'body'];
  return {
    kind: 'Residual',
    name: options.name,
    init(rng, inputShape, path) {
      const rngs = splitRng(rng, parts.length);
      const results = parts.map((l, i) => l.init(rngs[i]!, inputShape, `${path}/${names[i]}`));
      const outShape = results[0]!.outputShape;
      const skipShape = results[1]?.outputShape ?? inputShape;
      if (outShape.length !== skipShape.length || outShape.some((d, i) => d !== skipShape[i])) {
        throw new Error(
          `residual: body output [${outShape}] and shortcut [${skipShape}] differ; add a shortcut layer that matches`,
        );
      }
      const params: ParamTree = {};
      const state: StateTree = {};
      results.forEach((r, i) => {
        put(params, names[i]!, r.params);
        put(state, names[i]!, r.state);
      });
      return { params, state, outputShape: outShape, rows: results.flatMap((r) => r.rows) };
    },
    apply(params, state, x, ctx) {
      const rngs = childRngs(ctx, parts.length);
      const next: StateTree = {};
      const ys = parts.map((layer, i) => {
        const name = names[i]!;
        const r = layer.apply(sub(params, name, 'residual'), sub(state, name, 'residual'), x, {
          ...ctx,
          rng: rngs[i],
        });
        put(next, name, r.state);
        return r.y;
      });
      return { y: tf.add(ys[0]!, ys[1] ?? x), state: next };
    },
  };
}
