import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@gankit/backends';
import { writeIdx } from '@gankit/datasets';
import { ganFromSpec } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatasetSpec, openData } from './data.js';
import { UsageError } from './errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'gankit-data-'));
beforeAll(async () => {
  await useBackend('cpu');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const mlp2d = ganFromSpec({ family: 'mlp', options: { dataDim: 2, latentDim: 2, hidden: [8] } });
const dcgan = ganFromSpec({ family: 'dcgan', options: { imageSize: 28, channels: 1 } });
const cgan = ganFromSpec({ family: 'cgan', options: { imageSize: 28, channels: 1 } });

/** What `openData` rejects with: a UsageError (exit 2) and its message. */
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => new Error('it opened'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as Error).message;
};

const png = (grey: number) => {
  const p = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < 64; i++) p.data.set([grey, grey, grey, 255], i * 4);
  return PNG.sync.write(p);
};

describe('--dataset values', () => {
  it('an unknown one is bad input, with a hint and the valid ones from the datasets table', () => {
    expect(() => checkDatasetSpec('mnsit')).toThrow(UsageError);
    expect(() => checkDatasetSpec('mnsit')).toThrow(
      "unknown dataset 'mnsit' (did you mean 'mnist'?); valid: mnist, fashion-mnist, ring8, grid25, gauss1d, " +
        'spirals, swiss-roll, stacked-mnist, idx:IMAGES[,LABELS], folder:PATH',
    );
    expect(() => checkDatasetSpec('folder:')).toThrow(
      new UsageError("dataset 'folder:' needs PATH after the colon: folder:PATH"),
    );
    expect([checkDatasetSpec('ring8'), checkDatasetSpec('idx:x')]).toEqual(['points', 'images']);
  });
});

describe('openData', () => {
  it('opens a toy distribution for a points model, and refuses it for an image model', async () => {
    const data = await openData('ring8', mlp2d, 16, 1);
    expect(data).toMatchObject({ kind: 'points', toy: { dim: 2 } });
    expect(data.description).toBe('ring8: 8 modes, σ 0.01, sampled fresh every batch');
    const { x } = data.source.next();
    expect(x!.shape).toEqual([16, 2]);
    tf.dispose(x!);
    expect(await refusal(openData('ring8', dcgan, 16, 1))).toBe(
      "dataset 'ring8' gives 2-D points but the model (dcgan-28) makes [28,28,1]; use an MLP model with dataDim 2 " +
        '(the ring8 preset)',
    );
  });

  it('refuses image data for a points model before reading anything', async () => {
    // were the folder read, the error would be that it does not exist
    expect(await refusal(openData(`folder:${join(tmp, 'absent')}`, mlp2d, 16, 1))).toMatch(
      /^dataset 'folder:.*absent' holds images but the model \(mlp\) makes 2-D points; use a toy dataset/,
    );
  });

  it('reads IDX files, labels for a conditional model, and checks the batch size against them', async () => {
    const images = join(tmp, 'images.idx');
    const labels = join(tmp, 'labels.idx');
    writeFileSync(
      images,
      await writeIdx({ dtype: 'uint8', shape: [4, 28, 28], data: new Uint8Array(4 * 784) }),
    );
    writeFileSync(
      labels,
      await writeIdx({ dtype: 'uint8', shape: [4], data: Uint8Array.from([0, 1, 2, 9]) }),
    );
    const data = await openData(`idx:${images},${labels}`, cgan, 2, 1);
    expect(data).toMatchObject({
      kind: 'images',
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    });
    const batch = data.source.next();
    expect([batch.x!.shape, batch.labels!.shape]).toEqual([[2, 28, 28, 1], [2]]);
    tf.dispose([batch.x!, batch.labels!]);
    expect(await refusal(openData(`idx:${images},${labels}`, cgan, 5, 1))).toBe(
      `--batch-size 5 is more than the 4 images of dataset 'idx:${images},${labels}'; lower it`,
    );
    expect(await refusal(openData(`idx:${images}`, cgan, 2, 1))).toMatch(
      /model \(cgan-28\) is class-conditional but dataset 'idx:.*images.idx' has no labels/,
    );
    expect(await refusal(openData(`idx:${join(tmp, 'none.idx')}`, dcgan, 2, 1))).toBe(
      `dataset 'idx:${join(tmp, 'none.idx')}': ${join(tmp, 'none.idx')} does not exist`,
    );
  });

  it("resizes an image folder to the model's size and channels", async () => {
    const dir = join(tmp, 'pictures');
    mkdirSync(dir);
    for (const [i, grey] of [30, 60, 90].entries()) writeFileSync(join(dir, `${i}.png`), png(grey));
    const data = await openData(`folder:${dir}`, dcgan, 3, 1);
    expect(data.description).toMatch(/: 3 images of 28×28×1 /);
    expect(data.classNames).toBeUndefined();
    const { x } = data.source.next();
    expect(x!.shape).toEqual([3, 28, 28, 1]);
    tf.dispose(x!);
    const wide = ganFromSpec({ family: 'dcgan', options: { imageSize: 32, channels: 3 } });
    expect(await refusal(openData('mnist', wide, 2, 1))).toBe(
      "dataset 'mnist' holds 28×28×1 images but the model (dcgan-32) makes 32×32×3; pick a model of that size or data that fits",
    );
  });
});
