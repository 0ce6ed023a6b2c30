/** Unpaired runs through the CLI: train, resume exactly, evaluate both ways, export the pair, translate either way; bad input. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@gankit/backends';
import { loadCycle } from '@gankit/models';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastEvalRecords, mainIn, metricsLines } from './cli.fixture.js';

const work = mkdtempSync(join(tmpdir(), 'gankit-cycle-'));
const gankit = mainIn(work);
const TINY = ['--batch-size', '4', '--sample-every', '2', '--checkpoint-every', '2', '--log-every', '1'];
const EVAL = ['--eval-samples', '100', '--backend', 'wasm'];
// a constant rate: `--steps` would otherwise set the preset's decay to span each run's own length
const SMALL = {
  model: {
    family: 'cyclegan',
    options: { imageSize: 28, gFilters: 4, blocks: 1, dFilters: 4, patchLayers: 1 },
  },
  train: { lrSchedule: null },
};

/** A 40×40 PNG of a bright disc on black. */
function disc(file: string): void {
  const p = new PNG({ width: 40, height: 40 });
  for (let i = 0; i < 40 * 40; i++) {
    const v = Math.hypot((i % 40) - 20, Math.floor(i / 40) - 20) < 10 ? 255 : 0;
    p.data.set([v, v, v, 255], i * 4);
  }
  writeFileSync(join(work, file), PNG.sync.write(p));
}

