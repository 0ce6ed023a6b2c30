// The workspace's test run (`pnpm test` after Biome): the typecheck and every package's tests, scheduled on the
// machine's cores so that the run's length is the work, not the order turbo happens to pick.
//
// Each package's package.json says what its tests cost ("gankit": { "testSeconds": measured on the 2-core CI
// machine beside one other job (a fresh clone's `.ci/run`), "softwareGpu": true when they drive SwiftShader through
// Dawn or Chromium, which use every core by themselves). Jobs start longest first (LPT), one per core; at most one software-GPU job runs at a time, since two
// of them on two cores slow each other down more than they gain (measured: 2–4× each). A package whose software-GPU
// tests are a small part of it keeps them in `*.gpu.test.ts` files and says "gpuTestSeconds": its tests then run as
// two jobs, the GPU files in the one software-GPU lane and the rest beside it (GANKIT_TEST_PART, see
// vitest.shared.mjs), so that cpu and wasm checks do not wait for the GPU lane. Every job runs to the end,
// so that one failure does not hide another; the run fails if any job failed. Output lines carry the job's name.
//
//   node tooling/test-utils/run-tests.mjs [--lanes N] [--only NAME,NAME]
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: { lanes: { type: 'string' }, only: { type: 'string' } },
});
const lanes = Math.max(1, Number(values.lanes ?? availableParallelism()));
if (!Number.isInteger(lanes)) {
  console.error(`run-tests: --lanes must be a positive integer, got '${values.lanes}'`);
  process.exit(2);
}

const turbo = join(root, 'node_modules', '.bin', 'turbo');
// the package manager this run was started with (pnpm sets npm_execpath), else npm: both run a package's script
const packageManager = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

/** @typedef {{ name: string, command: string[], cwd: string, env: Record<string, string>, summary?: string, seconds: number, softwareGpu: boolean }} Job */

/** @type {Job[]} */
const jobs = [];
for (const group of ['packages', 'apps', 'tooling']) {
  const base = join(root, group);
  if (!existsSync(base)) continue;
  for (const dir of readdirSync(base).sort()) {
    const file = join(base, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.scripts?.test == null) continue;
    const meta = pkg.gankit ?? {};
    // turbo builds what the tests need first (the pack test installs the built libraries); others read sources
    const needsBuild = existsSync(join(base, dir, 'turbo.json'));
    const job = (name, part, seconds, softwareGpu) => ({
      name,
      command: needsBuild
        ? [turbo, 'run', 'test', `--filter=${pkg.name}`, '--concurrency=1', '--output-logs=new-only']
        : [...packageManager, 'run', 'test'],
      cwd: needsBuild ? root : join(base, dir),
      env: part ? { GANKIT_TEST_PART: part } : {},
      summary: join(base, dir, 'test-results', part ? `summary-${part}.json` : 'summary.json'),
      seconds,
      softwareGpu,
    });
    if (meta.gpuTestSeconds != null) {
      if (needsBuild) throw new Error(`${pkg.name}: gpuTestSeconds is not supported with a turbo.json build`);
      jobs.push(job(pkg.name, 'cpu', Number(meta.testSeconds ?? 30), false));
      jobs.push(job(`${pkg.name} (gpu)`, 'gpu', Number(meta.gpuTestSeconds), true));
    } else {
      jobs.push(job(pkg.name, undefined, Number(meta.testSeconds ?? 30), meta.softwareGpu === true));
    }
  }
}
// the whole workspace's typecheck: one program for everything but the demo, then the demo's (the root script)
jobs.push({
  name: 'typecheck',
  command: [...packageManager, 'run', 'typecheck'],
  cwd: root,
  seconds: Number(
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).gankit?.typecheckSeconds ?? 60,
  ),
  env: {},
  softwareGpu: false,
});

const only = values.only?.split(',').filter(Boolean);
const todo = jobs
  .filter((j) => only == null || only.includes(j.name))
  .sort((a, b) => b.seconds - a.seconds || a.name.localeCompare(b.name));

/** Runs one job with its output prefixed line by line; resolves with its exit code and wall time. */
function run(job) {
  const started = performance.now();
  // counts from an earlier run must not be read back by total.mjs if this one fails to write its own
  if (job.summary) rmSync(job.summary, { force: true });
  return new Promise((done) => {
    const child = spawn(job.command[0], job.command.slice(1), {
      cwd: job.cwd,
      env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0', ...job.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) process.stdout.write(`${job.name}: ${line}\n`);
      });
      stream.on('end', () => {
        if (rest) process.stdout.write(`${job.name}: ${rest}\n`);
      });
    }
    child.on('error', (err) => {
      process.stdout.write(`${job.name}: could not start: ${err.message}\n`);
      done({ job, code: 1, seconds: 0 });
    });
    child.on('close', (code) =>
      done({ job, code: code ?? 1, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const startedAt = performance.now();
const results = [];
const running = new Set();
let gpuBusy = false;

await new Promise((finish) => {
  const next = () => {
    while (running.size < lanes) {
      const i = todo.findIndex((j) => !(j.softwareGpu && gpuBusy));
      if (i < 0) break;
      const [job] = todo.splice(i, 1);
      if (job.softwareGpu) gpuBusy = true;
      process.stdout.write(`run-tests: start ${job.name} (≈ ${job.seconds} s alone)\n`);
      const p = run(job).then((r) => {
        running.delete(p);
        if (job.softwareGpu) gpuBusy = false;
        results.push(r);
        process.stdout.write(
          `run-tests: ${r.code === 0 ? 'done' : `FAILED (exit ${r.code})`} ${job.name} in ${r.seconds.toFixed(0)} s\n`,
        );
        next();
      });
      running.add(p);
    }
    if (running.size === 0 && todo.length === 0) finish();
  };
  next();
});

const wall = (performance.now() - startedAt) / 1000;
process.stdout.write(`\nrun-tests: ${results.length} jobs on ${lanes} lane(s) in ${wall.toFixed(0)} s\n`);
for (const r of results.sort((a, b) => b.seconds - a.seconds))
  process.stdout.write(
    `  ${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.seconds.toFixed(0).padStart(4)} s  ${r.job.name}\n`,
  );
const failed = results.filter((r) => r.code !== 0);
if (failed.length > 0) {
  process.stdout.write(`run-tests: failed: ${failed.map((r) => r.job.name).join(', ')}\n`);
  process.exitCode = 1;
}
