/** The image playground on wasm, one page: MNIST from the site's IDX files with the cGAN, then Fashion-MNIST. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HANG,
  imagesReady,
  num,
  type Opened,
  openPage,
  settledTensors,
  shoot,
  text,
  trainTo,
  waitFor,
} from './page.js';
import type { Site } from './site.js';

const DATA = '60,000 training images of 28×28×1';

export function describeImages(site: () => Site): void {
  describe.sequential('the image playground on wasm (one page)', () => {
    let opened: Opened;
    let page: Page;
    let loaded = '';
    beforeAll(async () => {
      const started = performance.now();
      opened = await openPage(site(), '?view=images&backend=wasm', imagesReady);
      page = opened.page;
      loaded = ((performance.now() - started) / 1000).toFixed(1);
    }, HANG);
    afterAll(() => opened?.page.close());

    it('MNIST from the demo’s IDX files: the cGAN trains, the tensor count stays flat', async () => {
      expect(await text(page, 'backend')).toBe('wasm');
      expect(await text(page, 'data-status')).toBe(DATA);
      expect(await text(page, 'step')).toBe('0');
      await expect(page.getByTestId('images-speed-note').textContent()).resolves.toMatch(/WebAssembly/);
      // optimiser state and the like are made by the first steps: count the tensors after them
      await trainTo(page, 3);
      const warm = { step: await num(page, 'step'), tensors: await settledTensors(page) };
      const playFrom = performance.now();
      // 10 more: a tensor left behind per iteration (or per read) would show as 10 (the limit is 2)
      await trainTo(page, warm.step + 10);
      const seconds = (performance.now() - playFrom) / 1000;
      const end = { step: await num(page, 'step'), tensors: await settledTensors(page) };
      console.log(
        `image playground (wasm): page, data and first grid in ${loaded} s; ${end.step - warm.step} iterations in ${seconds.toFixed(1)} s; tensors ${warm.tensors} → ${end.tensors}`,
      );
      for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
      expect(Math.abs(end.tensors - warm.tensors)).toBeLessThanOrEqual(2);
      // the grid shows the samples of the step training paused at
      await page.waitForFunction(
        (step) =>
          (document.querySelector('[data-testid=sample-grid]') as HTMLElement).dataset.step === String(step),
        end.step,
      );
      // the step counter stays still while paused (after the page's next tensors reading: its timers and frames ran)
      await settledTensors(page);
      expect(await num(page, 'step')).toBe(end.step);
      await shoot(page, 'images-wasm-mnist.png');
      expect(opened.errors).toEqual([]);
    });

    it('Fashion-MNIST and an unconditional DCGAN: a fresh model on the other dataset trains', async () => {
      await page.getByTestId('dataset').selectOption('fashion-mnist');
      await page.getByTestId('model').selectOption('dcgan');
      // the restart has begun (the readouts are the new model's), its first grid was read, and play is enabled
      await waitFor(page, 'step', (t) => t === '0');
      await page.waitForFunction(
        () => (document.querySelector('[data-testid=sample-grid]') as HTMLElement).dataset.step === '0',
      );
      await imagesReady(page);
      expect(await text(page, 'data-status')).toBe(DATA);
      await trainTo(page, 3);
      for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
      await shoot(page, 'images-wasm-fashion-dcgan.png');
      expect(opened.errors).toEqual([]);
    });
  });
}
