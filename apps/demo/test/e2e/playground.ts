/**
 * The 2D playground on wasm, one page for all its checks (each starts from a setting of its own: a reset, another
 * distribution); and the page without WebGPU, which falls back and says why.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  counters,
  HANG,
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
import type { Site } from './site.js';

export function describePlayground(site: () => Site): void {
  describe.sequential('the 2D playground on wasm (one page)', () => {
    let opened: Opened;
    let page: Page;
    beforeAll(async () => {
      opened = await openPage(site(), '?backend=wasm', playgroundReady);
      page = opened.page;
    }, HANG);
    afterAll(() => opened?.page.close());

    it('ring of 8: modes covered rise with training while the tensor count stays flat', async () => {
      expect(await text(page, 'backend')).toBe('wasm');
      const start = { modes: await num(page, 'modes-covered'), js: await num(page, 'js') };
      expect(start.modes).toBeLessThanOrEqual(3);
      await trainTo(page, 10);
      const warm = { ...(await counters(page)), tensors: await settledTensors(page) };
      const started = performance.now();
      // 200 iterations: in Node the default model on the ring covers all 8 modes by iteration 200 (seeds 1–5)
      await trainTo(page, 200);
      const seconds = (performance.now() - started) / 1000;
      const end = {
        ...(await counters(page)),
        modes: await num(page, 'modes-covered'),
        js: await num(page, 'js'),
        tensors: await settledTensors(page),
      };
      console.log(
        `wasm: ${end.step - warm.step} iterations in ${seconds.toFixed(1)} s; modes ${start.modes} → ${end.modes}, JS ${start.js} → ${end.js}; tensors ${warm.tensors} → ${end.tensors}`,
      );
      expect(end.modes).toBeGreaterThanOrEqual(6);
      expect(end.js).toBeLessThan(start.js);
      expect(Math.abs(end.tensors - warm.tensors)).toBeLessThanOrEqual(2);
      for (const id of ['d-loss', 'g-loss']) expect(Number.isFinite(await num(page, id)), id).toBe(true);
      await shoot(page, 'playground-wasm-ring8.png');
      expect(opened.errors).toEqual([]);
    });

    it('reset, pause stops the counters; step D and step G add exactly one update of that network', async () => {
      await page.getByTestId('reset').click();
      await waitFor(page, 'step', (t) => t === '0');
      await trainTo(page, 5);
      const paused = await counters(page);
      expect(paused.d).toBe(paused.step); // k = 1: one D update per iteration
      // still after the page's next tensors reading (its timers and frames ran), and nothing left behind by pausing
      const tensors = await settledTensors(page);
      expect(await counters(page)).toEqual(paused);

      await page.getByTestId('step-d').click();
      await waitFor(page, 'd-updates', (t) => Number(t) === paused.d + 1);
      await page.getByTestId('step-g').click();
      await waitFor(page, 'g-updates', (t) => Number(t) === paused.g + 1);
      for (let i = 0; i < 3; i++) await page.getByTestId('step-d').click();
      await waitFor(page, 'd-updates', (t) => Number(t) === paused.d + 4);
      await waitFor(page, 'state', (t) => t === 'paused');
      // nothing more than the clicks: the iteration counter stays, each click is one update of its network (still
      // so after the next tensors reading), and the single updates leave no tensors behind
      expect(await settledTensors(page)).toBe(tensors);
      expect(await counters(page)).toEqual({ step: paused.step, d: paused.d + 4, g: paused.g + 1 });
      expect(Number.isFinite(await num(page, 'd-loss'))).toBe(true);

      // k = 3: an iteration is three D updates and one G update
      await page.getByTestId('d-steps').selectOption('3');
      await waitFor(page, 'step', (t) => t === '0');
      await trainTo(page, 3);
      const k3 = await counters(page);
      expect(k3.d).toBe(3 * k3.step);
      expect(k3.g).toBe(k3.step);
      await page.getByTestId('d-steps').selectOption('1');
      expect(opened.errors).toEqual([]);
    });

    it('draw your own: clicks and a drag place points, and the GAN trains on them', async () => {
      await page.getByTestId('distribution').selectOption('draw');
      await waitFor(page, 'status', (t) => /place at least one point/.test(t));
      expect(await text(page, 'points')).toBe('0');
      await expect(page.getByTestId('play').isDisabled()).resolves.toBe(true);
      const box = (await page.getByTestId('plane').boundingBox())!;
      const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
      for (const [fx, fy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.5, 0.8],
      ] as const)
        await page.mouse.click(...at(fx, fy));
      expect(await num(page, 'points')).toBe(3);
      // a drag leaves a trail of points
      await page.mouse.move(...at(0.2, 0.6));
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(...at(0.2 + 0.05 * i, 0.6), { steps: 2 });
      await page.mouse.up();
      const drawn = await num(page, 'points');
      expect(drawn).toBeGreaterThan(5);
      // the playground restarts on the drawing: its points are the modes
      await waitFor(page, 'modes-total', (t) => Number(t) === drawn);
      await trainTo(page, 150);
      expect(await num(page, 'modes-covered')).toBeGreaterThan(0);
      await shoot(page, 'playground-draw.png');
      await page.getByTestId('clear-points').click();
      await waitFor(page, 'points', (t) => t === '0');
      await waitFor(page, 'state', (t) => t === 'waiting');
      expect(opened.errors).toEqual([]);
    });

    it('other settings: grid of 25 with WGAN-GP and 3 × 32 starts again and trains (critic heatmap)', async () => {
      await page.getByTestId('distribution').selectOption('grid25');
      await waitFor(page, 'modes-total', (t) => t === '25');
      await page.getByTestId('loss').selectOption('wgan-gp');
      await page.getByTestId('layers').selectOption('3');
      await page.getByTestId('units').selectOption('32');
      await page.getByTestId('lr-d').selectOption('0.0003');
      // every setting restarted the model; 'paused' (not 'busy') once the last restart is done — before the first
      // the page said 'waiting', with nothing drawn
      await waitFor(page, 'state', (t) => t === 'paused');
      await trainTo(page, 10);
      for (const id of ['d-loss', 'g-loss', 'js'])
        expect(Number.isFinite(await num(page, id)), id).toBe(true);
      expect(await text(page, 'modes-total')).toBe('25');
      await shoot(page, 'playground-grid25-wgan-gp.png');
      expect(opened.errors).toEqual([]);
    });
  });
}

/** The page without WebGPU: it falls back (to WebGL here) and says why. */
export function describeFallback(site: () => Site): void {
  it.sequential('without WebGPU the page falls back and says why (on hover and in the backend details)', async () => {
    const { page, errors } = await openPage(site(), '?backend=bogus', playgroundReady, (p) =>
      p.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
      }),
    );
    const backend = await text(page, 'backend');
    expect(['webgl', 'wasm', 'cpu']).toContain(backend);
    const title = await page.getByTestId('backend').getAttribute('title');
    expect(title).toMatch(/skipped webgpu: this browser exposes no WebGPU \(navigator.gpu is undefined\)/);
    expect(title).toMatch(/\?backend=bogus is not a backend/);
    await page.getByTestId('backend-details').locator('summary').click();
    await expect(page.getByTestId('backend-details').locator('li').first().isVisible()).resolves.toBe(true);
    await shoot(page, 'backend-fallback.png');
    expect(errors).toEqual([]);
    await page.close();
  });
}
