/**
 * gankit's benchmark: one command, results as JSON and a markdown table.
 *
 *   npx -y pnpm@10.34.9 bench                      # everything (about 15 minutes on a 2-core machine)
 *   npx -y pnpm@10.34.9 bench --quick              # short budgets, a smoke run
 *   npx -y pnpm@10.34.9 bench --cases seed-64 --backends wasm,wasm-1t --no-torch
 *
 * Every measurement runs in its own process (src/measure.ts, torch/bench_torch.py), one after another: run it on
 * a quiet machine. Results go to tooling/bench/results/ (bench.json, bench.md) unless --out says otherwise.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CASES } from './cases.js';
import { type BenchReport, type Child, renderMarkdown } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/** Backend variants: wasm on every core and on one thread are both reported. */
export const VARIANTS: Record<string, { backend: string; threads?: number }> = {
  tensorflow: { backend: 'tensorflow' },
  webgpu: { backend: 'webgpu' },
  wasm: { backend: 'wasm' },
  'wasm-1t': { backend: 'wasm', threads: 1 },
  cpu: { backend: 'cpu' },
};

const USAGE = `usage: pnpm bench [--quick] [--cases ${CASES.map((c) => c.id).join(',')}]
       [--backends ${Object.keys(VARIANTS).join(',')}] [--seconds N] [--no-torch] [--python PATH] [--torch-device cpu|cuda]
       [--stability-steps N] [--fid-count N] [--no-fid] [--cpu-cases LIST] [--out DIR]`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    cases: { type: 'string' },
    backends: { type: 'string' },
    seconds: { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    'torch-device': { type: 'string', default: 'cpu' },
    'stability-steps': { type: 'string' },
    'fid-count': { type: 'string' },
    'no-fid': { type: 'boolean', default: false },
    'cpu-cases': { type: 'string' },
    out: { type: 'string', default: join(root, 'results') },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw == null) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got '${raw}'`);
  return n;
}

function list(name: string, raw: string | undefined, known: string[]): string[] | undefined {
  if (raw == null) return undefined;
  const items = raw.split(',').filter(Boolean);
  const unknown = items.filter((i) => !known.includes(i));
  if (unknown.length > 0) fail(`unknown ${name} ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return items;
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const quick = values.quick;
const seconds = positive('seconds', values.seconds, quick ? 2 : 20);
const caseIds =
  list(
    'case',
    values.cases,
    CASES.map((c) => c.id),
  ) ?? CASES.map((c) => c.id);
const askedBackends = list('backend', values.backends, Object.keys(VARIANTS));
const stabilitySteps = positive('stability-steps', values['stability-steps'], quick ? 20 : 1000);
const fidCount = positive('fid-count', values['fid-count'], quick ? 500 : 10_000);
// tfjs-backend-cpu needs ~10 minutes for one seed-002 step at batch 64 (and 4× that at 256): by default it is
// measured on the two cases the targets compare it on, one step each.
const cpuCases =
  list(
    'cpu case',
    values['cpu-cases'],
    CASES.map((c) => c.id),
  ) ?? (quick ? ['ring8-mlp'] : ['seed-64', 'ring8-mlp']);

/** Runs a measurement process and parses the JSON line it prints last. Never throws: failures are reported. */
function runChild(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Child> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20, timeout: 60 * 60 * 1000 },
      (err, stdout, stderr) => {
        const line = stdout
          .trim()
          .split('\n')
          .reverse()
          .find((l) => l.startsWith('{'));
        if (err == null && line != null) {
          done({ ok: true, result: JSON.parse(line) as Record<string, unknown> });
          return;
        }
        // the child's own message is its last stderr line (native libraries may print above it)
        const why = stderr.trim().split('\n').filter(Boolean).at(-1) ?? String(err?.message ?? err);
        done({ ok: false, error: why.slice(0, 400) });
      },
    );
  });
}

const measure = (args: string[], variant: { backend: string; threads?: number }) =>
  runChild(process.execPath, [
    '--conditions=@gankit/source',
    '--import',
    'tsx',
    join(here, 'measure.ts'),
    ...args,
    '--backend',
    variant.backend,
    ...(variant.threads ? ['--threads', String(variant.threads)] : []),
  ]);

