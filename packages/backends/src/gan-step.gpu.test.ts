/** The conditional conv GAN's training step on WebGPU (Dawn; in CI the software adapter SwiftShader) against cpu. */
import { webgpuUnderTest } from '@gankit/test-utils';
import { describe, expect, it } from 'vitest';
import { STEPS, train } from './gan-step.fixture.js';
import { useBackend } from './node.js';

const backends = await webgpuUnderTest(useBackend);

describe('one conditional conv GAN training step (D and G) on WebGPU', () => {
  it('gives the same losses on WebGPU (Dawn) as on cpu', async (ctx) => {
    if (backends.length === 0) ctx.skip('WebGPU through Dawn is not available here');
    const cpu = await train('cpu');
    const webgpu = await train('webgpu');
    expect(webgpu.leaked).toBe(0);
    for (let i = 0; i < STEPS; i++) {
      expect(Math.abs(webgpu.losses[i]!.dLoss - cpu.losses[i]!.dLoss)).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(webgpu.losses[i]!.gLoss - cpu.losses[i]!.gLoss)).toBeLessThanOrEqual(1e-3);
    }
  }, 300_000); // 6.4 s alone; it once took over 120 s beside eight other test processes on two cores
});
