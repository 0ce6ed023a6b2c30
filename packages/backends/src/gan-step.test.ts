import { describe, expect, it } from 'vitest';
import { STEPS, train } from './gan-step.fixture.js';

// the WebGPU case is gan-step.gpu.test.ts' (the software-GPU lane of the test run)
describe('one conditional conv GAN training step (D and G) on cpu and wasm', () => {
  it('gives the same losses on cpu and wasm, and leaks no tensors', async () => {
    const cpu = await train('cpu');
    const wasm = await train('wasm');
    expect(cpu.leaked).toBe(0);
    expect(wasm.leaked).toBe(0);
    for (let i = 0; i < STEPS; i++) {
      expect(Math.abs(wasm.losses[i]!.dLoss - cpu.losses[i]!.dLoss)).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(wasm.losses[i]!.gLoss - cpu.losses[i]!.gLoss)).toBeLessThanOrEqual(1e-3);
    }
    // The losses are real numbers of a GAN at initialisation (≈ 2·log 2 for D, ≈ log 2 for G), not zeros.
    expect(cpu.losses[0]!.dLoss).toBeGreaterThan(0.5);
    expect(cpu.losses[0]!.gLoss).toBeGreaterThan(0.2);
  });
});
