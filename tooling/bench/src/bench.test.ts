import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import { type BenchReport, bestTorch, bestWasm, renderMarkdown, renderPrdc } from './report.js';

const measure = fileURLToPath(new URL('./measure.ts', import.meta.url));
const run = (args: string[]) =>
  promisify(execFile)(
    process.execPath,
    ['--conditions=@gankit/source', '--import', 'tsx', measure, ...args],
    { timeout: 300_000 }, // each measurement took 1–3 s alone: a limit for a hung child only
  );

// Speed is never asserted here (benchmarks measure it); these keep the benchmark itself working and honest.
describe('the benchmark', () => {
  it('measures a training case in its own process: steps, throughput, memory, no leaked tensors', async () => {
    const { stdout } = await run([
      'train',
      '--backend',
      'cpu',
      '--case',
      'ring8-mlp',
      '--seconds',
      '0',
      '--warmup',
      '1',
      '--min-steps',
      '3',
    ]);
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(r).toMatchObject({ backend: 'cpu', case: 'ring8-mlp', steps: 3, unit: 'steps/s' });
    expect(r.throughput).toBeGreaterThan(0);
    expect(r.peakRssMB).toBeGreaterThan(10);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
  });

  it('profiles a step: kernel time per kernel, and the rest as JavaScript', async () => {
    const { stdout } = await run(['profile', '--backend', 'wasm', '--case', 'ring8-mlp']);
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(r.kernels.length).toBeGreaterThan(5);
    expect(r.kernels.map((k: { name: string }) => k.name)).toContain('BatchMatMul');
    expect(r.kernelMs).toBeGreaterThan(0);
    expect(r.kernelCalls).toBeGreaterThan(100);
  });

  it("runs Naeem et al.'s precision/recall/density/coverage example at a small size, with its memory", async () => {
    const { stdout } = await run(['prdc', '--backend', 'wasm', '--count', '400']);
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(r).toMatchObject({ backend: 'wasm', count: 400 });
    expect(r.published).toBeUndefined(); // the published figures hold at 10,000 only
    for (const k of ['precision', 'recall', 'coverage']) {
      expect(r[k]).toBeGreaterThan(0);
      expect(r[k]).toBeLessThanOrEqual(1);
    }
    expect(r.peakTensorMB).toBeGreaterThanOrEqual(r.inputMB);
    const md = renderPrdc({ ok: true, result: { ...r, published: { precision: 0.477 } } });
    expect(md).toMatch(
      /400 vs 400 samples of N\(0, I₁₀₀₀\), k = 5, on wasm: precision 0\.\d+ \(published 0\.477\)/,
    );
    expect(renderPrdc({ ok: false, error: 'boom' })).toContain('failed — boom');
  });

  it('rejects an unknown case with the valid ones', async () => {
    const err = await run(['train', '--backend', 'cpu', '--case', 'nope']).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr).toMatch(
      /unknown case 'nope'; cases: seed-64, seed-256, dcgan-32, ring8-mlp/,
    );
  });

  it('reports ratios and target checks from the numbers, and failures as failures', () => {
    const ok = (result: Record<string, unknown>) => ({ ok: true, result });
    const report: BenchReport = {
      startedAt: '2026-11-23T20:00:00.000Z',
      finishedAt: '2026-11-23T20:30:00.000Z',
      machine: { cpu: 'test cpu', cores: 2, memoryGiB: 24, node: 'v20', torch: '1.13' },
      settings: {
        quick: false,
        seconds: 20,
        stabilitySteps: 1000,
        fidCount: 10_000,
        cases: ['seed-64', 'ring8-mlp'],
      },
      cases: Object.fromEntries(CASES.map((c) => [c.id, { title: c.title, unit: c.unit }])),
      backends: {
        wasm: { available: true, detail: 'x' },
        'wasm-1t': { available: true, detail: 'y' },
        cpu: { available: true, detail: 'z' },
        webgpu: { available: false, reason: 'software adapter' },
      },
      training: {
        'seed-64': {
          wasm: ok({ throughput: 40 }),
          'wasm-1t': ok({ throughput: 30 }),
          cpu: ok({ throughput: 0.1 }),
          'torch-1t': ok({ throughput: 10 }),
          'torch-2t': ok({ throughput: 12 }),
        },
        'ring8-mlp': {
          wasm: ok({ throughput: 50 }),
          'wasm-1t': { ok: false, error: 'boom' },
          'torch-1t': ok({ throughput: 60 }),
          'torch-2t': ok({ throughput: 55 }),
        },
      },
      generation: {},
      stability: [
        ok({
          case: 'ring8-mlp',
          steps: 1000,
          backend: 'wasm',
          samples: [
            { step: 1, numTensors: 70, tensorMB: 1, rssMB: 200 },
            { step: 100, numTensors: 70, tensorMB: 1, rssMB: 210 },
            { step: 1000, numTensors: 71, tensorMB: 1, rssMB: 211 },
          ],
        }),
      ],
      profiles: [],
    };
    expect(bestWasm(report.training['seed-64']!, 'throughput')).toEqual({ value: 40, variant: 'wasm' });
    expect(bestTorch(report.training['seed-64']!, 'throughput')).toEqual({ value: 12, threads: 2 });
    const md = renderMarkdown(report);
    expect(md).toContain('| 3.3× | 400.0× |');
    expect(md).toContain('- ✓ seed-64: wasm ≥ 3× PyTorch CPU (3.3×)');
    expect(md).toContain('- ✓ seed-64: wasm ≥ 100× tfjs-backend-cpu (400.0×)');
    expect(md).toContain("- ✗ ring8-mlp: steps/s ≥ PyTorch's (0.8×)");
    expect(md).toContain('failed: boom');
    expect(md).toContain('numTensors 70 → 70 → 71 (NOT flat)');
    expect(md).toContain('- ✗ ring8-mlp: numTensors flat over 1000 steps');
    expect(md).toContain('`webgpu`: not measured — software adapter');
  });
});