beforeAll(async () => {
  await useBackend('cpu');
  disc('disc.png');
  writeFileSync(join(work, 'small.json'), JSON.stringify(SMALL));
  const r = await gankit(
    'train',
    '--preset',
    'cyclegan-mnist2styled',
    '--config',
    'small.json',
    '--steps',
    '4',
    ...TINY,
    ...EVAL,
    '--out',
    'cyc',
  );
  expect(r.code, r.stderr).toBe(0);
  const p2p = await gankit(
    'train',
    '--preset',
    'pix2pix-edges2mnist',
    '--steps',
    '1',
    ...TINY,
    ...EVAL,
    '--out',
    'p2p',
  );
  expect(p2p.code, p2p.stderr).toBe(0);
}, 600_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('unpaired runs', () => {
  it('train: both directions’ terms logged, A | A→B | A→B→A and B rows sampled, evaluated both ways beside the identity', async () => {
    const steps = metricsLines(join(work, 'cyc'), 'step');
    expect(Object.keys(steps[0].terms).sort()).toEqual([
      'adversarialAB',
      'adversarialBA',
      'adversarialDA',
      'adversarialDB',
      'cycleA',
      'cycleB',
      'identityA',
      'identityB',
    ]);
    const grid = PNG.sync.read(readFileSync(join(work, 'cyc', 'samples', 'step-0000004.png')));
    expect(grid.height).toBeGreaterThan(grid.width / 2); // six rows of eight
    const records = lastEvalRecords(join(work, 'cyc'));
    const of = (metric: string, direction: string) =>
      records.find(
        (r) =>
          r.metric === metric &&
          (r as { settings?: { direction?: string } }).settings?.direction === direction,
      );
    for (const d of ['a2b', 'b2a']) {
      expect(of('class-preservation', d)?.details?.baseline).toBeGreaterThanOrEqual(0);
      expect(of('fid', d)?.value).toBeGreaterThan(0);
      expect(of('cycle-l1', d)?.value).toBeGreaterThan(0);
    }
    expect(existsSync(join(work, 'cyc', 'generator.safetensors'))).toBe(true);
  });

  it('a key the config leaves out is off: no identity terms, no pools, D’s loss not halved', async () => {
    writeFileSync(
      join(work, 'bare.json'),
      JSON.stringify({
        ...SMALL,
        train: { lrSchedule: null, identity: null, pool: null, discriminatorWeight: null },
      }),
    );
    const r = await gankit(
      'train',
      '--preset',
      'cyclegan-mnist2styled',
      '--config',
      'bare.json',
      '--steps',
      '1',
      ...TINY,
      ...EVAL,
      '--out',
      'bare',
    );
    expect(r.code, r.stderr).toBe(0);
    const [step] = metricsLines(join(work, 'bare'), 'step');
    expect(Object.keys(step.terms).filter((t) => t.startsWith('identity'))).toEqual([]);
    expect(step.dLoss).toBeCloseTo(step.terms.adversarialDA + step.terms.adversarialDB, 4);
  }, 300_000);

  it('resume: a run stopped at step 2 and resumed to 4 equals the straight one, to the bit', async () => {
    writeFileSync(join(work, 'small.json'), JSON.stringify(SMALL));
    const half = await gankit(
      'train',
      '--preset',
      'cyclegan-mnist2styled',
      '--config',
      'small.json',
      '--steps',
      '2',
      ...TINY,
      ...EVAL,
      '--out',
      'half',
    );
    expect(half.code, half.stderr).toBe(0);
    const resumed = await gankit('resume', 'half', '--steps', '4', '--backend', 'wasm');
    expect(resumed.code, resumed.stderr).toBe(0);
    const weights = (run: string) => {
      const { ab, ba } = loadCycle(new Uint8Array(readFileSync(join(work, run, 'generator.safetensors'))));
      const values = [ab, ba].map((n) => n.variables().map((v) => Array.from(v.dataSync())));
      ab.dispose();
      ba.dispose();
      return values;
    };
    expect(weights('half')).toEqual(weights('cyc'));
  }, 300_000);

  it('export writes the generator pair; translate runs either direction; evaluate reports both', async () => {
    const e = await gankit('export', 'cyc', '--out', 'pair', '--float16', '--json');
    expect(e.code, e.stderr).toBe(0);
    const { manifest, ab, ba } = loadCycle(
      new Uint8Array(readFileSync(join(work, 'pair', 'generator.safetensors'))),
    );
    expect(manifest).toMatchObject({ format: 'gankit-cycle/1', domains: { b: { style: 'thick-inverted' } } });
    ab.dispose();
    ba.dispose();
    for (const d of ['a2b', 'b2a']) {
      const t = await gankit(
        'translate',
        'cyc',
        '--direction',
        d,
        '--input',
        'disc.png',
        '--out',
        `disc-${d}.png`,
        '--backend',
        'wasm',
      );
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout).toMatch(
        new RegExp(
          `as a domain ${d === 'a2b' ? 'A' : 'B'} image → cyclegan-resnet-28 ${d === 'a2b' ? 'G \\(A → B\\)' : 'F \\(B → A\\)'}`,
        ),
      );
      expect(PNG.sync.read(readFileSync(join(work, `disc-${d}.png`))).width).toBe(28);
    }
    const ev = await gankit('evaluate', 'cyc', '--samples', '100', '--backend', 'wasm');
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/A→B: class [\d.]+ \(identity [\d.]+\) · fid .* · B→A: class/);
  }, 300_000);

  it('bad input: no --direction on an unpaired run, --direction on a pix2pix run, generate, a domain of another size, an empty domain folder — exit 2, nothing written', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['translate', 'cyc', '--input', 'disc.png', '--out', 'x.png'],
        /two generators: give --direction a2b \(G: A → B\) or b2a/,
      ],
      [
        ['translate', 'cyc', '--direction', 'sideways', '--input', 'disc.png', '--out', 'x.png'],
        /not 'sideways'/,
      ],
      [
        ['translate', 'p2p', '--direction', 'a2b', '--input', 'disc.png', '--out', 'x.png'],
        /image-to-image run with one generator: leave --direction out/,
      ],
      [
        ['generate', 'cyc', '--out', 'x.png'],
        /unpaired translation run \(cyclegan\), which has no noise to sample/,
      ],
    ];
    mkdirSync(join(work, 'empty'));
    writeFileSync(
      join(work, 'bigger.json'),
      JSON.stringify({ ...SMALL, data: { b: { dataset: `folder:${join(work, 'big')}` } } }),
    );
    mkdirSync(join(work, 'big'));
    const p = new PNG({ width: 32, height: 32 });
    writeFileSync(join(work, 'big', 'one.png'), PNG.sync.write(p));
    writeFileSync(
      join(work, 'none.json'),
      JSON.stringify({ ...SMALL, data: { b: { dataset: `folder:${join(work, 'empty')}` } } }),
    );
    cases.push(
      [
        ['train', '--preset', 'cyclegan-mnist2styled', '--config', 'none.json', '--out', 'none'],
        /empty|no images/,
      ],
      [
        ['train', '--preset', 'cyclegan-mnist2styled', '--dataset', 'mnist', '--out', 'ds'],
        /an unpaired run has two domains/,
      ],
    );
    for (const [args, message] of cases) {
      const r = await gankit(...args);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
    expect(existsSync(join(work, 'x.png'))).toBe(false);
    expect(existsSync(join(work, 'none'))).toBe(false);
  }, 300_000);
});
