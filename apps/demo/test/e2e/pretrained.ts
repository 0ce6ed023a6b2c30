/**
 * The pretrained view on wasm, one page, its checks in order: mnist-cgan's manifest, classes, truncation and walk;
 * the MNIST classifier's verdict on its samples (the page left on mnist-cgan, truncation off, seed 1); the other
 * generators, a file of one's own and a malformed one; away and back; fashion-stylegan's truncation in W, style-mixing
 * grid and noise, then back to a generator without W; mnist-progan's growth strip.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../src/pretrained/samples.js';
import { classify, disposeClassifier } from './classify.js';
import {
  gridDrawn,
  HANG,
  imagesReady,
  type Opened,
  openPage,
  settledTensors,
  shoot,
  text,
  waitFor,
} from './page.js';
import { root, type Site } from './site.js';

/** Mean over pixels of the standard deviation across samples: how much the samples differ. */
function spread({ values, shape }: { values: number[]; shape: number[] }): number {
  const [n, ...rest] = shape as [number, ...number[]];
  const per = rest.reduce((a, b) => a * b, 1);
  let total = 0;
  for (let p = 0; p < per; p++) {
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i * per + p]!;
      sum += v;
      sq += v * v;
    }
    total += Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2));
  }
  return total / per;
}

/** The first `n` samples of the latest grid, as the test process gets them from the page. */
async function lastSamples(page: Page, n: number) {
  return page.evaluate((count) => {
    const s = window.__gankitLastSamples as SampleRecord;
    const per = s.shape.slice(1).reduce((a, b) => a * b, 1);
    const k = Math.min(count, s.shape[0]!);
    return {
      ...s,
      shape: [k, ...s.shape.slice(1)],
      classes: s.classes?.slice(0, k) ?? null,
      values: Array.from(s.values.subarray(0, k * per)),
    };
  }, n);
}

