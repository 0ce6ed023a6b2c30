/**
 * The image-to-image view on wasm, one page, its checks in order: mnist-pix2pix on the first test digits' edges (the
 * MNIST classifier reads its outputs as the digits they came from), then a drawn stroke; mnist-inpaint's centre
 * holes and a hole rubbed out with the mouse; mnist-srgan-x4 beside bicubic; fashion-pix2pix; away and back.
 */
import { knownDataset } from '@gankit/datasets';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranslationRecord } from '../../src/translate/view.js';
import { classify, disposeClassifier } from './classify.js';
import { HANG, type Opened, openPage, settledTensors, shoot, text, WAIT } from './page.js';
import type { Site } from './site.js';

type Plain = Omit<TranslationRecord, 'input' | 'output' | 'original' | 'bicubic' | 'mask'> & {
  input: number[];
  output: number[];
  original: number[] | null;
  bicubic: number[] | null;
  mask: number[] | null;
};

/** Waits until the output canvas shows the translation of `key` (`id|example|edits`, a pattern). */
const translated = (page: Page, key: RegExp) =>
  page.waitForFunction(
    ([source]) =>
      new RegExp(source!).test(
        (document.querySelector('[data-testid=translate-output]') as HTMLElement | null)?.dataset.key ?? '',
      ),
    [key.source],
    { timeout: WAIT },
  );

/** The latest translation, as plain arrays. */
const latest = (page: Page): Promise<Plain> =>
  page.evaluate(() => {
    const r = window.__gankitTranslation!;
    const plain = (v: { values: Float32Array } | null) => (v ? Array.from(v.values) : null);
    return {
      ...r,
      input: Array.from(r.input.values),
      output: Array.from(r.output.values),
      original: plain(r.original),
      bicubic: plain(r.bicubic),
      mask: r.mask ? Array.from(r.mask) : null,
    };
  });

/** Examples 0 … n − 1 of the current translator, each once translated. */
async function examples(page: Page, id: string, n: number): Promise<Plain[]> {
  const out: Plain[] = [];
  for (let i = 0; i < n; i++) {
    await page.getByTestId('example-index').fill(String(i));
    await page.getByTestId('example-index').dispatchEvent('change');
    await translated(page, new RegExp(`^${id}\\|${i}\\|0$`));
    out.push(await latest(page));
  }
  return out;
}

const LABEL_DIGIT = (label: string) => Number(label);
const psnr = (a: number[], b: number[]) =>
  10 * Math.log10(1 / (a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length));

/** Drags the mouse over the pad through `points` (fractions of its size), button down all the way. */
async function drag(page: Page, ...points: [number, number][]) {
  const box = (await page.getByTestId('translate-pad').boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 12 });
  await page.mouse.up();
}

