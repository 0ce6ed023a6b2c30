import { describe, expect, it } from 'vitest';
import { MATMUL_TILES_FLAG, tuneForSoftwareAdapter } from './software-adapter.js';
import type { ActiveBackend, BackendName } from './types.js';

const active = (name: BackendName, over: Partial<ActiveBackend> = {}): ActiveBackend => ({
  name,
  requested: name,
  skipped: [],
  detail: name,
  warnings: [],
  added: [],
  ...over,
});

describe('tuneForSoftwareAdapter', () => {
  const flags = () => {
    const set = new Map<string, number>();
    return { set, env: { set: (flag: string, value: number) => void set.set(flag, value) } };
  };
  it('keeps a software WebGPU adapter to the small-tile matmul programs', () => {
    const { set, env } = flags();
    const software = active('webgpu', { softwareAdapter: true });
    expect(tuneForSoftwareAdapter(software, env)).toBe(true);
    expect(set.get(MATMUL_TILES_FLAG)).toBe(Number.MAX_SAFE_INTEGER);
  });
  it('leaves a hardware adapter and the other backends alone', () => {
    const { set, env } = flags();
    expect(tuneForSoftwareAdapter(active('webgpu'), env)).toBe(false);
    expect(tuneForSoftwareAdapter(active('cpu', { warnings: ['slow'] }), env)).toBe(false);
    expect(set.size).toBe(0);
  });
});
