/** The image-to-image networks: U-Net, PatchGAN (receptive fields), inpainting's composite, SRGAN. */
import { useBackend } from '@gankit/backends';
import { build, countParams, disposeTree, flattenTree } from '@gankit/layers';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { instantiate } from './network.js';
import { PATCH_SIZES, patchgan } from './patchgan.js';
import { inpainting, pix2pix } from './pix2pix.js';
import { srgan } from './srgan.js';
import { unet } from './unet.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const input = (shape: [number, number, number, number], seed: number) =>
  tf.tensor(
    seededUniform(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  ) as tf.Tensor4D;

describe('image-to-image networks', () => {
  it.each([28, 32, 17])(
    'U-Net keeps a %i-pixel image’s size through odd levels; dropout only in training',
    async (size) => {
      const net = build(unet({ filters: [8, 16, 16, 16, 16], channels: 3, dropoutLayers: 2 }), {
        name: 'u',
        inputShape: [size, size, 1],
        seed: 1,
      });
      expect(net.outputShape).toEqual([size, size, 3]);
      const x = input([2, size, size, 1], 2);
      const layer = unet({ filters: [8, 16, 16, 16, 16], channels: 3, dropoutLayers: 2 });
      const a = layer.apply(net.params, net.state, x, { training: false }).y;
      const b = layer.apply(net.params, net.state, x, { training: false }).y;
      expect(a.shape).toEqual([2, size, size, 3]);
      expect(await a.data()).toEqual(await b.data());
      const t1 = layer.apply(net.params, net.state, x, { training: true, rng: 1 });
      const t2 = layer.apply(net.params, net.state, x, { training: true, rng: 2 });
      expect(Array.from(await t1.y.data())).not.toEqual(Array.from(await t2.y.data()));
      const max = Math.max(...Array.from(await a.data()).map(Math.abs));
      expect(max).toBeLessThanOrEqual(1); // tanh
      tf.dispose([x, a, b, t1.y, t2.y]);
      disposeTree(t1.state);
      disposeTree(t2.state);
      disposeTree(net.params);
      disposeTree(net.state);
    },
  );

  it('U-Net skips carry the input: with every deeper encoder level zeroed, the output still follows the input', async () => {
    const layer = unet({
      filters: [8, 8, 8, 8, 8],
      channels: 1,
      norm: 'none',
      dropoutLayers: 0,
      output: 'linear',
    });
    const net = build(layer, { name: 'u', inputShape: [28, 28, 1], seed: 3 });
    for (const [path, v] of flattenTree(net.params))
      if (/^down[1-4]\//.test(path)) (v as tf.Variable).assign(tf.zerosLike(v));
    const run = (x: tf.Tensor) => layer.apply(net.params, {}, x, { training: false }).y;
    // the bottleneck now carries nothing: only the outermost skip (encoder level 0 → decoder level 0) reaches the output
    const a = await run(input([1, 28, 28, 1], 4)).data();
    const b = await run(input([1, 28, 28, 1], 5)).data();
    expect(Array.from(a)).not.toEqual(Array.from(b));
    disposeTree(net.params);
  });

  it.each([1, 2, 3] as const)('PatchGAN with %i stride-2 layers sees %s-pixel patches', async (layers) => {
    const size = 128;
    const layer = patchgan({ layers, filters: 4, norm: 'none' });
    const net = build(layer, { name: 'd', inputShape: [size, size, 2], seed: 5 });
    const [ph] = net.outputShape as number[];
    const centre = Math.floor(ph! / 2);
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(
        tf.slice(layer.apply(net.params, {}, x, { training: false }).y, [0, centre, centre, 0], [1, 1, 1, 1]),
      ),
    )(input([1, size, size, 2], 6));
    const grad = await g.data();
    const rows = new Set<number>();
    const cols = new Set<number>();
    for (let i = 0; i < size * size * 2; i++)
      if (grad[i] !== 0) {
        const p = Math.floor(i / 2);
        rows.add(Math.floor(p / size));
        cols.add(p % size);
      }
    const extent = (s: Set<number>) => Math.max(...s) - Math.min(...s) + 1;
    expect([extent(rows), extent(cols)]).toEqual([PATCH_SIZES[layers], PATCH_SIZES[layers]]);
    disposeTree(net.params);
  });

  it('pix2pix: D judges (source, target) pairs patch by patch; 28×28 with 2 layers gives 5×5 logits', () => {
    const gan = pix2pix({ sourceChannels: 1, targetChannels: 3 });
    const g = instantiate(gan.generator, 1);
    const d = instantiate(gan.discriminator, 2);
    expect(g.outputShapes.images).toEqual([28, 28, 3]);
    expect(gan.discriminator.inputShape).toEqual([28, 28, 4]);
    expect(d.outputShapes.logits).toEqual([5, 5, 1]);
    expect(gan.pairedD).toBe(true);
    g.dispose();
    d.dispose();
    expect(() => pix2pix({ imageSize: 8, gFilters: [4, 4, 4, 4, 4, 4] })).toThrow(/give at most 4 gFilters/);
  });

  it('inpainting: the output is the input outside the hole, exactly; a global and a local D', async () => {
    const gan = inpainting({ channels: 1, gFilters: [8, 8, 8, 8, 8] });
    const g = instantiate(gan.generator, 1);
    const image = input([2, 28, 28, 1], 7);
    const mask = tf.tensor4d(
      Array.from({ length: 2 * 28 * 28 }, (_, i) => (i % 28 >= 10 && i % 28 < 20 ? 1 : 0)),
      [2, 28, 28, 1],
    );
    const source = tf.concat([tf.mul(image, tf.sub(1, mask)), mask], -1);
    const out = await g.apply(g.params, g.state, source, { training: false }).out.images!.data();
    const [img, m] = [await image.data(), await mask.data()];
    for (let i = 0; i < img.length; i++) if (m[i] === 0) expect(out[i]).toBe(img[i]);
    expect(instantiate(gan.discriminator, 2).outputShapes.logits).toEqual([1]);
    expect(instantiate(gan.localDiscriminator!, 3).outputShapes.logits).toEqual([5, 5, 1]);
    g.dispose();
  });

  it.each([2, 4] as const)('SRGAN ×%i: G upsamples by sub-pixel blocks, D gives one logit', (factor) => {
    const gan = srgan({ factor });
    const g = instantiate(gan.generator, 1);
    const d = instantiate(gan.discriminator, 2);
    expect(gan.sourceShape).toEqual([28 / factor, 28 / factor, 1]);
    expect(g.outputShapes.images).toEqual([28, 28, 1]);
    expect(d.outputShapes.logits).toEqual([1]);
    expect(countParams(g.params)).toBeGreaterThan(0);
    const y = g.apply(g.params, g.state, tf.zeros([2, ...gan.sourceShape]), { training: true }).out.images!;
    expect(y.shape).toEqual([2, 28, 28, 1]);
    g.dispose();
    d.dispose();
    expect(() => srgan({ factor: 3 as 2 })).toThrow(/factor must be 2 or 4, got 3/);
  });
});