export function describeTranslate(site: () => Site): void {
  describe.sequential('image-to-image generators on wasm (one page)', () => {
    let opened: Opened;
    let page: Page;
    beforeAll(async () => {
      opened = await openPage(site(), '?view=translate&backend=wasm', (p) =>
        translated(p, /^mnist-pix2pix\|0\|0$/),
      );
      page = opened.page;
    }, HANG);
    afterAll(async () => {
      await opened?.page.close();
      disposeClassifier();
    });

    it('mnist-pix2pix: test digits’ edges come back as the same digits; a 7 drawn with the mouse comes back a 7', async () => {
      expect(await text(page, 'translator-info')).toMatch(/architecture\s*pix2pix-28/);
      await expect(page.getByTestId('translate-error').isVisible()).resolves.toBe(false);
      const shown = await examples(page, 'mnist-pix2pix', 12);
      const predicted = await classify({
        values: shown.flatMap((s) => s.output),
        shape: [shown.length, 28, 28, 1],
        range: [0, 1],
      });
      const right = predicted.filter((p, i) => p === LABEL_DIGIT(shown[i]!.label)).length;
      console.log(`mnist-pix2pix: the classifier reads ${right} of 12 outputs as their test digit`);
      expect(right).toBeGreaterThanOrEqual(10); // measured class preservation 0.954 on 2,000 held-out pairs
      await shoot(page, 'translate-pix2pix-example.png');

      // a 7 drawn with the mouse (the broad brush, the edges task's default) comes back as a 7
      const before = await settledTensors(page);
      await page.getByTestId('pad-clear').click();
      await translated(page, /^mnist-pix2pix\|11\|1$/);
      await drag(page, [0.25, 0.25], [0.72, 0.25], [0.43, 0.8]);
      await translated(page, /^mnist-pix2pix\|11\|([2-9]|\d\d+)$/);
      const drawn = await latest(page);
      expect(drawn.input.filter((v) => v === 1).length).toBeGreaterThan(60); // the stroke's cells
      expect(drawn.original).toBeNull(); // the test image no longer matches the pad
      await expect(page.getByTestId('translate-original-figure').isVisible()).resolves.toBe(false);
      const [seven] = await classify({ values: drawn.output, shape: [1, 28, 28, 1], range: [0, 1] });
      expect(seven, 'a drawn 7').toBe(7);
      await shoot(page, 'translate-pix2pix-drawn.png');
      expect(await settledTensors(page)).toBe(before); // translations leave nothing behind
      expect(opened.errors).toEqual([]);
    });

    it('mnist-inpaint: centre holes filled so the classifier reads the digit better than with the hole; a rubbed-out hole', async () => {
      await page.getByTestId('translator-mnist-inpaint').click();
      await translated(page, /^mnist-inpaint\|\d+\|0$/);
      const shown = await examples(page, 'mnist-inpaint', 12);
      for (const s of shown) {
        expect(s.mask!.reduce((a, b) => a + b, 0)).toBe(14 * 14); // the centre square, half the side
        s.mask!.forEach((m, p) => {
          if (m === 0) expect(Math.abs(s.output[p]! - s.original![p]!)).toBeLessThan(1e-5);
        });
      }
      const digits = shown.map((s) => LABEL_DIGIT(s.label));
      const read = async (images: number[][]) =>
        (await classify({ values: images.flat(), shape: [images.length, 28, 28, 1], range: [0, 1] })).filter(
          (p, i) => p === digits[i],
        ).length;
      const filled = await read(shown.map((s) => s.output));
      // the hole as the generator is given it: grey (0 in [−1, 1])
      const holed = await read(shown.map((s) => s.original!.map((v, p) => (s.mask![p] ? 0.5 : v))));
      console.log(
        `mnist-inpaint: ${filled} of 12 read as their digit after inpainting, ${holed} with the hole`,
      );
      expect(filled).toBeGreaterThan(holed);
      await shoot(page, 'translate-inpaint-centre.png');

      await page.getByTestId('pad-clear').click();
      await page.getByTestId('brush-size').selectOption('1.6');
      await drag(page, [0.1, 0.5], [0.9, 0.5]);
      await translated(page, /^mnist-inpaint\|11\|([2-9]|\d\d+)$/);
      const rubbed = await latest(page);
      const hole = rubbed.mask!.reduce((a, b) => a + b, 0);
      expect(hole).toBeGreaterThan(28 * 2); // a band across the image
      expect(rubbed.original).not.toBeNull(); // inpainting keeps the test image beside
      await shoot(page, 'translate-inpaint-rubbed.png');
      expect(opened.errors).toEqual([]);
    });

    it('mnist-srgan-x4: sharper than bicubic (PSNR) and read as the right digits; a painted cell changes it', async () => {
      await page.getByTestId('translator-mnist-srgan-x4').click();
      await translated(page, /^mnist-srgan-x4\|\d+\|0$/);
      await expect(page.getByTestId('translate-bicubic-figure').isVisible()).resolves.toBe(true);
      const shown = await examples(page, 'mnist-srgan-x4', 12);
      expect(shown[0]!.input).toHaveLength(49);
      const mean = (f: (s: Plain) => number) => shown.reduce((a, s) => a + f(s), 0) / shown.length;
      const sr = mean((s) => psnr(s.output, s.original!));
      const bicubic = mean((s) => psnr(s.bicubic!, s.original!));
      const predicted = await classify({
        values: shown.flatMap((s) => s.output),
        shape: [shown.length, 28, 28, 1],
        range: [0, 1],
      });
      const right = predicted.filter((p, i) => p === LABEL_DIGIT(shown[i]!.label)).length;
      console.log(
        `mnist-srgan-x4: PSNR ${sr.toFixed(1)} dB vs bicubic ${bicubic.toFixed(1)} dB; ${right} of 12 read as their digit`,
      );
      expect(sr).toBeGreaterThan(bicubic + 1);
      expect(right).toBeGreaterThanOrEqual(10); // measured class preservation 0.942
      await shoot(page, 'translate-srgan.png');
      await drag(page, [0.05, 0.05], [0.1, 0.1]);
      await translated(page, /^mnist-srgan-x4\|11\|[1-9]\d*$/);
      expect((await latest(page)).input[0]).toBe(1);
      expect(opened.errors).toEqual([]);
    });

    it('fashion-pix2pix: garments from their edges (the Fashion-MNIST classifier agrees); away and back', async () => {
      await page.getByTestId('translator-fashion-pix2pix').click();
      await translated(page, /^fashion-pix2pix\|\d+\|0$/);
      const shown = await examples(page, 'fashion-pix2pix', 12);
      const predicted = await classify(
        { values: shown.flatMap((s) => s.output), shape: [12, 28, 28, 1], range: [0, 1] },
        'fashion-mnist',
      );
      const { classes } = knownDataset('fashion-mnist');
      const right = predicted.filter((p, i) => classes[p] === shown[i]!.label).length;
      console.log(`fashion-pix2pix: the classifier reads ${right} of 12 outputs as their garment`);
      expect(right).toBeGreaterThanOrEqual(9); // measured class preservation 0.864
      await shoot(page, 'translate-fashion-pix2pix.png');
      await page.getByTestId('view-pretrained').click();
      await page.getByTestId('view-translate').click();
      await translated(page, /^fashion-pix2pix\|\d+\|0$/); // the translator of the URL
      expect(await settledTensors(page)).toBeLessThan(200);
      expect(opened.errors).toEqual([]);
    });
  });
}
