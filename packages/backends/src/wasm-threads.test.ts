import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, wantedWasmThreads } from './wasm-threads.js';

interface Seen {
  detail: string;
  warnings: string[];
  added: string[];
  threads: number;
  losses: number[];
  worst: number[];
}

// Threaded wasm starts in a Node process of its own (wasm's thread count is fixed when it first starts, and the test
// workers reuse their processes): the fixture computes, trains and reports; both tests read its one run.
let seen: Promise<Seen> | undefined;
const child = () => {
  seen ??= promisify(execFile)(
    process.execPath,
    [
      '--conditions=@gankit/source',
      '--import',
      'tsx',
      fileURLToPath(new URL('../test/fixtures/threaded-child.ts', import.meta.url)),
    ],
    { timeout: 300_000 }, // 4 s alone: a limit for a hung child only
  ).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').pop()!) as Seen);
  return seen;
};

describe('threaded wasm in Node', () => {
  it('runs XNNPACK on 2 threads and computes what the cpu backend computes', async () => {
    const s = await child();
    expect(s.detail).toMatch(/SIMD with XNNPACK, 2 threads/);
    expect(s.warnings).toEqual([]);
    expect(s.threads).toBe(2);
    expect(s.added).toContain('Conv2DBackpropFilter');
    // conv, its two gradients, matMul, leakyRelu(matMul)
    expect(s.worst.length).toBe(5);
    for (const w of s.worst) expect(w).toBeLessThan(1e-4);
  });

  it('trains in a child process that then exits by itself', async () => {
    const s = await child(); // execFile resolves only once the process has exited
    expect(s.losses.length).toBe(5);
    expect(s.losses[4]!).toBeLessThan(s.losses[0]!);
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
