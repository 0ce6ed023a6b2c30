import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import { exportCycle, exportGenerator, exportTranslator } from '@gankit/models';
import { COMMON_FLAGS, type Flags, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { isCycle, isPaired } from '../config.js';
import { restoreCycleRun } from '../cycle-session.js';
import { cycleManifest, cycleWeights } from '../cycle-training.js';
import { EXIT, UsageError } from '../errors.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { restorePairedRun } from '../paired-session.js';
import { translatorManifest, translatorWeights } from '../paired-training.js';
import { type EvalLine, RunFolder } from '../run-folder.js';
import { restoreRun } from '../session.js';
import { generatorWeights, manifestFor } from '../training.js';

export const EXPORT_FLAGS: Flags = {
  out: {
    kind: 'string',
    value: 'DIR',
    help: 'folder for generator.safetensors and generator.json (required)',
  },
  float16: {
    kind: 'boolean',
    help: 'store the weights in half precision: half the bytes, for the web (read back as float32)',
  },
  force: { kind: 'boolean', help: 'overwrite an existing export there' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

export async function exportCommand(argv: string[], io: MainIO): Promise<number> {
  const { cwd } = io;
  const parsed = parseCommand('export', argv, {
    stdout: io.stdout,
    usage: 'gankit export DIR --out DIR',
    summary:
      'Writes the generator for the browser demo: one safetensors file with its manifest (an image-to-image run’s as a translator).',
    flags: EXPORT_FLAGS,
    positionals: { min: 1, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json), io);
  if (values.out == null) throw new UsageError('gankit export needs --out DIR');
  const target = resolve(cwd, values.out as string);
  const file = resolve(target, 'generator.safetensors');
  if (existsSync(target) && !existsSync(file) && readdirSync(target).length > 0 && !values.force)
    throw new UsageError(
      `--out ${values.out} exists and holds other files; choose an empty folder or pass --force`,
    );
  if (existsSync(file) && !values.force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  const dir = resolve(cwd, positionals[0]!);
  const opened = await RunFolder.open(dir);
  const how: How = {
    backend: values.backend as string | undefined,
    float16: Boolean(values.float16),
    metrics: await metricsAt(opened.folder),
  };
  const written = isCycle(opened.config)
    ? await exportCycleRun(dir, how)
    : isPaired(opened.config)
      ? await exportPaired(dir, how)
      : await exportGan(dir, how);
  await writeFileAtomic(file, written.bytes);
  await writeFileAtomic(
    resolve(target, 'generator.json'),
    new TextEncoder().encode(`${JSON.stringify(written.manifest, null, 2)}\n`),
  );
  out.line(
    `exported ${written.manifest.architecture} at step ${written.step}${how.float16 ? ' in float16' : ''} (${(written.bytes.length / 1024).toFixed(0)} KiB) to ${file}`,
  );
  out.result({
    command: 'export',
    file,
    manifest: resolve(target, 'generator.json'),
    bytes: written.bytes.length,
    step: written.step,
  });
  return EXIT.ok;
}

interface Exported {
  bytes: Uint8Array;
  manifest: { architecture: string };
  step: number;
}

interface How {
  backend: string | undefined;
  float16: boolean;
  /** The run's last evaluation, by step: the manifest carries it when it was taken at the exported step. */
  metrics: { step: number; records: unknown[] } | undefined;
}

async function metricsAt(folder: RunFolder): Promise<How['metrics']> {
  const evals = (await folder.readMetrics()).filter((l) => l.type === 'eval') as EvalLine[];
  const last = evals.at(-1);
  return last ? { step: last.step, records: last.records } : undefined;
}

const extraFor = (how: How, step: number, dir: string) => ({
  exportedFrom: dir,
  ...(how.metrics?.step === step ? { metrics: how.metrics.records } : {}),
});

async function exportGan(dir: string, how: How): Promise<Exported> {
  const { session, folder } = await restoreRun(dir, how.backend, 'loaded');
  try {
    const step = session.trainer.counters.step;
    const manifest = manifestFor(session, session.config, extraFor(how, step, folder.dir));
    const bytes = await exportGenerator(generatorWeights(session), manifest, { float16: how.float16 });
    return { bytes, manifest, step };
  } finally {
    session.trainer.dispose();
  }
}

/** An image-to-image run's generator as a translator (format gankit-translator/1: `loadTranslator` reads it). */
async function exportPaired(dir: string, how: How): Promise<Exported> {
  const { session, folder } = await restorePairedRun(dir, how.backend, 'loaded');
  try {
    const step = session.trainer.state.counters.step;
    const manifest = translatorManifest(session, extraFor(how, step, folder.dir));
    const bytes = await exportTranslator(translatorWeights(session), manifest, { float16: how.float16 });
    return { bytes, manifest, step };
  } finally {
    session.trainer.dispose();
  }
}

/** An unpaired run's generators as one pair file (format gankit-cycle/1: `loadCycle` reads it). */
async function exportCycleRun(dir: string, how: How): Promise<Exported> {
  const { session, folder } = await restoreCycleRun(dir, how.backend, 'loaded');
  try {
    const step = session.trainer.state.counters.step;
    const manifest = cycleManifest(session, extraFor(how, step, folder.dir));
    const { ab, ba } = cycleWeights(session);
    const bytes = await exportCycle(ab, ba, manifest, { float16: how.float16 });
    return { bytes, manifest, step };
  } finally {
    session.trainer.dispose();
  }
}
