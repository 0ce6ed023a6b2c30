/**
 * Quality against wall time: trains presets with the gankit trainer, one after another, scoring FID on 2,000
 * samples at regular points of each run, and tabulates FID against training wall time (evaluation time left out).
 *
 *   npx -y pnpm@10.34.9 --filter @gankit/bench run quality                          # dcgan/progan/stylegan-fashion
 *   npx -y pnpm@10.34.9 --filter @gankit/bench run quality --presets quick --evals 2 --samples 200 --steps 20
 *
 * Each run is the preset as a user gets it (its steps, schedule and growth) on wasm with every core, in a process of
 * its own; run it on a quiet machine. Results: results/quality.json and results/quality.md (--out to change); the run
 * folders (samples, report.html) in $TMPDIR/gankit-quality-runs (--runs).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type QualityRun, renderQuality, trainingTimeline } from './quality-report.js';

const root = resolve(import.meta.dirname, '..');
const repo = resolve(root, '../..');
const USAGE =
  'usage: pnpm --filter @gankit/bench run quality [--presets a,b] [--evals N] [--samples N] [--steps N] [--threads N] [--out DIR] [--runs DIR]';

const { values } = parseArgs({
  options: {
    presets: { type: 'string', default: 'dcgan-fashion,progan-fashion,stylegan-fashion' },
    evals: { type: 'string', default: '6' },
    samples: { type: 'string', default: '2000' },
    steps: { type: 'string' },
    threads: { type: 'string' },
    out: { type: 'string', default: join(root, 'results') },
    runs: { type: 'string', default: join(tmpdir(), 'gankit-quality-runs') },
  },
});

function count(name: string, raw: string | undefined): number | undefined {
  if (raw == null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`quality: --${name} must be a positive integer, got '${raw}'\n${USAGE}`);
    process.exit(2);
  }
  return n;
}
const evals = count('evals', values.evals)!;
const samples = count('samples', values.samples)!;
const stepsOverride = count('steps', values.steps);
const threads = count('threads', values.threads);
const presets = values.presets.split(',').filter(Boolean);

// tsx as this package resolves it: the trainer runs from the repository root, where `--import tsx` would not find it
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = ['--conditions=@gankit/source', '--import', tsx, join(repo, 'apps/trainer/src/cli.ts')];
const gankit = (args: string[]) =>
  new Promise<string>((done, fail) =>
    execFile(
      process.execPath,
      [...cli, ...args],
      { cwd: repo, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => (err ? fail(new Error(`gankit ${args.join(' ')}\n${stderr}`)) : done(stdout)),
    ),
  );

const runs: QualityRun[] = [];
for (const preset of presets) {
  const shown = JSON.parse(await gankit(['presets', 'show', preset, '--json'])) as {
    preset: { run: { steps?: number; logEvery?: number } };
  };
  const steps = stepsOverride ?? shown.preset.run.steps;
  if (steps == null) throw new Error(`${preset} trains by epochs; give --steps`);
  const dir = join(values.runs, preset);
  // on logged steps, whose time the timeline reads
  const log = shown.preset.run.logEvery ?? 1;
  const every = Math.ceil(Math.ceil(steps / evals) / log) * log;
  process.stderr.write(`quality: ${preset}, ${steps} steps, FID every ${every} steps…\n`);
  const started = performance.now();
  await gankit([
    'train',
    '--preset',
    preset,
    '--steps',
    String(steps),
    '--eval-every',
    String(every),
    '--eval-samples',
    String(samples),
    '--backend',
    'wasm',
    ...(threads ? ['--threads', String(threads)] : []),
    '--out',
    dir,
    '--force',
    '--json',
  ]);
  const wall = (performance.now() - started) / 1000;
  const lines = (await readFile(join(dir, 'metrics.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  runs.push({ preset, steps, samples, wallSeconds: wall, points: trainingTimeline(lines) });
}

await mkdir(values.out, { recursive: true });
const report = { date: new Date().toISOString(), threads: threads ?? 'every core', runs };
await writeFile(join(values.out, 'quality.json'), `${JSON.stringify(report, null, 2)}\n`);
await writeFile(join(values.out, 'quality.md'), renderQuality(report));
process.stdout.write(renderQuality(report));