const torch = (args: string[]) =>
  runChild(values.python, [
    join(root, 'torch', 'bench_torch.py'),
    ...args,
    '--device',
    values['torch-device'],
  ]);

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main() {
  const startedAt = new Date().toISOString();
  const backends: Record<string, { available: boolean; detail?: string; reason?: string }> = {};
  for (const name of askedBackends ?? Object.keys(VARIANTS)) {
    const variant = VARIANTS[name]!;
    const probe = await measure(['probe'], variant);
    const warnings = (probe.result?.warnings as string[] | undefined) ?? [];
    const software = warnings.some((w) => /software adapter/.test(w));
    if (!probe.ok) backends[name] = { available: false, reason: probe.error };
    else if (software && askedBackends == null)
      backends[name] = {
        available: false,
        reason: `only a software adapter (${probe.result!.detail}): not a GPU; measure it with --backends webgpu`,
      };
    else backends[name] = { available: true, detail: String(probe.result!.detail) };
    log(
      `backend ${name}: ${backends[name]!.available ? backends[name]!.detail : `skipped (${backends[name]!.reason})`}`,
    );
  }
  const active = Object.keys(backends).filter((b) => backends[b]!.available);

  const training: Record<string, Record<string, Child>> = {};
  for (const id of caseIds) {
    training[id] = {};
    for (const name of active) {
      const cpu = VARIANTS[name]!.backend === 'cpu';
      if (cpu && !cpuCases.includes(id)) continue;
      const args = ['train', '--case', id, '--seconds', String(seconds)];
      if (cpu && id !== 'ring8-mlp') args.push('--warmup', '0', '--min-steps', '1', '--seconds', '0');
      if (name === 'webgpu') args.push('--warmup', '1', '--min-steps', '2');
      if (id === 'ring8-mlp') args.push('--warmup', '20');
      else if (quick) args.push('--warmup', '1', '--min-steps', '2');
      log(`train ${id} on ${name} …`);
      training[id]![name] = await measure(args, VARIANTS[name]!);
    }
    if (!values['no-torch']) {
      for (const threads of [1, 2]) {
        log(`train ${id} on PyTorch, ${threads} thread(s) …`);
        training[id]![`torch-${threads}t`] = await torch([
          'train',
          '--case',
          id,
          '--threads',
          String(threads),
          '--seconds',
          String(seconds),
          ...(id === 'ring8-mlp' ? ['--warmup', '20'] : quick ? ['--warmup', '1', '--min-steps', '2'] : []),
        ]);
      }
    }
  }

  const notCpu = active.filter((b) => VARIANTS[b]!.backend !== 'cpu');
  const generation: Record<string, Record<string, Child>> = {};
  for (const id of caseIds.filter((c) => c !== 'ring8-mlp')) {
    generation[id] = {};
    for (const name of notCpu) {
      log(`generate ${id} on ${name} …`);
      generation[id]![name] = await measure(
        ['generate', '--case', id, '--seconds', String(Math.min(seconds, 10))],
        VARIANTS[name]!,
      );
    }
    if (!values['no-torch']) {
      for (const threads of [1, 2]) {
        generation[id]![`torch-${threads}t`] = await torch([
          'generate',
          '--case',
          id,
          '--threads',
          String(threads),
          '--seconds',
          String(Math.min(seconds, 10)),
        ]);
      }
    }
  }

  const best = notCpu.includes('wasm') ? 'wasm' : notCpu[0];
  let fid: Child | undefined;
  let prdc: Child | undefined;
  const stability: Child[] = [];
  const profiles: Child[] = [];
  if (best != null) {
    if (!values['no-fid']) {
      log(`FID on ${fidCount} samples on ${best} …`);
      fid = await measure(['fid', '--count', String(fidCount)], VARIANTS[best]!);
      log(`precision/recall/density/coverage, ${fidCount} × ${fidCount} in 1,000 dimensions, on ${best} …`);
      prdc = await measure(['prdc', '--count', String(fidCount)], VARIANTS[best]!);
    }
    const longCases = caseIds.includes('ring8-mlp') ? ['ring8-mlp'] : caseIds.slice(0, 1);
    for (const id of longCases) {
      log(`${stabilitySteps} steps of ${id} on ${best} (numTensors, RSS) …`);
      stability.push(
        await measure(['stability', '--case', id, '--steps', String(stabilitySteps)], VARIANTS[best]!),
      );
    }
    for (const id of caseIds) {
      log(`profile ${id} on ${best} …`);
      profiles.push(await measure(['profile', '--case', id], VARIANTS[best]!));
    }
  }

  const torchInfo = values['no-torch'] ? undefined : await torch(['info']);
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      torch: torchInfo?.result?.torch ?? torchInfo?.error,
    },
    settings: { quick, seconds, stabilitySteps, fidCount, cases: caseIds },
    cases: Object.fromEntries(
      CASES.filter((c) => caseIds.includes(c.id)).map((c) => [c.id, { title: c.title, unit: c.unit }]),
    ),
    backends,
    training,
    generation,
    fid,
    prdc,
    stability,
    profiles,
  };
  await mkdir(values.out, { recursive: true });
  const json = join(values.out, 'bench.json');
  const md = join(values.out, 'bench.md');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  const table = renderMarkdown(report);
  await writeFile(md, table);
  console.log(table);
  log(`wrote ${json} and ${md}`);
}

await main();
