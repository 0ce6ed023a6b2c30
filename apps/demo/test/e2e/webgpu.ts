/**
 * The page on WebGPU (SwiftShader, a software adapter), one page: the 2D playground it opens on trains there, then
 * the image playground, reached from the header, trains there too. SwiftShader compiles every shader on the CPU,
 * so the work is a single iteration of each.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  counters,
  HANG,
  imagesReady,
  num,
  type Opened,
  openPage,
  playgroundReady,
  settledTensors,
  shoot,
  text,
  trainTo,
  waitFor,
} from './page.js';
import { required, type Site } from './site.js';

export function describeWebGpu(site: () => Site): void {
  describe.sequential('on WebGPU (one page)', () => {
    let opened: Opened;
    let page: Page;
    let backend = '';
    beforeAll(async () => {
      const started = performance.now();
      opened = await openPage(site(), '', playgroundReady);
      page = opened.page;
      backend = await text(page, 'backend');
      console.log(`${backend}: the 2D playground's first visuals in ${seconds(started)} s`);
    }, HANG);
    afterAll(() => opened?.page.close());

    it('loads on WebGPU (SwiftShader, a software adapter) and trains the 2D playground there', async () => {
      const details = await page.getByTestId('backend-details').textContent();
      if (required) expect(backend).toBe('webgpu');
      else if (backend !== 'webgpu')
        console.warn(`WebGPU did not start here; the page fell back to ${backend}:\n${details}`);
      if (backend === 'webgpu') {
        expect(details).toMatch(/WebGPU on .*swiftshader/i);
        // a software adapter is used, and the visitor is told it is slow and offered wasm
        await expect(page.getByTestId('slow-hint').textContent()).resolves.toMatch(/slow/);
      }
      expect(await text(page, 'step')).toBe('0');
      expect(await num(page, 'modes-total')).toBe(8);
      const started = performance.now();
      await trainTo(page, 1); // SwiftShader: one iteration took 7–11 s of play, most of it compiling
      const { step } = await counters(page);
      console.log(
        `${backend}: ${step} iterations in ${seconds(started)} s of play (reads of the visuals included)`,
      );
      for (const id of ['d-loss', 'g-loss', 'js'])
        expect(Number.isFinite(await num(page, id)), id).toBe(true);
      await shoot(page, `playground-${backend}.png`);
      // the single updates run on this backend too, and leave no tensors behind
      const tensors = await settledTensors(page);
      const before = await counters(page);
      await page.getByTestId('step-d').click();
      await waitFor(page, 'd-updates', (t) => Number(t) === before.d + 1);
      await page.getByTestId('step-g').click();
      await waitFor(page, 'g-updates', (t) => Number(t) === before.g + 1);
      await waitFor(page, 'state', (t) => t === 'paused');
      expect(await counters(page)).toEqual({ step: before.step, d: before.d + 1, g: before.g + 1 });
      expect(Number.isFinite(await num(page, 'g-loss'))).toBe(true);
      expect(await settledTensors(page)).toBe(tensors);
      expect(opened.errors).toEqual([]);
    });

    it('the image playground on WebGPU: trains, and says it is slow and how to go faster', async () => {
      const started = performance.now();
      await page.getByTestId('view-images').click();
      await imagesReady(page);
      console.log(`${backend}: the image playground's data and first grid in ${seconds(started)} s`);
      const note = await page.getByTestId('images-speed-note').textContent();
      if (backend === 'webgpu') {
        expect(note).toMatch(/slow on webgpu/);
        await expect(page.getByTestId('images-speed-note').locator('a').getAttribute('href')).resolves.toBe(
          '?view=images&backend=wasm',
        );
      }
      const playFrom = performance.now();
      await page.getByTestId('play').click();
      // one iteration, its losses read back (12–20 s beside the wasm pages and other processes); not paused, as that
      // reads the grid again
      await waitFor(page, 'step', (t) => Number(t) >= 1);
      await waitFor(page, 'd-loss', (t) => t !== '—');
      console.log(
        `image playground (${backend}): ${await text(page, 'step')} iterations in ${seconds(playFrom)} s`,
      );
      for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
      await shoot(page, `images-${backend}.png`);
      expect(opened.errors).toEqual([]);
    });
  });
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
