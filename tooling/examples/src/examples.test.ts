import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeGreyPng, tileImages } from './png.js';

describe('PNG sample grid', () => {
  it('encodes greyscale pixels that decode back exactly', () => {
    const images = new Float32Array(2 * 4 * 4).map((_, i) => (i % 17) / 16);
    const { pixels, width, height } = tileImages(images, 2, 4, 2);
    expect([width, height]).toEqual([2 * 6 + 2, 8]);
    const png = encodeGreyPng(pixels, width, height);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(width);
    const idatLength = png.readUInt32BE(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    for (let y = 0; y < height; y++) {
      expect(raw[y * (width + 1)]).toBe(0); // filter byte
      expect(Array.from(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)))).toEqual(
        Array.from(pixels.subarray(y * width, (y + 1) * width)),
      );
    }
    expect(() => encodeGreyPng(pixels, width + 1, height)).toThrow(/expected/);
  });
});

describe('the README training job (pnpm train)', () => {
  const pkg = resolve(import.meta.dirname, '..');

  it('trains on wasm, prints finite losses and writes a sample grid', () => {
    const out = mkdtempSync(join(tmpdir(), 'gankit-train-'));
    try {
      const stdout = execFileSync(
        process.execPath,
        [
          '--conditions=@gankit/source',
          '--import',
          'tsx',
          'src/train-tiny-gan.ts',
          '--steps',
          '25',
          '--backend',
          'wasm',
          '--out',
          out,
        ],
        { cwd: pkg, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(stdout).toMatch(/^backend: wasm/m);
      const line = stdout.split('\n').find((l) => l.startsWith('step    25/25'));
      expect(line).toBeDefined();
      const [, d, g] = /dLoss (\S+)\s+gLoss (\S+)/.exec(line!)!;
      expect(Number(d)).toBeGreaterThan(0.1);
      expect(Number(g)).toBeGreaterThan(0.1);
      const png = readFileSync(join(out, 'samples.png'));
      expect(png.readUInt32BE(16)).toBe(10 * 30 + 2);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('rejects bad options with exit code 2 and a message naming the fix', () => {
    const run = (args: string[]) => {
      try {
        execFileSync(
          process.execPath,
          ['--conditions=@gankit/source', '--import', 'tsx', 'src/train-tiny-gan.ts', ...args],
          {
            cwd: pkg,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        return { status: 0, stderr: '' };
      } catch (err) {
        const e = err as { status: number; stderr: string };
        return { status: e.status, stderr: e.stderr };
      }
    };
    expect(run(['--steps', '0'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--steps must be a positive integer/),
    });
    expect(run(['--backend', 'cuda'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--backend must be one of auto/),
    });
    expect(run(['--bogus'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/Unknown option '--bogus'.*Options:/),
    });
    expect(run(['--backend', 'tensorflow', '--steps', '1'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/tfjs-node-gpu is not installed/),
    });
  });
});
