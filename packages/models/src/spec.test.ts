import { useBackend } from '@gankit/backends';
import { saveTrees } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { latentBatch } from './latent.js';
import { instantiate } from './network.js';
import {
  exportGenerator,
  GENERATOR_FORMAT,
  type GeneratorManifest,
  ganFromSpec,
  loadGenerator,
  MODEL_FAMILIES,
  type ModelSpec,
} from './spec.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('model specs', () => {
  it('build every family, and name the known ones for an unknown family', () => {
    for (const family of MODEL_FAMILIES) {
      const gan = ganFromSpec({ family } as ModelSpec);
      expect(gan.generator.role).toBe('generator');
    }
    expect(ganFromSpec({ family: 'dcgan', options: { imageSize: 28, width: 8 } }).dataShape).toEqual([
      28, 28, 1,
    ]);
    expect(() => ganFromSpec({ family: 'biggan' } as never)).toThrow(
      /unknown model family 'biggan'; known: dcgan, cgan/,
    );
  });
});

describe('latentBatch', () => {
  it('is seeded, truncates, cycles classes and writes InfoGAN codes', async () => {
    const gan = ganFromSpec({ family: 'cgan', options: { imageSize: 28, width: 8, latentDim: 16 } });
    const a = latentBatch(gan, 12, 5);
    const b = latentBatch(gan, 12, 5);
    expect(Array.from(await a.z.data())).toEqual(Array.from(await b.z.data()));
    expect(Array.from(await a.labels!.data())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const t = latentBatch(gan, 200, 1, { truncation: 0.5, label: 3 });
    expect(Math.max(...Array.from(await t.z.data()).map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(new Set(await t.labels!.data())).toEqual(new Set([3]));
    expect(() => latentBatch(gan, 2, 1, { label: 10 })).toThrow(
      /class must be an integer from 0 to 9, got 10/,
    );
    expect(() => latentBatch(gan, 2, 1, { truncation: 0 })).toThrow(/truncation must be a positive/);
    expect(() => latentBatch(ganFromSpec({ family: 'dcgan' }), 2, 1, { label: 1 })).toThrow(/no classes/);

    const info = ganFromSpec({ family: 'infogan' }); // 62 noise + 10 categorical + 2 continuous
    const c = latentBatch(info, 4, 2, { label: 7 });
    const z = await c.z.array();
    for (const row of z) {
      expect(row.slice(62, 72)).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
      for (const v of row.slice(72)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
    expect(c.labels).toBeUndefined();
    tf.dispose([a.z, a.labels!, b.z, b.labels!, t.z, t.labels!, c.z]);
  });
});

describe('exported generators', () => {
  const spec: ModelSpec = { family: 'cgan', options: { imageSize: 28, width: 8, latentDim: 16 } };
  const manifestFor = (gan: ReturnType<typeof ganFromSpec>): GeneratorManifest => ({
    format: GENERATOR_FORMAT,
    model: spec,
    architecture: gan.architecture,
    latentDim: gan.latentDim,
    dataShape: gan.dataShape,
    dataRange: gan.dataRange,
    classes: gan.classes,
    ema: false,
    steps: 3,
  });

  it('round-trip: the loaded generator gives the same images (batch-norm statistics included)', async () => {
    const gan = ganFromSpec(spec);
    const g = instantiate(gan.generator, 4);
    // non-default running statistics, so that a state mix-up would show
    const { z, labels } = latentBatch(gan, 6, 1);
    const trained = g.apply(g.params, g.state, z, { training: true, labels });
    tf.dispose(trained.out.images);
    g.state = trained.state;
    const bytes = await exportGenerator(g, manifestFor(gan));
    const loaded = loadGenerator(bytes, 'gen.safetensors');
    expect(loaded.manifest).toMatchObject({ format: GENERATOR_FORMAT, steps: 3, classes: 10 });
    const ctx = { training: false, labels };
    const before = g.apply(g.params, g.state, z, ctx).out.images!;
    const after = loaded.network.apply(loaded.network.params, loaded.network.state, z, ctx).out.images!;
    expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
    tf.dispose([before, after, z, labels!]);
    g.dispose();
    loaded.network.dispose();
  });

  it('name what is wrong with a malformed file', async () => {
    expect(() => loadGenerator(new Uint8Array([1, 2, 3]), 'x.bin')).toThrow(
      /x.bin is not a gankit generator/,
    );
    const gan = ganFromSpec(spec);
    const g = instantiate(gan.generator, 1);
    const plain = await saveTrees({ params: g.params, state: g.state });
    expect(() => loadGenerator(plain, 'w.safetensors')).toThrow(
      /not a gankit generator \(no 'gankit' manifest\)/,
    );
    const old = await exportGenerator(g, { ...manifestFor(gan), format: 'gankit-generator/0' as never });
    expect(() => loadGenerator(old)).toThrow(/format 'gankit-generator\/0' is not gankit-generator\/1/);
    const wrongModel = await exportGenerator(g, {
      ...manifestFor(gan),
      model: { family: 'cgan', options: { imageSize: 28, width: 16, latentDim: 16 } },
    });
    expect(() => loadGenerator(wrongModel)).toThrow(/weights do not fit cgan-28/);
    const unknown = await exportGenerator(g, { ...manifestFor(gan), model: { family: 'biggan' } as never });
    expect(() => loadGenerator(unknown)).toThrow(/unknown model family 'biggan'/);
    g.dispose();
  });
});
