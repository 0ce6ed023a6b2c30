import { useBackend } from '@gankit/backends';
import { flattenTree, type ParamTree } from '@gankit/layers';
import { checkGradients, maxRelativeError, seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instantiate, type Network } from './network.js';
import { progan } from './progan.js';
import { exportGenerator, GENERATOR_FORMAT, loadGenerator } from './spec.js';

const data = (t: tf.Tensor) => Array.from(t.dataSync());
const paths = (n: Network) => new Map(flattenTree(n.params).map(([p, v]) => [p, v.shape.join('×')]));
/** Copies every parameter of `from` into `to` where the path and shape agree (what a phase change does). */
const carry = (to: ParamTree, from: ParamTree) => {
  const source = new Map(flattenTree(from));
  for (const [p, v] of flattenTree(to)) {
    const s = source.get(p);
    if (s && s.shape.join() === v.shape.join()) (v as tf.Variable).assign(s);
  }
};

let built: Network[] = [];
const make = (...args: Parameters<typeof instantiate>) => {
  const n = instantiate(...args);
  built.push(n);
  return n;
};
let before = 0;

beforeAll(async () => {
  await useBackend('cpu');
});
beforeEach(() => {
  built = [];
  before = tf.memory().numTensors;
});
afterEach(() => {
  for (const n of built) n.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

describe('progan', () => {
  const gan = progan({ imageSize: 28, latentDim: 16, widths: [16, 12, 8] });
  const stages = gan.stages!;
  const z = () => tf.tensor2d(seededUniform(8 * 16, 1, -2, 2), [8, 16]);

  it('grows 7 → 14 → 28 (and 4 → … → 32): image and logit shapes at every stage, fading included', () => {
    expect(stages.map((s) => s.resolution)).toEqual([7, 14, 28]);
    expect(progan({ imageSize: 32 }).stages!.map((s) => s.resolution)).toEqual([4, 8, 16, 32]);
    expect(stages[0]!.fading).toBeUndefined();
    for (const s of stages)
      for (const nets of [s, s.fading].filter((n) => n != null)) {
        const g = make(nets.generator, 1);
        const d = make(nets.discriminator, 2);
        expect(g.outputShapes.images).toEqual([s.resolution, s.resolution, 1]);
        expect(nets.discriminator.inputShape).toEqual([s.resolution, s.resolution, 1]);
        tf.tidy(() => {
          const images = g.apply(g.params, g.state, z(), { training: true, alpha: 0.3 }).out.images!;
          expect(images.shape).toEqual([8, s.resolution, s.resolution, 1]);
          expect(
            d.apply(d.params, d.state, images, { training: true, alpha: 0.3 }).out.logits!.shape,
          ).toEqual([8, 1]);
        });
      }
    expect(gan.generator.inputShape).toEqual([16]);
    expect(gan.dataShape).toEqual([28, 28, 1]);
    expect(() => progan({ imageSize: 64 as 28 })).toThrow(/imageSize must be 28 \(7 → 14 → 28\) or 32/);
    expect(() => progan({ widths: [8, 8] })).toThrow(/one width per resolution \(7, 14, 28\), got 2/);
  });

  it('keeps parameter paths as it grows: each stage’s parameters are in the next (same shapes), only toRGB/fromRGB of the old resolution leave', () => {
    const order = stages.flatMap((s) => [...(s.fading ? [s.fading] : []), s]);
    for (const role of ['generator', 'discriminator'] as const)
      for (let i = 1; i < order.length; i++) {
        const prev = paths(make(order[i - 1]![role], 1));
        const next = paths(make(order[i]![role], 1));
        for (const [p, shape] of prev)
          if (!/^(rgb|from)\d+\//.test(p) || next.has(p)) expect(next.get(p), p).toBe(shape);
      }
    const g = paths(make(stages[2]!.fading!.generator, 1));
    expect([...g.keys()].filter((p) => p.includes('rgb'))).toEqual([
      'rgb14/kernel',
      'rgb14/bias',
      'rgb28/kernel',
      'rgb28/bias',
    ]);
    // a part starts the same in every stage (its own random stream)
    const a = make(stages[0]!.generator, 5);
    const b = make(stages[2]!.generator, 5);
    const p = 'b7/dense/kernel';
    expect(data(new Map(flattenTree(b.params)).get(p)!)).toEqual(
      data(new Map(flattenTree(a.params)).get(p)!),
    );
  });

  it("G's output fade: α = 0 is the upsampled old toRGB, α = 1 the new one, α = 0.5 their mean (absent α: 1)", () => {
    const old = make(stages[0]!.generator, 1);
    const next = make(stages[1]!.generator, 2);
    const fading = make(stages[1]!.fading!.generator, 3);
    carry(next.params, old.params); // one set of weights: the blocks both share, each own toRGB/fromRGB
    carry(fading.params, next.params);
    carry(fading.params, old.params);
    tf.tidy(() => {
      const latent = z();
      const run = (n: Network, alpha?: number) =>
        n.apply(n.params, n.state, latent, { training: true, ...(alpha != null ? { alpha } : {}) }).out
          .images!;
      // hand-computed references: nearest ×2 of the 7×7 image, and the 14×14 one
      const low = data(run(old));
      const up: number[] = [];
      for (let b = 0; b < 8; b++)
        for (let i = 0; i < 14; i++)
          for (let j = 0; j < 14; j++) up.push(low[b * 49 + Math.floor(i / 2) * 7 + Math.floor(j / 2)]!);
      const high = data(run(next));
      expect(maxRelativeError(data(run(fading, 0)), up)).toBeLessThan(1e-5);
      expect(maxRelativeError(data(run(fading, 1)), high)).toBeLessThan(1e-5);
      expect(maxRelativeError(data(run(fading)), high)).toBeLessThan(1e-5);
      expect(
        maxRelativeError(
          data(run(fading, 0.5)),
          up.map((u, k) => (u + high[k]!) / 2),
        ),
      ).toBeLessThan(1e-5);
      expect(Math.max(...up.map((u, k) => Math.abs(u - high[k]!)))).toBeGreaterThan(0.01); // the paths differ
    });
  });

  it("D's input fade: α = 0 judges the 2×-pooled image with the old fromRGB, α = 1 the new path", () => {
    const old = make(stages[0]!.discriminator, 1);
    const next = make(stages[1]!.discriminator, 2);
    const fading = make(stages[1]!.fading!.discriminator, 3);
    carry(next.params, old.params); // one set of weights: the blocks both share, each own toRGB/fromRGB
    carry(fading.params, next.params);
    carry(fading.params, old.params);
    tf.tidy(() => {
      const x = tf.tensor4d(seededUniform(8 * 14 * 14, 4), [8, 14, 14, 1]);
      const run = (n: Network, input: tf.Tensor, alpha?: number) =>
        data(
          n.apply(n.params, n.state, input, { training: true, ...(alpha != null ? { alpha } : {}) }).out
            .logits!,
        );
      expect(maxRelativeError(run(fading, x, 0), run(old, tf.avgPool(x, 2, 2, 'valid')))).toBeLessThan(1e-5);
      expect(maxRelativeError(run(fading, x, 1), run(next, x))).toBeLessThan(1e-5);
    });
  });

  it('the gradient penalty through a fading D (α = 0.5: the lerp, the pooled input path) agrees with finite differences', async () => {
    const small = progan({ imageSize: 28, latentDim: 4, widths: [2, 2, 2] });
    const d = make(small.stages![1]!.fading!.discriminator, 3);
    const x = tf.tensor4d(seededUniform(4 * 14 * 14, 8), [4, 14, 14, 1]);
    const at = (tree: ParamTree, path: string[], value: tf.Tensor): ParamTree => {
      const [head, ...rest] = path;
      return {
        ...tree,
        [head!]: rest.length ? at(tree[head!] as ParamTree, rest, value) : (value as tf.Variable),
      };
    };
    const leaves = [
      ['from7', 'conv2d', 'kernel'],
      ['from14', 'conv2d', 'kernel'],
      ['b14', 'conv2d', 'kernel'],
    ];
    const start = leaves.map((p) => tf.clone(new Map(flattenTree(d.params)).get(p.join('/'))!));
    // R1/WGAN-GP's form: mean over the batch of (‖∇ₓD(x)‖ − 1)², differentiated w.r.t. D's weights
    const penalty = (...ws: tf.Tensor[]) => {
      const params = leaves.reduce((tree, p, i) => at(tree, p, ws[i]!), d.params);
      const grad = tf.grad((input: tf.Tensor) =>
        tf.sum(d.apply(params, d.state, input, { training: true, alpha: 0.5 }).out.logits!),
      )(x);
      const norm = tf.sqrt(tf.add(tf.sum(tf.square(grad), [1, 2, 3]), 1e-12));
      return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
    };
    const r = await checkGradients(penalty, start, { samples: 8 });
    expect(r.failures).toEqual([]);
    expect(r.checked).toBeGreaterThan(8);
    tf.dispose([x, ...start]);
  });

  it('an exported grown generator reloads at its final resolution with the same output', async () => {
    const g = make(gan.generator, 7);
    const bytes = await exportGenerator(g, {
      format: GENERATOR_FORMAT,
      model: { family: 'progan', options: { imageSize: 28, latentDim: 16, widths: [16, 12, 8] } },
      architecture: gan.architecture,
      latentDim: 16,
      dataShape: [28, 28, 1],
      dataRange: [-1, 1],
      ema: true,
      steps: 10,
    });
    const { network, gan: loaded, manifest } = loadGenerator(bytes);
    built.push(network);
    expect(manifest.model.family).toBe('progan');
    expect(loaded.stages?.length).toBe(3);
    tf.tidy(() => {
      const latent = z();
      const a = g.apply(g.params, g.state, latent, { training: false }).out.images!;
      const b = network.apply(network.params, network.state, latent, { training: false }).out.images!;
      expect(b.shape).toEqual([8, 28, 28, 1]);
      expect(maxRelativeError(data(b), data(a))).toBe(0);
    });
  });
});
