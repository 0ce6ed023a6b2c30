/** `gankit generate` on style-based runs (truncation in W, --mix, --interpolate in W) and its refusals elsewhere. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@gankit/backends';
import { averageStyle, loadGenerator } from '@gankit/models';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree, lastEvalRecords, mainIn, metricsLines } from './cli.fixture.js';

const work = mkdtempSync(join(tmpdir(), 'gankit-style-'));
const gankit = mainIn(work);

const TINY = ['--steps', '2', '--batch-size', '8', '--sample-every', '2', '--checkpoint-every', '2'];
const TINY_EVAL = ['--log-every', '1', '--eval-samples', '100', '--backend', 'wasm'];

const size = (file: string) => {
  const png = PNG.sync.read(readFileSync(join(work, file)));
  return [png.width, png.height];
};

beforeAll(async () => {
  await useBackend('cpu');
  const style = await gankit('train', '--preset', 'stylegan-mnist', ...TINY, ...TINY_EVAL, '--out', 'style');
  expect(style.code, style.stderr).toBe(0);
  const plain = await gankit('train', '--preset', 'quick', ...TINY, ...TINY_EVAL, '--out', 'plain');
  expect(plain.code, plain.stderr).toBe(0);
}, 600_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const evalRecords = (run: string) => lastEvalRecords(join(work, run));

describe('evaluation of a style-based run', () => {
  it('adds perceptual path length in W and in Z (half as many pairs as FID samples); other runs have none', () => {
    const style = evalRecords('style');
    const ppl = style.filter((r) => r.metric.startsWith('ppl'));
    expect(ppl.map((r) => r.metric)).toEqual(['ppl-w', 'ppl-z']);
    for (const r of ppl) {
      expect(r.value).toBeGreaterThan(0);
      expect(r.details!.pairs).toBe(50);
    }
    expect(style.map((r) => r.metric)).toContain('fid');
    expect(evalRecords('plain').some((r) => r.metric.startsWith('ppl'))).toBe(false);
  });
});

describe('gankit generate on a style-based run', () => {
  it('--truncation ψ in W, --mix (a style-mixing grid), --interpolate in W', async () => {
    const grid = await gankit(
      'generate',
      'style',
      '--n',
      '16',
      '--out',
      'psi.png',
      '--truncation',
      '0.5',
      '--json',
    );
    expect(grid.code, grid.stderr).toBe(0);
    expect(JSON.parse(grid.stdout)).toMatchObject({
      n: 16,
      truncation: 0.5,
      space: 'W',
      mix: false,
      step: 2,
    });
    expect(size('psi.png')).toEqual([4 * 58 + 2, 4 * 58 + 2]);
    // ψ = 0 and the coarse layers only are valid too
    const zero = await gankit(
      'generate',
      'style',
      '--n',
      '4',
      '--out',
      'zero.png',
      '--truncation',
      '0',
      '--truncation-layers',
      '4',
    );
    expect(zero.code, zero.stderr).toBe(0);
    expect(zero.stderr + zero.stdout).toMatch(/truncation ψ 0 in W/);

    const mix = await gankit('generate', 'style', '--n', '16', '--out', 'mix.png', '--mix', '--json');
    expect(mix.code, mix.stderr).toBe(0);
    expect(JSON.parse(mix.stdout)).toMatchObject({ mix: true, space: 'W' });
    expect(size('mix.png')).toEqual([5 * 58 + 2, 5 * 58 + 2]); // 4 row and 4 column sources, a blank corner

    const walk = await gankit('generate', 'style', '--n', '16', '--out', 'walk.png', '--interpolate');
    expect(walk.code, walk.stderr).toBe(0);
    expect(size('walk.png')).toEqual([8 * 58 + 2, 2 * 58 + 2]);
  }, 300_000);

  it('the exported generator carries w̄ (moved off 0 by training)', async () => {
    const g = loadGenerator(new Uint8Array(readFileSync(join(work, 'style', 'generator.safetensors'))));
    expect(g.manifest.model.family).toBe('stylegan');
    const w = Array.from(averageStyle(g.network).dataSync());
    expect(w.some((v) => v !== 0)).toBe(true);
    g.network.dispose();
  });

  const refused: [string, string, string[], RegExp][] = [
    [
      'ψ above 1',
      'style',
      ['--truncation', '1.5'],
      /--truncation 1.5: on a style-based run it is ψ in W space and must be in \[0, 1\]/,
    ],
    [
      '--mix with --interpolate',
      'style',
      ['--mix', '--interpolate'],
      /--mix and --interpolate draw different grids/,
    ],
    [
      '--mix on a run without W',
      'plain',
      ['--mix'],
      /--mix needs a style-based run .*this run's model is cgan-28/,
    ],
    [
      '--truncation-layers without W',
      'plain',
      ['--truncation-layers', '2'],
      /--truncation-layers needs a style-based run/,
    ],
    [
      '--truncation 0 on a run without W (a threshold on z)',
      'plain',
      ['--truncation', '0'],
      /--truncation must be a positive number/,
    ],
  ];
  it.each(refused)(
    '%s: exit 2, a message, nothing written, the run folder unchanged',
    async (_, run, args, message) => {
      const before = hashTree(join(work, run));
      const r = await gankit('generate', run, '--out', 'refused.png', ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(work, 'refused.png'))).toBe(false);
      expect(hashTree(join(work, run))).toBe(before);
    },
    120_000,
  );
});

describe('path-length regularisation (train.penalties.pathLength)', () => {
  it('a style run logs it on its G updates and resumes with its running mean; other runs are refused', async () => {
    writeFileSync(
      join(work, 'pl.json'),
      JSON.stringify({ train: { penalties: { pathLength: { every: 2 } } } }),
    );
    const first = await gankit(
      'train',
      ...['--preset', 'stylegan-mnist', '--config', 'pl.json', ...TINY, ...TINY_EVAL, '--out', 'pl'],
    );
    expect(first.code, first.stderr).toBe(0);
    const again = await gankit('resume', 'pl', '--steps', '4');
    expect(again.code, again.stderr).toBe(0);
    const steps = metricsLines(join(work, 'pl'), 'step');
    expect(steps.map((l) => l.step)).toEqual([1, 2, 3, 4]);
    // lazy, every 2nd G update: steps 1 and 3 (G updates 0 and 2)
    expect(steps.map((l) => l.terms?.pathLength != null)).toEqual([true, false, true, false]);

    const refused = await gankit(
      'train',
      '--preset',
      'quick',
      '--config',
      'pl.json',
      '--steps',
      '2',
      '--out',
      'nope',
    );
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(
      /config\.penalties\.pathLength needs a style-based generator \(model stylegan\)/,
    );
    expect(existsSync(join(work, 'nope'))).toBe(false);
  }, 600_000);
});
