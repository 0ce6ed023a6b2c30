import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from './node.js';
import { MAX_WASM_THREADS, wantedWasmThreads, wasmThreadsInUse } from './wasm-threads.js';

// Every vitest file runs in a fresh process (pool: forks), so this one starts wasm threaded.
describe('threaded wasm in Node', () => {
  it('runs XNNPACK on 2 threads and computes what the cpu backend computes', async () => {
    const active = await useBackend('wasm', { wasm: { threads: 2 } });
    expect(active.detail).toMatch(/SIMD with XNNPACK, 2 threads/);
    expect(active.warnings).toEqual([]);
    expect(wasmThreadsInUse()).toBe(2);
    expect(active.added).toContain('Conv2DBackpropFilter');

    // Shapes large enough for XNNPACK to split the work between the threads.
    const cases = () => {
      const x = tf.randomNormal([16, 14, 14, 32], 0, 1, 'float32', 3) as tf.Tensor4D;
      const f = tf.randomNormal([3, 3, 32, 48], 0, 0.2, 'float32', 4) as tf.Tensor4D;
      const dy = tf.randomNormal([16, 7, 7, 48], 0, 1, 'float32', 5) as tf.Tensor4D;
      const a = tf.randomNormal([96, 200], 0, 1, 'float32', 6) as tf.Tensor2D;
      const b = tf.randomNormal([200, 130], 0, 1, 'float32', 7) as tf.Tensor2D;
      const grads = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, 2, 'same'), dy)),
      )([x, f]);
      return [tf.conv2d(x, f, 2, 'same'), ...grads, tf.matMul(a, b), tf.leakyRelu(tf.matMul(a, b), 0.2)];
    };
    const threaded = await Promise.all(cases().map((t) => t.data()));
    await useBackend('cpu');
    const reference = await Promise.all(cases().map((t) => t.data()));
    expect(threaded.length).toBe(5);
    for (let i = 0; i < threaded.length; i++) {
      const got = threaded[i] as Float32Array;
      const want = reference[i] as Float32Array;
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let j = 0; j < got.length; j++)
        worst = Math.max(worst, Math.abs(got[j]! - want[j]!) / (1 + Math.abs(want[j]!)));
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('trains in a child process that then exits by itself', async () => {
    const child = fileURLToPath(new URL('../test/fixtures/threaded-child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@gankit/source', '--import', 'tsx', child],
      { timeout: 300_000 }, // 3.3 s alone: a limit for a hung child only
    );
    const seen = JSON.parse(stdout.trim().split('\n').pop()!) as {
      detail: string;
      threads: number;
      losses: number[];
    };
    expect(seen.threads).toBe(2);
    expect(seen.detail).toMatch(/2 threads/);
    expect(seen.losses.length).toBe(5);
    expect(seen.losses[4]!).toBeLessThan(seen.losses[0]!);
  });

  it('takes its thread count from the option, then GANKIT_WASM_THREADS, and checks it', () => {
    const saved = process.env.GANKIT_WASM_THREADS;
    try {
      process.env.GANKIT_WASM_THREADS = '3';
      expect(wantedWasmThreads()).toBe(3);
      expect(wantedWasmThreads(1)).toBe(1);
      process.env.GANKIT_WASM_THREADS = 'many';
      expect(() => wantedWasmThreads()).toThrow(
        /GANKIT_WASM_THREADS must be an integer from 1 to 8, got NaN/,
      );
      expect(() => wantedWasmThreads(MAX_WASM_THREADS + 1)).toThrow(
        /wasm.threads must be an integer from 1 to 8, got 9/,
      );
      delete process.env.GANKIT_WASM_THREADS;
      expect(wantedWasmThreads()).toBeGreaterThanOrEqual(1);
    } finally {
      if (saved == null) delete process.env.GANKIT_WASM_THREADS;
      else process.env.GANKIT_WASM_THREADS = saved;
    }
  });
});
