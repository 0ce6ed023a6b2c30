import type { ActiveBackend, BrowserBackendName, BrowserBackendOptions } from '@gankit/backends';
import { BackendUnavailableError } from '@gankit/backends';
import { describe, expect, it } from 'vitest';
import { backendLines, parseBackendParam, startBackend } from './backend.js';

const active = (name: BrowserBackendName, over: Partial<ActiveBackend> = {}): ActiveBackend => ({
  name,
  requested: 'auto',
  skipped: [],
  detail: `${name} detail`,
  warnings: [],
  added: [],
  ...over,
});

describe('?backend=', () => {
  it('reads a backend name, auto, or nothing', () => {
    expect(parseBackendParam('')).toEqual({ requested: 'auto' });
    expect(parseBackendParam('?backend=auto')).toEqual({ requested: 'auto' });
    expect(parseBackendParam('?view=playground-2d&backend=wasm')).toEqual({ requested: 'wasm' });
    expect(parseBackendParam('?backend=WebGPU')).toEqual({ requested: 'webgpu' });
    expect(parseBackendParam('?backend=tensorflow')).toEqual({
      requested: 'auto',
      problem: expect.stringMatching(/tensorflow is not a backend; use one of webgpu, webgl, wasm, cpu/),
    });
  });
});

describe('startBackend', () => {
  it('asks for auto with the software WebGPU adapter allowed, passing the wasm paths on', async () => {
    const calls: [string, BrowserBackendOptions][] = [];
    const started = await startBackend(
      '',
      async (name, options) => {
        calls.push([name, options]);
        return active('webgpu', {
          warnings: ['google swiftshader is a software adapter: expect it to be slow'],
        });
      },
      { paths: '/wasm/' },
    );
    expect(calls).toEqual([['auto', { webgpu: { allowSoftwareAdapter: true }, wasm: { paths: '/wasm/' } }]]);
    expect(started.notes).toEqual([]);
    const lines = backendLines(started);
    expect(lines.name).toBe('webgpu');
    expect(lines.slow).toBe(true);
    expect(lines.lines).toContain('note: google swiftshader is a software adapter: expect it to be slow');
  });

  it('forces a named backend', async () => {
    const started = await startBackend('?backend=wasm', async (name) =>
      active(name as BrowserBackendName, { requested: name }),
    );
    expect(started.active.name).toBe('wasm');
    expect(backendLines(started).lines).toEqual(['wasm: wasm detail', 'forced with ?backend=wasm']);
  });

  it('falls back to auto when the forced backend cannot start, and says why', async () => {
    const started = await startBackend('?backend=webgl', async (name) => {
      if (name === 'webgl')
        throw new BackendUnavailableError('webgl', 'WebGL is not available in this browser');
      return active('wasm', {
        skipped: [{ name: 'webgpu', reason: 'this browser exposes no WebGPU (navigator.gpu is undefined)' }],
      });
    });
    const { name, lines, slow } = backendLines(started);
    expect(name).toBe('wasm');
    expect(slow).toBe(false);
    expect(lines).toEqual([
      'wasm: wasm detail',
      'skipped webgpu: this browser exposes no WebGPU (navigator.gpu is undefined)',
      "note: webgl was asked for but could not start (Backend 'webgl' is not available: WebGL is not available in this browser); chose automatically",
    ]);
  });

  it('lets the page know when no backend at all could start', async () => {
    await expect(
      startBackend('', async () => {
        throw new Error('gankit: no TensorFlow.js backend could be started');
      }),
    ).rejects.toThrow(/no TensorFlow.js backend/);
  });
});
