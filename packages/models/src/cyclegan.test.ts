/** CycleGAN's and DiscoGAN's networks: shapes through the domains, reflection padding, options refused by name. */
import { useBackend } from '@gankit/backends';
import { build, disposeTree, flattenTree } from '@gankit/layers';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CYCLE_FORMAT, type CycleManifest, exportCycle, loadCycle } from './cycle-file.js';
import { cyclegan, discogan, resnetGenerator } from './cyclegan.js';
import { instantiate } from './network.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('CycleGAN networks', () => {
  it.each(['resnet', 'unet', 'encoder-decoder'] as const)(
    '%s generators map 28×28 A (grey) to B (colour) and back; PatchGANs give 5×5 logits',
    async (generator) => {
      const def = cyclegan({ generator, channelsB: 3, gFilters: 8, blocks: 2, dFilters: 8 });
      expect(def.shapeA).toEqual([28, 28, 1]);
      expect(def.shapeB).toEqual([28, 28, 3]);
      const nets = [def.generatorAB, def.generatorBA, def.discriminatorA, def.discriminatorB].map((d, i) =>
        instantiate(d, i + 1),
      );
      const [gab, gba, da, db] = nets as [
        (typeof nets)[0],
        (typeof nets)[0],
        (typeof nets)[0],
        (typeof nets)[0],
      ];
      const a = tf.tensor4d(
        seededUniform(2 * 784, 1).map((v) => v * 2 - 1),
        [2, 28, 28, 1],
      );
      const fake = gab.apply(gab.params, gab.state, a, { training: true }).out.images!;
      expect(fake.shape).toEqual([2, 28, 28, 3]);
      const back = gba.apply(gba.params, gba.state, fake, { training: true }).out.images!;
      expect(back.shape).toEqual([2, 28, 28, 1]);
      expect(Math.max(...Array.from(await back.data()).map(Math.abs))).toBeLessThanOrEqual(1); // tanh
      expect(da.apply(da.params, da.state, back, { training: true }).out.logits!.shape).toEqual([2, 5, 5, 1]);
      expect(db.apply(db.params, db.state, fake, { training: true }).out.logits!.shape).toEqual([2, 5, 5, 1]);
      // the two generators and the two discriminators have their own variables
      const names = nets.flatMap((n) => flattenTree(n.params).map(([, t]) => (t as tf.Variable).name));
      expect(new Set(names).size).toBe(names.length);
      expect(def.architecture).toBe(
        `${generator === 'encoder-decoder' ? 'discogan' : 'cyclegan'}-${generator}-28`,
      );
      tf.dispose([a, fake, back]);
      for (const n of nets) n.dispose();
    },
  );

  it('the ResNet generator pads by reflection, first and in each of its blocks at 7×7', () => {
    const net = build(resnetGenerator({ channels: 1, filters: 4, blocks: 3 }), {
      name: 'g',
      inputShape: [28, 28, 1],
      seed: 1,
    });
    const kinds = net.rows.map((r) => `${r.kind}:${r.outputShape.join('×')}`);
    expect(kinds[0]).toBe('ReflectionPad:34×34×1');
    // two reflection pads per residual block, around 7×7 maps of 16 channels
    expect(kinds.filter((k) => k === 'ReflectionPad:9×9×16')).toHaveLength(2 * 3);
    expect(net.outputShape).toEqual([28, 28, 1]);
    disposeTree(net.params);
  });

  it('DiscoGAN: encoder-decoder generators with batch norm; bad options are refused with the fix', () => {
    const def = discogan({ gFilters: 4, dFilters: 4 });
    const g = build(def.generatorAB.body, { name: 'g', inputShape: [28, 28, 1], seed: 1 });
    expect(g.rows.some((r) => r.kind === 'BatchNormalization')).toBe(true);
    expect(g.rows.some((r) => r.kind === 'Residual')).toBe(false);
    disposeTree(g.params);
    disposeTree(g.state);
    expect(() => cyclegan({ imageSize: 30 })).toThrow(/imageSize must be a multiple of 4, got 30/);
    expect(() => cyclegan({ generator: 'vgg' as never })).toThrow(/generator must be 'resnet', 'unet' or/);
    expect(() => resnetGenerator({ channels: 1, blocks: -1 })).toThrow(/blocks must be a whole number/);
  });
});

describe('exported generator pairs', () => {
  it('round-trip both generators through one file; a translator file is refused by name', async () => {
    const spec = {
      family: 'cyclegan',
      options: { imageSize: 8, gFilters: 4, blocks: 1, dFilters: 4, patchLayers: 1 },
    } as const;
    const def = cyclegan(spec.options);
    const [ab, ba] = [instantiate(def.generatorAB, 1), instantiate(def.generatorBA, 2)];
    const manifest = {
      format: CYCLE_FORMAT,
      model: spec,
      architecture: def.architecture,
      shapeA: [...def.shapeA],
      shapeB: [...def.shapeB],
      dataRange: def.dataRange,
      steps: 3,
    } satisfies CycleManifest;
    const loaded = loadCycle(await exportCycle(ab, ba, manifest), 'pair.safetensors');
    expect(loaded.manifest).toEqual(manifest);
    const x = tf.tensor4d(
      seededUniform(64, 3).map((v) => v * 2 - 1),
      [1, 8, 8, 1],
    );
    for (const [mine, theirs] of [
      [loaded.ab, ab],
      [loaded.ba, ba],
    ] as const) {
      const a = mine.apply(mine.params, mine.state, x, { training: false }).out.images!;
      const b = theirs.apply(theirs.params, theirs.state, x, { training: false }).out.images!;
      expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
      tf.dispose([a, b]);
    }
    const notPair = await exportCycle(ab, ba, { ...manifest, format: 'gankit-translator/1' as never });
    expect(() => loadCycle(notPair, 'g.safetensors')).toThrow(
      /g\.safetensors is not an unpaired generator pair \(format 'gankit-translator\/1', expected gankit-cycle\/1\)/,
    );
    x.dispose();
    for (const n of [ab, ba, loaded.ab, loaded.ba]) n.dispose();
  });
});
