/**
 * The demo as a visitor meets it, in headless Debian Chromium: one production build served by `vite preview`, one
 * browser, and one page per view and backend, each running several checks in order (test/e2e/). Screenshots go to
 * test-results/screenshots/. The pretrained view's samples are classified here, in Node, by the project's MNIST
 * classifier (@gankit/metrics' shipped extractor).
 *
 * Work is sized, not timed: each check waits for a number of iterations or an event, so a busy machine takes longer
 * and never fails for it.
 *
 * Two chains of pages run side by side, each in order: the WebGPU page, whose time is SwiftShader compiling shaders
 * in Chromium's GPU process, and the wasm pages (and the fallback page), which train in their own renderers. Neither
 * chain waits on the other: on two cores the WebGPU chain's compiling overlaps the wasm chain's training.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { describeImages } from './e2e/images.js';
import { describePlayground } from './e2e/playground.js';
import { describePretrained } from './e2e/pretrained.js';
import { runs, type Site, startSite } from './e2e/site.js';
import { describeWebGpu } from './e2e/webgpu.js';

let site: Site | undefined;
const current = () => site!;

// the limits only catch a hang: the whole file took 119 s alone on two cores (the Vite build 12 s of it, WebGPU's
// page 60 s) and 280 s beside other test processes (load ~8)
describe.skipIf(!runs)('the demo in headless Chromium', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    site = await startSite();
  }, 600_000);
  afterAll(async () => {
    await site?.close();
  });

  describe.concurrent('WebGPU chain', () => {
    describeWebGpu(current);
  });
  describe.concurrent('wasm chain', () => {
    describePlayground(current);
    describeImages(current);
    describePretrained(current);
  });
});
