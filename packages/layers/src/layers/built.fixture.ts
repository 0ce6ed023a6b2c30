import { useBackend } from '@gankit/backends';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type Built, build } from '../build.js';
import { disposeTree } from '../tree.js';
import type { Layer, Shape } from '../types.js';

/**
 * A describe block's layers on `backend`: returns `make(layer, shape, seed)`, which builds a layer named `name`; after
 * each test every built parameter and state tensor is disposed and no tensor may be left over (no leaks).
 */
export function builtOn(
  backend: 'cpu' | 'wasm',
  name: string,
): (layer: Layer, shape: Shape, seed?: number) => Built {
  let built: Built[] = [];
  let tensorsBefore = 0;
  beforeAll(async () => {
    await useBackend(backend);
  });
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
    built = [];
  });
  afterEach(() => {
    for (const b of built) {
      disposeTree(b.params);
      disposeTree(b.state);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
  return (layer, shape, seed = 1) => {
    const b = build(layer, { name, inputShape: shape, seed });
    built.push(b);
    return b;
  };
}
