import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { useBackend } from '@gankit/backends';
import { loadDataset, writeFileAtomic } from '@gankit/datasets';
import {
  datasetImages,
  evaluateImages,
  evaluateMixture,
  loadShippedExtractor,
  type MetricRecord,
} from '@gankit/metrics';
import { exportGenerator, instantiate, latentBatch } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { COMMON_FLAGS, type Flags, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { TOYS } from '../data.js';
import { EXIT, UsageError, unknownChoice } from '../errors.js';
import { imageGrid } from '../images.js';
import { Output } from '../output.js';
import { getPreset, PRESETS } from '../presets.js';
import {
  buildGan,
  checkBackend,
  evaluate,
  formatRecords,
  restoreRun,
  samplePng,
  startBackend,
  toUnit,
} from '../session.js';
import { generatorWeights, manifestFor } from '../training.js';

const METRICS = ['fid', 'kid', 'prdc', 'classifier-score'];

export const EVALUATE_FLAGS: Flags = {
  real: {
    kind: 'string',
    value: 'DATASET',
    help: 'score real data against itself (train vs test): the metrics’ baseline',
  },
  metrics: {
    kind: 'string',
    value: 'LIST',
    help: `comma-separated: ${METRICS.join(', ')} (default: all that apply)`,
  },
  samples: {
    kind: 'positive-int',
    value: 'N',
    help: 'generated samples (default 10,000; 26,000 for Stacked MNIST; 2,500 for mixtures)',
  },
  seed: { kind: 'int', value: 'N', help: 'seed of the generated samples (default 0)' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

function parseMetrics(list: string | undefined): string[] | undefined {
  if (list == null) return undefined;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) if (!METRICS.includes(n)) throw unknownChoice('metric', n, METRICS);
  return names;
}

function printRecords(out: Output, records: MetricRecord[], note?: string): void {
  for (const r of records) {
    const counts = `${r.samples.generated.toLocaleString('en-US')} generated${r.samples.real != null ? ` vs ${r.samples.real.toLocaleString('en-US')} real` : ''}`;
    const ext = r.extractor ? ` · ${r.extractor.name}@${r.extractor.version}` : '';
    const details = r.details
      ? ` (${Object.entries(r.details)
          .map(([k, v]) => `${k} ${v.toPrecision(3)}`)
          .join(', ')})`
      : '';
    out.line(
      `${r.metric.padEnd(17)} ${formatRecords([r]).replace(`${r.metric} `, '').padStart(8)}${details}  [${counts}${ext} · seed ${r.seed}]`,
    );
  }
  if (note) out.line(`not evaluated: ${note}`);
}

const REAL = ['mnist', 'fashion-mnist', ...Object.keys(TOYS)];

/** `evaluate --real`: real data against real data (training vs test images; two samples of a toy mixture). */
async function evaluateReal(
  name: string,
  out: Output,
  options: { samples?: number; metrics?: string[]; seed: number },
): Promise<MetricRecord[]> {
  const { seed } = options;
  const toy = TOYS[name];
  if (toy) {
    const mixture = toy();
    const n = options.samples ?? 2500;
    const real = mixture.sample(n, seed + 1);
    return evaluateMixture({ generated: mixture.sample(n, seed), real, dim: mixture.dim, mixture, seed });
  }
  const load = async <T>(f: () => Promise<T>) => {
    try {
      return await f();
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
  const train = await load(() => loadDataset(name, { split: 'train' }));
  const test = await load(() => loadDataset(name, { split: 'test' }));
  const extractor = await load(() => loadShippedExtractor(name as 'mnist' | 'fashion-mnist'));
  const n = Math.min(options.samples ?? 10_000, test.count);
  const count = n.toLocaleString('en-US');
  out.line(`scoring ${count} real ${name} training images against ${count} test images…`);
  return evaluateImages({
    extractor,
    generated: datasetImages(train),
    real: datasetImages(test),
    count: n,
    metrics: options.metrics as never,
    seed,
  });
}

export async function evaluateCommand(argv: string[], cwd: string): Promise<number> {
  const parsed = parseCommand('evaluate', argv, {
    usage: 'gankit evaluate DIR [--metrics LIST] [--samples N]\ngankit evaluate --real DATASET',
    summary: 'Scores a run’s generator (or real data) with the offline extractors.',
    flags: EVALUATE_FLAGS,
    positionals: { min: 0, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json));
  const metrics = parseMetrics(values.metrics as string | undefined);
  const seed = (values.seed as number | undefined) ?? 0;
  const samples = values.samples as number | undefined;
  if (values.real != null) {
    if (positionals.length > 0) throw new UsageError('give a run folder or --real DATASET, not both');
    const name = values.real as string;
    if (!REAL.includes(name)) throw unknownChoice('dataset for --real', name, REAL);
    await startBackend(checkBackend((values.backend as string | undefined) ?? 'auto'));
    const records = await evaluateReal(name, out, { samples, metrics, seed });
    printRecords(out, records);
    out.result({ command: 'evaluate', real: name, records });
    return EXIT.ok;
  }
  if (positionals.length === 0)
    throw new UsageError('gankit evaluate needs a run folder (DIR) or --real DATASET');
  const { session } = await restoreRun(
    resolve(cwd, positionals[0]!),
    values.backend as string | undefined,
    'loaded',
  );
  try {
    const { gan, trainer, data } = session;
    const step = trainer.counters.step;
    const n = samples ?? (data.stacked ? 26_000 : data.kind === 'points' ? 2500 : 10_000);
    out.line(`evaluating ${gan.architecture} at step ${step} on ${n.toLocaleString('en-US')} samples…`);
    const e = await evaluate(gan, (z, labels) => trainer.sample(z, labels), data, {
      samples: n,
      seed,
      metrics,
    });
    if (e.records.length === 0 && e.note) throw new UsageError(`cannot evaluate: ${e.note}`);
    printRecords(out, e.records, e.note);
    out.result({ command: 'evaluate', step, records: e.records, ...(e.note ? { note: e.note } : {}) });
    return EXIT.ok;
  } finally {
    session.trainer.dispose();
  }
}

export const GENERATE_FLAGS: Flags = {
  n: { kind: 'positive-int', value: 'N', help: 'number of samples (default 64)' },
  out: { kind: 'string', value: 'FILE.png', help: 'where to write the image grid (required)' },
  class: {
    kind: 'int',
    value: 'K',
    help: 'class to draw (conditional models; InfoGAN: the categorical code)',
  },
  truncation: { kind: 'positive', value: 'T', help: 'redraw noise values beyond ±T (fidelity for variety)' },
  interpolate: { kind: 'boolean', help: 'rows of 8 that walk the latent space between two random points' },
  seed: { kind: 'int', value: 'N', help: 'seed of the noise (default 0)' },
  force: { kind: 'boolean', help: 'overwrite an existing --out file' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

/** Spherical interpolation between latent rows a and b at t. */
function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const omega = Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))));
  const out = new Float32Array(a.length);
  if (omega < 1e-6) {
    for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i]! + t * b[i]!;
    return out;
  }
  const s = Math.sin(omega);
  for (let i = 0; i < a.length; i++)
    out[i] = (Math.sin((1 - t) * omega) / s) * a[i]! + (Math.sin(t * omega) / s) * b[i]!;
  return out;
}

export async function generateCommand(argv: string[], cwd: string): Promise<number> {
  const parsed = parseCommand('generate', argv, {
    usage: 'gankit generate DIR --n 64 --out FILE.png [--class K] [--truncation T] [--interpolate]',
    summary: 'Draws samples from a run’s generator.',
    flags: GENERATE_FLAGS,
    positionals: { min: 1, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json));
  if (values.out == null) throw new UsageError('gankit generate needs --out FILE.png');
  const file = resolve(cwd, values.out as string);
  if (!file.toLowerCase().endsWith('.png')) throw new UsageError(`--out ${values.out} must be a .png file`);
  if (existsSync(file) && !values.force)
    throw new UsageError(`--out ${values.out} exists; pass --force to overwrite it`);
  const n = (values.n as number | undefined) ?? 64;
  if (n > 4096) throw new UsageError(`--n ${n} is more than one grid can hold (4096)`);
  const { session } = await restoreRun(
    resolve(cwd, positionals[0]!),
    values.backend as string | undefined,
    'loaded',
  );
  const step = session.trainer.counters.step;
  try {
    const { gan, trainer, data } = session;
    const generate = (z: tf.Tensor2D, labels?: tf.Tensor1D) => trainer.sample(z, labels);
    const seed = (values.seed as number | undefined) ?? 0;
    const label = values.class as number | undefined;
    const truncation = values.truncation as number | undefined;
    try {
      if (label != null) latentBatch(gan, 1, 0, { label }).z.dispose();
    } catch (err) {
      throw new UsageError(`--class ${label}: ${(err as Error).message}`);
    }
    let png: Buffer;
    if (values.interpolate) {
      if (data.kind === 'points')
        throw new UsageError('--interpolate draws image rows; this run generates points');
      const rows = Math.max(1, Math.round(n / 8));
      const ends = latentBatch(gan, 2 * rows, seed, { truncation, label });
      const zs = (await ends.z.data()) as Float32Array;
      const d = gan.latentDim;
      const z = new Float32Array(rows * 8 * d);
      for (let r = 0; r < rows; r++) {
        const a = zs.subarray(2 * r * d, (2 * r + 1) * d);
        const b = zs.subarray((2 * r + 1) * d, (2 * r + 2) * d);
        for (let c = 0; c < 8; c++) z.set(slerp(a, b, c / 7), (r * 8 + c) * d);
      }
      const zt = tf.tensor2d(z, [rows * 8, d]);
      const labels =
        gan.classes != null
          ? tf.tensor1d(
              Array.from({ length: rows * 8 }, (_, i) => label ?? Math.floor(i / 8) % gan.classes!),
              'int32',
            )
          : undefined;
      const images = tf.tidy(() => toUnit(generate(zt, labels), gan));
      const pixels = (await images.data()) as Float32Array;
      png = imageGrid(pixels, images.shape as [number, number, number, number], 8, [0, 1], 2).png();
      tf.dispose([ends.z, ends.labels, zt, labels, images].filter((t): t is tf.Tensor => t != null));
    } else {
      png = await samplePng(gan, generate, data, { n, label, truncation, seed: seed * 7919 + 1 });
    }
    await writeFileAtomic(file, png);
    out.line(
      `wrote ${file} (${n} samples at step ${step}${label != null ? `, class ${label}` : ''}${truncation ? `, truncation ${truncation}` : ''})`,
    );
    out.result({ command: 'generate', file, n, step, class: label ?? null, truncation: truncation ?? null });
    return EXIT.ok;
  } finally {
    session.trainer.dispose();
  }
}

export const EXPORT_FLAGS: Flags = {
  out: {
    kind: 'string',
    value: 'DIR',
    help: 'folder for generator.safetensors and generator.json (required)',
  },
  force: { kind: 'boolean', help: 'overwrite an existing export there' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

export async function exportCommand(argv: string[], cwd: string): Promise<number> {
  const parsed = parseCommand('export', argv, {
    usage: 'gankit export DIR --out DIR',
    summary: 'Writes the generator for the browser demo: one safetensors file with its manifest.',
    flags: EXPORT_FLAGS,
    positionals: { min: 1, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json));
  if (values.out == null) throw new UsageError('gankit export needs --out DIR');
  const target = resolve(cwd, values.out as string);
  const file = resolve(target, 'generator.safetensors');
  if (existsSync(target) && !existsSync(file) && readdirSync(target).length > 0 && !values.force)
    throw new UsageError(
      `--out ${values.out} exists and holds other files; choose an empty folder or pass --force`,
    );
  if (existsSync(file) && !values.force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  const { session, folder } = await restoreRun(
    resolve(cwd, positionals[0]!),
    values.backend as string | undefined,
    'loaded',
  );
  const step = session.trainer.counters.step;
  try {
    const manifest = manifestFor(session, session.config, { exportedFrom: folder.dir });
    const bytes = await exportGenerator(generatorWeights(session), manifest);
    await writeFileAtomic(file, bytes);
    await writeFileAtomic(
      resolve(target, 'generator.json'),
      new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    );
    out.line(
      `exported ${manifest.architecture} at step ${step} (${(bytes.length / 1024).toFixed(0)} KiB) to ${file}`,
    );
    out.result({
      command: 'export',
      file,
      manifest: resolve(target, 'generator.json'),
      bytes: bytes.length,
      step,
    });
    return EXIT.ok;
  } finally {
    session.trainer.dispose();
  }
}

export const PRESETS_FLAGS: Flags = { ...COMMON_FLAGS };

export async function presetsCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand('presets', argv, {
    usage: 'gankit presets [show NAME]',
    summary: 'Lists the presets, or shows one with its model summaries.',
    flags: PRESETS_FLAGS,
    positionals: { min: 0, max: 2, names: '`show NAME`' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json));
  if (positionals.length === 0) {
    const rows = Object.values(PRESETS).map((p) => ({
      name: p.preset,
      model: p.model.family,
      dataset: p.data.dataset,
      length: p.run.steps != null ? `${p.run.steps} steps` : `${p.run.epochs} epochs`,
      description: p.description,
    }));
    const w = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows)
      out.line(`${r.name.padEnd(w)}  ${r.dataset.padEnd(13)} ${r.length.padEnd(12)} ${r.description}`);
    out.line('\ngankit presets show NAME  — the full config and model summaries');
    out.result({ command: 'presets', presets: rows });
    return EXIT.ok;
  }
  if (positionals[0] !== 'show' || positionals.length !== 2)
    throw new UsageError(
      `use \`gankit presets\` or \`gankit presets show NAME\`; got '${positionals.join(' ')}'`,
    );
  const preset = getPreset(positionals[1]!);
  await useBackend('wasm');
  const gan = buildGan(preset);
  const G = instantiate(gan.generator, 1);
  const D = instantiate(gan.discriminator, 2);
  const count = (n: { variables(): tf.Variable[] }) => n.variables().reduce((s, v) => s + v.size, 0);
  out.line(`${preset.preset}: ${preset.description}`);
  out.line(`source: ${preset.source}`);
  out.line(`model: ${gan.architecture} (${gan.source})`);
  out.line('');
  out.line(G.summary());
  out.line('');
  out.line(D.summary());
  out.line('');
  out.line(`config:\n${JSON.stringify(preset, null, 2)}`);
  out.result({
    command: 'presets show',
    preset,
    parameters: { generator: count(G), discriminator: count(D) },
  });
  G.dispose();
  D.dispose();
  return EXIT.ok;
}
