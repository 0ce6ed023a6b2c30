/** Exported image-to-image generators: the file round trip, and translateImages in inference mode. */
import { useBackend } from '@gankit/backends';
import { seededUniform } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { instantiate } from './network.js';
import { srgan } from './srgan.js';
import {
  exportTranslator,
  loadTranslator,
  TRANSLATOR_FORMAT,
  type TranslatorManifest,
  translateImages,
} from './translator.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const spec = {
  family: 'srgan',
  options: { factor: 2, imageSize: 8, channels: 1, blocks: 1, filters: 8 },
} as const;

describe('translators', () => {
  it('round-trips through the file and translates in inference mode, into [0, 1]', async () => {
    const def = srgan(spec.options);
    const g = instantiate(def.generator, 3);
    const manifest: TranslatorManifest = {
      format: TRANSLATOR_FORMAT,
      model: spec,
      architecture: def.architecture,
      sourceShape: [...def.sourceShape],
      targetShape: [...def.targetShape],
      dataRange: def.dataRange,
      task: { kind: 'downscale', factor: 2 },
      ema: false,
      steps: 7,
    };
    const bytes = await exportTranslator(g, manifest);
    const loaded = loadTranslator(bytes, 'sr.safetensors');
    expect(loaded.manifest).toEqual(manifest);
    const x = tf.tensor4d(
      seededUniform(2 * 16, 1).map((v) => v * 2 - 1),
      [2, 4, 4, 1],
    );
    const a = translateImages(g, x, def.dataRange);
    const b = translateImages(loaded.network, x, def.dataRange);
    expect(a.shape).toEqual([2, 8, 8, 1]);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    const raw = tf.tidy(() => g.apply(g.params, g.state, x, { training: false }).out[g.def.main]!);
    const [lo, hi] = def.dataRange;
    const expected = Array.from(await raw.data(), (v) => Math.min(1, Math.max(0, (v - lo) / (hi - lo))));
    Array.from(await a.data()).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
    const before = tf.memory().numTensors;
    translateImages(g, x, def.dataRange).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, a, b, raw]);
    g.dispose();
    loaded.network.dispose();
  });

  it('refuses a file that is not a translator, naming what it is', async () => {
    const def = srgan(spec.options);
    const g = instantiate(def.generator, 3);
    const bytes = await exportTranslator(g, { format: 'gankit-generator/1' } as never);
    expect(() => loadTranslator(bytes, 'g.safetensors')).toThrow(
      /g\.safetensors is not an image-to-image generator \(format 'gankit-generator\/1', expected gankit-translator\/1\)/,
    );
    expect(() => loadTranslator(new Uint8Array([1, 2, 3]), 'junk.bin')).toThrow(/junk\.bin/);
    g.dispose();
  });
});
