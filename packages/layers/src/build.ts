import { rngFromSeed } from './rng.js';
import { summary } from './summary.js';
import { uniquePath } from './tree.js';
import type { InitResult, Layer, Shape } from './types.js';

export interface Built extends InitResult {
  /** The root of every variable name of this instance (`G`, or `G_1` when a `G` already exists). */
  path: string;
  name: string;
  inputShape: Shape;
  /** The Keras-style summary. */
  summary(): string;
}

/**
 * Initialises `layer` as a model: seeded parameters under a root name unique in the engine, output shape and
 * summary rows.
 *
 * @example const g = build(seedKerasGenerator(), { name: 'generator', inputShape: [100], seed: 1 });
 */
export function build(layer: Layer, options: { name: string; inputShape: Shape; seed: number }): Built {
  const path = uniquePath(options.name);
  const result = layer.init(rngFromSeed(options.seed), options.inputShape, path);
  return {
    ...result,
    path,
    name: options.name,
    inputShape: options.inputShape,
    summary: () => summary(options.name, result.rows),
  };
}
