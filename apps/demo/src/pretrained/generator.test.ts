import { useBackend } from '@gankit/backends';
import { saveTrees } from '@gankit/layers';
import {
  exportGenerator,
  GENERATOR_FORMAT,
  type GeneratorManifest,
  ganFromSpec,
  instantiate,
  type ModelSpec,
} from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeGenerator, LoadedGenerator } from './generator.js';
import { gridLatents } from './latent.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** A generator file as `gankit export` writes it, for a small model. */
async function exported(model: ModelSpec, over: Partial<GeneratorManifest> = {}): Promise<Uint8Array> {
  const gan = ganFromSpec(model);
  const g = instantiate(gan.generator, 5);
  const manifest: GeneratorManifest = {
    format: GENERATOR_FORMAT,
    model,
    architecture: gan.architecture,
    latentDim: gan.latentDim,
    dataShape: gan.dataShape,
    ...(gan.dataRange ? { dataRange: gan.dataRange as [number, number] } : {}),
    ...(gan.classes != null ? { classes: gan.classes, classNames: ['zero', 'one', 'two'] } : {}),
    ema: true,
    steps: 1234,
    info: { preset: 'quick', dataset: 'mnist' },
    ...over,
  };
  const bytes = await exportGenerator(g, manifest);
  g.dispose();
  return bytes;
}

const small: ModelSpec = { family: 'cgan', options: { imageSize: 28, width: 4, latentDim: 8, classes: 3 } };

describe('LoadedGenerator', () => {
  it('reads an exported cGAN and draws images of the asked classes, leaving no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const gen = new LoadedGenerator(await exported(small), 'small.safetensors');
    expect(gen.imageShape).toEqual([28, 28, 1]);
    expect(gen.range).toEqual([-1, 1]);
    expect(gen.classes).toBe(3);
    expect(gen.classNames).toEqual(['zero', 'one', 'two']);
    expect(gen.styles).toBeUndefined(); // no W space: the page keeps its z controls
    const { z, labels } = gridLatents(gen.gan, { cols: 4, rows: 2, seed: 1, choice: 2 });
    const out = await gen.generate(z, labels);
    tf.dispose([z, labels!]);
    expect(out.shape).toEqual([8, 28, 28, 1]);
    expect(out.values).toHaveLength(8 * 784);
    expect(out.values.every((v) => v >= -1 && v <= 1)).toBe(true);
    gen.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(gen.generate(tf.zeros([1, 8]) as tf.Tensor2D)).rejects.toThrow(/was unloaded/);
  });

  it('says what is wrong with a file that is not a gankit image generator', async () => {
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    expect(() => new LoadedGenerator(random, 'noise.safetensors')).toThrow(
      /^noise.safetensors is not a gankit generator: /,
    );
    expect(() => new LoadedGenerator(new Uint8Array(0), 'empty.safetensors')).toThrow(
      /empty.safetensors is not a gankit generator/,
    );
    const w = tf.variable(tf.zeros([2]));
    const bare = await saveTrees({ params: { w } }, {});
    w.dispose();
    expect(() => new LoadedGenerator(bare, 'bare.safetensors')).toThrow(
      /not a gankit generator \(no 'gankit' manifest\)/,
    );
    const points = await exported({ family: 'gan-lab-mlp' });
    expect(() => new LoadedGenerator(points, 'ring.safetensors')).toThrow(
      /ring.safetensors: .* makes data of shape \[2\], not images/,
    );
    const wrong = await exported(small, {
      model: { family: 'cgan', options: { imageSize: 28, width: 8, latentDim: 8, classes: 3 } },
    });
    expect(() => new LoadedGenerator(wrong, 'wrong.safetensors')).toThrow(
      /wrong.safetensors: its weights do not fit/,
    );
  });

  it('describes the manifest: architecture, steps, dataset, weights', async () => {
    const gen = new LoadedGenerator(await exported(small), 'small.safetensors', 2 * 1024 * 1024);
    expect(describeGenerator(gen.manifest, { fileName: gen.fileName, byteLength: gen.byteLength })).toEqual([
      ['architecture', 'cgan-28'],
      ['dataset', 'mnist'],
      ['training steps', '1,234'],
      ['weights', "EMA of G's weights"],
      ['latent size', '8'],
      ['images', '28 × 28 × 1'],
      ['classes', '3'],
      ['preset', 'quick'],
      ['file', 'small.safetensors (2.00 MB)'],
    ]);
    const noInfo = { ...gen.manifest, info: undefined, classes: undefined, ema: false };
    const rows = Object.fromEntries(describeGenerator(noInfo, { dataset: 'fashion-mnist' }));
    expect(rows).toMatchObject({
      dataset: 'fashion-mnist',
      classes: 'none (unconditional)',
      weights: "G's weights",
    });
    gen.dispose();
  });
});