export function describePretrained(site: () => Site): void {
  describe.sequential('pretrained generators on wasm (one page)', () => {
    let opened: Opened;
    let page: Page;
    beforeAll(async () => {
      opened = await openPage(site(), '?view=pretrained&backend=wasm', (p) =>
        gridDrawn(p, /^mnist-cgan\|all\|off\|1$/),
      );
      page = opened.page;
    }, HANG);
    afterAll(async () => {
      await opened?.page.close();
      disposeClassifier();
    });

    it('mnist-cgan: the manifest, a row per class, one class, truncation and the latent walk', async () => {
      const info = (await page.getByTestId('generator-info').textContent()) ?? '';
      expect(info).toMatch(/architecture\s*cgan-28/);
      expect(info).toMatch(/training steps\s*[\d,]+/);
      expect(info).toMatch(/dataset\s*mnist/);
      await expect(page.getByTestId('generator-error').isVisible()).resolves.toBe(false);
      expect(await page.getByTestId('class-select').locator('option').count()).toBe(11);
      const all = await lastSamples(page, 100);
      expect(all.shape).toEqual([80, 28, 28, 1]);
      expect(all.classes?.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
      await shoot(page, 'pretrained-mnist-cgan-all.png');

      await page.getByTestId('class-select').selectOption('7');
      await gridDrawn(page, 'mnist-cgan|7|off|1');
      const sevens = await lastSamples(page, 100);
      expect(sevens.shape).toEqual([32, 28, 28, 1]);
      expect(sevens.classes).toEqual(new Array(32).fill(7));
      // truncation: the slider's value reaches the latents (other samples, same class)
      await page.getByTestId('truncation').fill('0.5');
      await waitFor(page, 'truncation-value', (t) => t === '0.5 σ');
      await gridDrawn(page, 'mnist-cgan|7|0.5|1');
      const truncated = await lastSamples(page, 100);
      expect(truncated.truncation).toBe(0.5);
      expect(truncated.values).not.toEqual(sevens.values);
      await page
        .getByTestId('truncation')
        .fill((await page.getByTestId('truncation').getAttribute('max')) ?? '');
      await waitFor(page, 'truncation-value', (t) => t === 'off');
      await gridDrawn(page, 'mnist-cgan|7|off|1');
      // the walk: a row of frames, and the frame at t
      await page.getByTestId('walk-seed-b').fill('5');
      await page.getByTestId('walk-seed-b').dispatchEvent('change');
      await page.getByTestId('walk-position').fill('0.8');
      await waitFor(page, 'walk-t', (t) => t === '0.80');
      await shoot(page, 'pretrained-mnist-cgan-7.png');
      expect(await settledTensors(page)).toBeLessThan(40); // the generator's weights, nothing piling up
      expect(opened.errors).toEqual([]);
    });

    it('mnist-cgan: the MNIST classifier reads 20 samples asked for 7 (and for 3) as that digit, ≥ 80 %', async () => {
      const steps = (await page.getByTestId('generator-info').textContent())?.match(
        /training steps\s*([\d,]+)/,
      )?.[1];
      const verdicts: { digit: number; predicted: number[]; share: number }[] = [];
      for (const digit of [7, 3]) {
        await page.getByTestId('class-select').selectOption(String(digit));
        await gridDrawn(page, `mnist-cgan|${digit}|off|1`);
        const samples = await lastSamples(page, 20);
        expect(samples.shape).toEqual([20, 28, 28, 1]);
        expect(samples.classes).toEqual(new Array(20).fill(digit));
        const predicted = await classify(samples);
        const share = predicted.filter((p) => p === digit).length / predicted.length;
        verdicts.push({ digit, predicted, share });
      }
      await shoot(page, 'pretrained-mnist-cgan-3.png');
      expect(opened.errors).toEqual([]);
      const report = verdicts
        .map(
          (v) =>
            `asked for ${v.digit}: ${Math.round(v.share * 100)} % classified as ${v.digit}; predicted [${v.predicted.join(', ')}]`,
        )
        .join('\n');
      console.log(
        `mnist-cgan.safetensors (${steps} training steps), MNIST classifier on 20 samples per class:\n${report}`,
      );
      for (const v of verdicts)
        expect(
          v.share,
          `public/generators/mnist-cgan.safetensors (${steps} training steps) does not draw the digit it is asked for:\n${report}\n`,
        ).toBeGreaterThanOrEqual(0.8);
    });

    it('other generators, your own file, and a malformed file says what is wrong; away and back', async () => {
      await page.getByTestId('generator-fashion-dcgan').click();
      await gridDrawn(page, /^fashion-dcgan\|none\|off\|1$/);
      await expect(page.getByTestId('class-select').isDisabled()).resolves.toBe(true);
      await expect(page.getByTestId('generator-info').textContent()).resolves.toMatch(/classes\s*none/);
      await shoot(page, 'pretrained-fashion-dcgan.png');
      await page.getByTestId('generator-fashion-cgan').click();
      await gridDrawn(page, /^fashion-cgan\|all\|off\|1$/);
      await expect(page.getByTestId('class-select').locator('option').nth(10).textContent()).resolves.toBe(
        '9: Ankle boot',
      );
      await page.getByTestId('reseed').click();
      await gridDrawn(page, /^fashion-cgan\|all\|off\|2$/);
      await shoot(page, 'pretrained-fashion-cgan.png');

      // a file of random bytes: the error is in the page, the last generator stays
      const dir = mkdtempSync(join(tmpdir(), 'gankit-bad-'));
      const bad = join(dir, 'my-generator.safetensors');
      writeFileSync(
        bad,
        Uint8Array.from({ length: 3000 }, () => Math.floor(Math.random() * 256)),
      );
      await page.getByTestId('generator-file').setInputFiles(bad);
      await page.getByTestId('generator-error').waitFor({ state: 'visible' });
      rmSync(dir, { recursive: true, force: true }); // the page has read it (it reads the file when it is picked)
      expect(await text(page, 'generator-error')).toMatch(
        /^my-generator.safetensors is not a gankit generator: /,
      );
      await expect(page.getByTestId('generator-status').textContent()).resolves.toMatch(
        /still showing fashion-cgan/,
      );
      expect(await page.getByTestId('generator-grid').getAttribute('data-key')).toMatch(/^fashion-cgan\|/);
      await shoot(page, 'pretrained-malformed-file.png');

      // a real generator file from disk: the error goes, its samples come
      await page
        .getByTestId('generator-file')
        .setInputFiles(join(root, 'public', 'generators', 'mnist-dcgan.safetensors'));
      await gridDrawn(page, /^mnist-dcgan\.safetensors\|none\|off\|2$/);
      await expect(page.getByTestId('generator-error').isVisible()).resolves.toBe(false);
      await expect(page.getByTestId('generator-info').textContent()).resolves.toMatch(
        /file\s*mnist-dcgan\.safetensors/,
      );
      // away and back: the views unmount (freeing their tensors) and mount again, on the generator of the URL
      await page.getByTestId('view-images').click();
      await imagesReady(page);
      expect(new URL(page.url()).searchParams.get('generator')).toBe('fashion-cgan');
      await page.getByTestId('view-pretrained').click();
      await gridDrawn(page, /^fashion-cgan\|all\|off\|1$/); // the last generator picked from the list
      expect(await settledTensors(page)).toBeLessThan(40);
      expect(opened.errors).toEqual([]);
    });

    it('fashion-stylegan: truncation in W, the style-mixing grid and its crossover, new noise; then a DCGAN again', async () => {
      await page.getByTestId('generator-fashion-stylegan').click();
      await gridDrawn(page, 'fashion-stylegan|none|ψ1|1|noise 1');
      await gridDrawn(page, 'fashion-stylegan|4|ψ1|1|noise 1', 'mixing-grid');
      await expect(page.getByTestId('generator-info').textContent()).resolves.toMatch(
        /architecture\s*stylegan2-28/,
      );
      await expect(page.getByTestId('style-controls').isVisible()).resolves.toBe(true);
      expect(await text(page, 'truncation-value')).toBe('ψ = 1 (off) in W');
      expect(await page.getByTestId('truncation').getAttribute('max')).toBe('1');
      const full = await lastSamples(page, 32);
      expect([full.psi, full.truncation, full.noiseSeed]).toEqual([1, null, 1]);

      // ψ towards w̄: other images of the same latents, and at ψ = 0 they differ by their noise only
      await page.getByTestId('truncation').fill('0.5');
      await waitFor(page, 'truncation-value', (t) => t === 'ψ = 0.50 in W');
      await gridDrawn(page, 'fashion-stylegan|none|ψ0.5|1|noise 1');
      const half = await lastSamples(page, 32);
      expect(half.values).not.toEqual(full.values);
      await page.getByTestId('truncation').fill('0');
      await gridDrawn(page, 'fashion-stylegan|none|ψ0|1|noise 1');
      await gridDrawn(page, 'fashion-stylegan|4|ψ0|1|noise 1', 'mixing-grid');
      const average = await lastSamples(page, 32);
      const spreads = [full, half, average].map(spread);
      console.log(
        `fashion-stylegan: spread of 32 samples at ψ = 1, 0.5, 0: ${spreads.map((s) => s.toFixed(3))}`,
      );
      expect(spreads[2]).toBeLessThan(spreads[0]!);
      await shoot(page, 'pretrained-fashion-stylegan-psi0.png');

      // the mixing grid: 3 rows × 6 columns of sources, row 1 × column 1 takes styles 0–3 of row latent 0
      await page.getByTestId('truncation').fill('1');
      await gridDrawn(page, 'fashion-stylegan|4|ψ1|1|noise 1', 'mixing-grid');
      const mixing = await page.evaluate(() => window.__gankitLastMixing!);
      expect(mixing.kinds).toHaveLength(4 * 7);
      expect(mixing.styles[8]).toEqual([0, 0, 0, 0, 3, 3, 3, 3]);
      await page.getByTestId('crossover').selectOption('2');
      await gridDrawn(page, 'fashion-stylegan|2|ψ1|1|noise 1', 'mixing-grid');
      expect((await page.evaluate(() => window.__gankitLastMixing!)).styles[8]).toEqual([
        0, 0, 3, 3, 3, 3, 3, 3,
      ]);

      // new noise: the same latents, other details
      await page.getByTestId('resample-noise').click();
      await gridDrawn(page, 'fashion-stylegan|none|ψ1|1|noise 2');
      await gridDrawn(page, 'fashion-stylegan|2|ψ1|1|noise 2', 'mixing-grid');
      expect(await text(page, 'noise-seed')).toBe('2');
      const renoised = await lastSamples(page, 32);
      expect(renoised.values).not.toEqual(full.values);
      await shoot(page, 'pretrained-fashion-stylegan.png');

      // a generator without W: no style section, the slider a cut of z again
      await page.getByTestId('generator-fashion-dcgan').click();
      await gridDrawn(page, /^fashion-dcgan\|none\|off\|1$/);
      await expect(page.getByTestId('style-controls').isVisible()).resolves.toBe(false);
      expect(await text(page, 'truncation-value')).toBe('off');
      expect(await settledTensors(page)).toBeLessThan(40);
      expect(opened.errors).toEqual([]);
    });

    it('mnist-progan: samples of the grown generator and its growth strip (the run at 7×7, 14×14, 28×28); none for the others', async () => {
      await page.getByTestId('generator-mnist-progan').click();
      await gridDrawn(page, /^mnist-progan\|none\|off\|1$/);
      await expect(page.getByTestId('generator-info').textContent()).resolves.toMatch(
        /architecture\s*progan-28/,
      );
      await expect(page.getByTestId('growth').isVisible()).resolves.toBe(true);
      // every image of the strip loads (a missing file would leave naturalWidth 0)
      await page.waitForFunction(
        () => {
          const imgs = Array.from(
            document.querySelectorAll<HTMLImageElement>('[data-testid="growth-strip"] img'),
          );
          return imgs.length === 3 && imgs.every((i) => i.complete && i.naturalWidth > 0);
        },
        undefined,
        { timeout: HANG },
      );
      const captions = await page.locator('[data-testid="growth-strip"] figcaption').allTextContents();
      expect(captions).toEqual(['7×7', '14×14', '28×28']);
      expect(await text(page, 'growth-legend')).toMatch(/7×7 → 14×14 → 28×28/);
      await shoot(page, 'pretrained-mnist-progan.png');
      await page.getByTestId('generator-fashion-dcgan').click();
      await gridDrawn(page, /^fashion-dcgan\|none\|off\|1$/);
      await expect(page.getByTestId('growth').isVisible()).resolves.toBe(false);
      expect(opened.errors).toEqual([]);
    });
  });
}
