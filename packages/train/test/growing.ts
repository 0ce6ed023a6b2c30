import type { Layer, ParamTree, StateTree } from '@gankit/layers';
import { dense } from '@gankit/layers';
import type { GanDef, NetworkDef } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A generator that grows once: `stages` 1 is base → out0; `stages` 2 adds block1 → out1 and blends the two outputs
 * with the fade-in α (ProGAN's fade in miniature). Parameters have the same paths in both, so the grown one takes
 * over what was learnt.
 */
export function growing(stages: 1 | 2): Layer {
  const parts = {
    base: dense({ units: 16 }),
    out0: dense({ units: 2 }),
    block1: dense({ units: 16 }),
    out1: dense({ units: 2 }),
  };
  const used = stages === 1 ? (['base', 'out0'] as const) : (['base', 'out0', 'block1', 'out1'] as const);
  return {
    kind: 'Growing',
    name: 'growing',
    init(rng, inputShape, path) {
      const params: ParamTree = {};
      const rows = [];
      const shapes: Record<string, readonly number[]> = {
        base: inputShape,
        out0: [16],
        block1: [16],
        out1: [16],
      };
      for (const [i, key] of used.entries()) {
        const r = parts[key].init(rng + i, shapes[key]!, `${path}/${key}`);
        params[key] = r.params;
        rows.push(...r.rows);
      }
      return { params, state: {}, outputShape: [2], rows };
    },
    apply(params, state: StateTree, x, ctx) {
      const call = (key: keyof typeof parts, input: tf.Tensor) =>
        parts[key].apply(params[key] as ParamTree, {}, input, ctx).y;
      const h = tf.leakyRelu(call('base', x), 0.2);
      const old = call('out0', h);
      if (stages === 1) return { y: old, state };
      const grown = call('out1', tf.leakyRelu(call('block1', h), 0.2));
      const alpha = ctx.alpha ?? 1;
      return { y: tf.add(tf.mul(old, 1 - alpha), tf.mul(grown, alpha)), state };
    },
  };
}

/** `gan`'s generator made of {@link growing} layers: a network of the problem that grows at a phase. */
export function growingGenerator(gan: GanDef, stages: 1 | 2): NetworkDef {
  return { ...gan.generator, architecture: `growing-${stages}`, body: growing(stages) };
}
