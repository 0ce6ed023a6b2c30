import {
  createTinyGan,
  preferSwiftShader,
  type StepLosses,
  seededUniform,
  webgpuRequired,
} from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from './node.js';

preferSwiftShader();
// CI sets this: there WebGPU through Dawn + SwiftShader must work, and its absence is a failure, not a skip.
const requireWebgpu = webgpuRequired();

const STEPS = 3;
const BATCH = 6;

/** Trains the tiny conditional conv GAN for a few steps on `backend` from fixed seeds; returns its losses. */
async function train(backend: 'cpu' | 'wasm' | 'webgpu'): Promise<{ losses: StepLosses[]; leaked: number }> {
  await useBackend(backend);
  const gan = createTinyGan({ imageSize: 16, latent: 8, width: 8, classes: 4, seed: 7 });
  const real = tf.tensor4d(seededUniform(BATCH * 16 * 16, 100, 0, 1), [BATCH, 16, 16, 1]);
  const labels = tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32');
  const fakeLabels = tf.tensor1d([3, 2, 1, 0, 3, 2], 'int32');
  const losses: StepLosses[] = [];
  let afterFirst = 0;
  for (let i = 0; i < STEPS; i++) {
    const z = tf.tensor2d(seededUniform(BATCH * 8, 200 + i), [BATCH, 8]);
    losses.push(await gan.step(real, labels, z, fakeLabels));
    z.dispose();
    if (i === 0) afterFirst = tf.memory().numTensors; // optimizer slots exist from here on
  }
  const leaked = tf.memory().numTensors - afterFirst;
  gan.dispose();
  tf.dispose([real, labels, fakeLabels]);
  return { losses, leaked };
}

async function webgpuAvailable(): Promise<string | null> {
  try {
    await useBackend('webgpu');
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('one conditional conv GAN training step (D and G) on every backend', () => {
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

  it('gives the same losses on WebGPU (Dawn) as on cpu', async (ctx) => {
    const unavailable = await webgpuAvailable();
    if (unavailable != null) {
      if (requireWebgpu) throw new Error(`WebGPU is required here (GANKIT_REQUIRE_WEBGPU=1): ${unavailable}`);
      ctx.skip(`WebGPU through Dawn is not available: ${unavailable}`);
    }
    const cpu = await train('cpu');
    const webgpu = await train('webgpu');
    expect(webgpu.leaked).toBe(0);
    for (let i = 0; i < STEPS; i++) {
      expect(Math.abs(webgpu.losses[i]!.dLoss - cpu.losses[i]!.dLoss)).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(webgpu.losses[i]!.gLoss - cpu.losses[i]!.gLoss)).toBeLessThanOrEqual(1e-3);
    }
  }, 300_000); // 6.4 s alone; it once took over 120 s beside eight other test processes on two cores
});
