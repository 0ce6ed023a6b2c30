/** Image-to-image problems: pix2pix, inpainting and SRGAN train, keep their tensors, and resume exactly across SRGAN's phase change. */
import { useBackend } from '@gankit/backends';
import { type ImageDataset, PairedBatcher, type PairedTask } from '@gankit/datasets';
import { flattenTree, uniformStream } from '@gankit/layers';
import { inpainting, pix2pix, srgan } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import { pairedSource } from './sources.js';
import { createTranslationTrainer } from './translation.js';
import type { TranslationConfig } from './translation-config.js';

/** 64 seeded 8×8 grey images: a bright square on dark, at a random place. */
function squares(): ImageDataset {
  const u = uniformStream(9);
  const images = new Uint8Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const [y0, x0] = [Math.floor(u() * 5), Math.floor(u() * 5)];
    for (let y = y0; y < y0 + 3; y++) for (let x = x0; x < x0 + 3; x++) images[i * 64 + y * 8 + x] = 255;
  }
  return {
    name: 'squares',
    split: 'train',
    images,
    labels: undefined,
    count: 64,
    shape: [8, 8, 1],
    classes: [],
    source: 'test',
  };
}

const small = { imageSize: 8, gFilters: [8, 8, 8], dFilters: 4, patchLayers: 1 as const };
const fast: Partial<TranslationConfig> = {
  batchSize: 8,
  optimizers: {
    generator: { kind: 'adam', learningRate: 2e-3, beta1: 0.5 },
    discriminator: { kind: 'adam', learningRate: 2e-3, beta1: 0.5 },
  },
};
const data = (task: PairedTask, seed = 1) =>
  pairedSource(new PairedBatcher(squares(), task, { batchSize: 8, seed }));
const weights = (t: { state: { networks: Record<string, { params: object }> } }) =>
  flattenTree(t.state.networks.G!.params as never).map(([p, v]) => [
    p,
    Array.from((v as tf.Tensor).dataSync()),
  ]);

describe.each(['cpu', 'wasm'] as const)('image-to-image training on %s', (backend) => {
  it('pix2pix: D judges pairs at half weight, G learns edges → squares (L1 falls), no tensor growth', async () => {
    await useBackend(backend);
    const t = createTranslationTrainer(pix2pix(small), fast);
    const source = data({ kind: 'edges' });
    const first = await t.step(source);
    expect(Object.keys(first.terms).sort()).toEqual(['adversarialD', 'adversarialG', 'l1']);
    expect(first.dLoss).toBeCloseTo(0.5 * first.terms.adversarialD!, 4);
    let tensors = 0;
    let last = first;
    for (let i = 1; i < 40; i++) {
      if (i === 3) tensors = tf.memory().numTensors;
      last = await t.step(source);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(last.terms.l1).toBeLessThan(first.terms.l1! * 0.7);
    const sample = data({ kind: 'edges' }, 2).next();
    const out = t.translate(sample.source as tf.Tensor4D);
    expect(out.shape).toEqual([8, 8, 8, 1]);
    tf.dispose([out, ...Object.values(sample).filter((v): v is tf.Tensor => v != null)]);
    expect(() => t.translate(tf.zeros([1, 4, 4, 1]))).toThrow(
      /translates sources of shape \[8,8,1\], got \[4,4,1\]/,
    );
    t.dispose();
  }, 120_000);

  it('inpainting: a global and a local D, the pixel term over the hole; outside the hole the output is the input', async () => {
    await useBackend(backend);
    const t = createTranslationTrainer(inpainting(small), {
      ...fast,
      reconstruction: { norm: 'l1', weight: 10, hole: true },
    });
    const source = data({ kind: 'inpaint', mask: 'centre', size: 4 });
    const logs = await t.step(source);
    expect(Object.keys(logs.terms).sort()).toEqual([
      'adversarialD',
      'adversarialG',
      'adversarialLocalD',
      'adversarialLocalG',
      'l1',
    ]);
    const batch = data({ kind: 'inpaint', mask: 'centre', size: 4 }, 3).next();
    const out = await t.translate(batch.source as tf.Tensor4D).data();
    const [target, mask] = [await batch.target!.data(), await batch.mask!.data()];
    for (let i = 0; i < out.length; i++) if (mask[i] === 0) expect(out[i]).toBeCloseTo(target[i]!, 6);
    tf.dispose(Object.values(batch).filter((v): v is tf.Tensor => v != null));
    t.dispose();
  }, 120_000);

  it('SRGAN: G alone in its pre-training phase, then D and G; resumed exactly across the phase change', async () => {
    await useBackend(backend);
    const model = () =>
      srgan({ factor: 2, imageSize: 8, filters: 8, blocks: 1, dFilters: 4, dLevels: 2, dDense: 8 });
    const config: Partial<TranslationConfig> = {
      ...fast,
      reconstruction: { norm: 'l2', weight: 1 },
      adversarialWeight: 1e-3,
      pretrainSteps: 3,
    };
    const straight = createTranslationTrainer(model(), config);
    const src = data({ kind: 'downscale', factor: 2 });
    const logs = [];
    for (let i = 0; i < 6; i++) logs.push(await straight.step(src));
    expect(logs.map((l) => l.phase?.name)).toEqual([
      'pretrain',
      'pretrain',
      'pretrain',
      'adversarial',
      'adversarial',
      'adversarial',
    ]);
    expect(logs.map((l) => Number.isNaN(l.dLoss))).toEqual([true, true, true, false, false, false]);
    expect(Object.keys(logs[0]!.terms)).toEqual(['l2']);

    const before = createTranslationTrainer(model(), config);
    const src2 = data({ kind: 'downscale', factor: 2 });
    for (let i = 0; i < 2; i++) await before.step(src2);
    const bytes = await saveCheckpoint(before, src2);
    const resumed = createTranslationTrainer(model(), config);
    const src3 = data({ kind: 'downscale', factor: 2 });
    restoreCheckpoint(bytes, resumed, src3);
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await resumed.step(src3));
    expect(after.map((l) => [l.gLoss, l.dLoss])).toEqual(logs.slice(2).map((l) => [l.gLoss, l.dLoss]));
    expect(weights(resumed)).toEqual(weights(straight));
    for (const t of [straight, before, resumed]) t.dispose();
  }, 120_000);
});

describe('image-to-image configs', () => {
  it('refuses what cannot work, naming the fix', async () => {
    await useBackend('cpu');
    expect(() =>
      createTranslationTrainer(srgan({ factor: 2, imageSize: 8 }), { content: { weight: 1 } }),
    ).toThrow(/config\.content needs a fixed feature network/);
    expect(() =>
      createTranslationTrainer(srgan({ factor: 2, imageSize: 8 }), {
        pretrainSteps: 5,
        reconstruction: undefined,
      }),
    ).toThrow(/config\.pretrainSteps trains G alone on its pixel term: give config\.reconstruction too/);
    expect(() =>
      createTranslationTrainer(pix2pix(small), { reconstruction: { norm: 'l1', weight: 1, hole: true } }),
    ).toThrow(/pix2pix-8 is not an inpainting model/);
    expect(() =>
      createTranslationTrainer(pix2pix(small), { batchSize: 0, loss: 'hinged' as 'hinge' }),
    ).toThrow(
      /config\.batchSize must be a positive integer, got 0\nconfig\.loss must be one of .*, got 'hinged'/,
    );
  });
});
