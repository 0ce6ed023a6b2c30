import { preferSwiftShader } from '@gankit/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, describeBackend, NODE_BACKEND_ORDER, useBackend } from './node.js';
import { isMissingPackage } from './select.js';

// Dawn reaches SwiftShader (a CPU Vulkan driver) only through VK_ICD_FILENAMES; set it as CI does.
preferSwiftShader();

describe('useBackend (Node)', () => {
  it("'auto' takes the best available backend and explains every better one it skipped", async () => {
    const active = await useBackend('auto');
    expect(tf.getBackend()).toBe(active.name);
    expect(active.requested).toBe('auto');
    const position = NODE_BACKEND_ORDER.indexOf(active.name as (typeof NODE_BACKEND_ORDER)[number]);
    expect(active.skipped.map((s) => s.name)).toEqual(NODE_BACKEND_ORDER.slice(0, position));
    for (const s of active.skipped) expect(s.reason.length).toBeGreaterThan(20);
    // tfjs-node is not a dependency of this workspace, so it is never what auto picks here.
    expect(active.skipped[0]).toMatchObject({
      name: 'tensorflow',
      reason: expect.stringMatching(/tfjs-node-gpu is not installed/),
    });
    const webgpu = active.skipped.find((s) => s.name === 'webgpu');
    if (webgpu) expect(webgpu.reason).toMatch(/software adapter|no GPU adapter|not installed/);
    expect(describeBackend(active)).toContain(`backend: ${active.name}`);
  });

  it('an explicit backend that cannot be had fails with the reason, never a silent fallback', async () => {
    await useBackend('cpu');
    const err = await useBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(
      /tensorflow.*@tensorflow\/tfjs-node-gpu is not installed.*@tensorflow\/tfjs-node is not installed/,
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown name, listing the valid ones', async () => {
    await expect(useBackend('cuda' as never)).rejects.toThrow(
      /use one of: auto, tensorflow, webgpu, wasm, cpu/,
    );
  });

  it('registers gradients and chained tensor methods, which tfjs-core alone does not', async () => {
    const active = await useBackend('cpu');
    expect(active.warnings.join(' ')).toMatch(/slower than wasm/);
    const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.leakyRelu(x, 0.2))))(tf.tensor1d([1, -2, 3]));
    expect(Array.from(dx.dataSync())).toEqual([2, expect.closeTo(-0.16, 6), 6]);
    expect(typeof (tf.scalar(2) as unknown as { square: unknown }).square).toBe('function');
  });

  it('prepares wasm with the training kernels it lacks', async () => {
    const active = await useBackend('wasm');
    expect(active.name).toBe('wasm');
    expect(active.added).toEqual([
      'Conv2DBackpropFilter',
      'UnsortedSegmentSum',
      'OneHot',
      'Conv2DBackpropInput',
      'BatchMatMul',
      'Tile',
    ]);
    expect(active.detail).toMatch(/WebAssembly/);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});

describe('isMissingPackage', () => {
  it('tells a missing package from a package whose own import failed', () => {
    const missing = Object.assign(new Error("Cannot find package 'webgpu' imported from /x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const nested = Object.assign(new Error("Cannot find package 'debug' imported from /webgpu/index.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const native = new Error('libtensorflow.so.2: cannot open shared object file');
    expect(isMissingPackage(missing, 'webgpu')).toBe(true);
    expect(isMissingPackage(nested, 'webgpu')).toBe(false);
    expect(isMissingPackage(native, '@tensorflow/tfjs-node')).toBe(false);
  });
});
