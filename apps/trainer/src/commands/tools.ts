import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { useBackend } from '@gankit/backends';
import { writeFileAtomic } from '@gankit/datasets';
import {
  datasetImages,
  evaluateImages,
  evaluateMixture,
  loadShippedExtractor,
  type MetricRecord,
} from '@gankit/metrics';
import { exportGenerator, instantiate, latentBatch } from '@gankit/models';
import { restoreCheckpoint } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import { type Flags, helpText, parseFlags } from '../args.js';
import { BACKENDS, type RunConfig } from '../config.js';
import { openData } from '../data.js';
import { EXIT, UsageError, unknownChoice } from '../errors.js';
import { imageGrid } from '../images.js';
import { Output } from '../output.js';
import { getPreset, PRESETS } from '../presets.js';
import { RunFolder } from '../run-folder.js';
import {
  buildGan,
  evaluate,
  formatRecords,
  openSession,
  type Session,
  samplePng,
  startBackend,
  toUnit,
} from '../session.js';
import { generatorWeights, manifestFor } from '../training.js';

const common: Flags = {
  json: { kind: 'boolean', help: 'print the result as JSON on stdout' },
  help: { kind: 'boolean', help: 'show this help' },
};
const backendFlag: Flags = {
  backend: { kind: 'string', value: 'NAME', help: `${BACKENDS.join(', ')} (default: the run's)` },
};

function backendOf(values: Record<string, unknown>, config?: RunConfig): RunConfig['run']['backend'] {
  const b = (values.backend as string | undefined) ?? config?.run.backend ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(b)) throw unknownChoice('backend', b, BACKENDS);
  return b as RunConfig['run']['backend'];
}

/** A run's networks at its latest checkpoint (interrupted runs included). */
async function restoredSession(
  dir: string,
  values: Record<string, unknown>,
): Promise<{ session: Session; folder: RunFolder; step: number }> {
  const { folder, config } = await RunFolder.open(dir);
  const name = await folder.latestCheckpoint();
  const bytes = await folder.checkpoints.read(name);
  await startBackend(backendOf(values, config));
  const session = await openSession(config);
  try {
    restoreCheckpoint(bytes, session.trainer, session.data.source);
  } catch (err) {
    session.trainer.dispose();
    throw new UsageError(`${folder.dir}/checkpoints/${name} cannot be loaded: ${(err as Error).message}`);
  }
  return { session, folder, step: session.trainer.counters.step };
}

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
  ...backendFlag,
  ...common,
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

export async function evaluateCommand(argv: string[], cwd: string): Promise<number> {
  const { values, positionals } = parseFlags('evaluate', argv, EVALUATE_FLAGS, {
    min: 0,
    max: 1,
    names: 'a run folder (DIR)',
  });
  if (values.help) {
    process.stdout.write(
      helpText(
        'gankit evaluate DIR [--metrics LIST] [--samples N]\ngankit evaluate --real DATASET',
        'Scores a run’s generator (or real data) with the offline extractors.',
        EVALUATE_FLAGS,
      ),
    );
    return EXIT.ok;
  }
  const out = new Output(Boolean(values.json));
  const metrics = parseMetrics(values.metrics as string | undefined);
  const seed = (values.seed as number | undefined) ?? 0;
  if (values.real != null) {
    if (positionals.length > 0) throw new UsageError('give a run folder or --real DATASET, not both');
    const name = values.real as string;
    const real = ['mnist', 'fashion-mnist', 'ring8', 'grid25', 'gauss1d'];
    if (!real.includes(name)) throw unknownChoice('dataset for --real', name, real);
    await startBackend(backendOf(values));
    const preset = getPreset(
      name === 'mnist' ? 'dcgan-mnist' : name === 'fashion-mnist' ? 'dcgan-fashion' : name,
    );
    const gan = buildGan(preset);
    const data = await openData(name, gan, 64, seed);
    let records: MetricRecord[];
    if (data.kind === 'points') {
      const n = (values.samples as number | undefined) ?? 2500;
      records = evaluateMixture({
        generated: data.toy!.sample(n, seed),
        real: data.toy!.sample(n, seed + 1),
        dim: data.toy!.dim,
        mixture: data.toy!,
        seed,
      });
    } else {
      const { loadDataset } = await import('@gankit/datasets');
      const train = await loadDataset(name, { split: 'train' });
      const test = data.evalImages!;
      const n = Math.min((values.samples as number | undefined) ?? 10_000, test.count);
      let extractor: Awaited<ReturnType<typeof loadShippedExtractor>>;
      try {
        extractor = await loadShippedExtractor(data.extractor!);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      out.line(
        `scoring ${n.toLocaleString('en-US')} real ${name} training images against ${n.toLocaleString('en-US')} test images…`,
      );
      records = await evaluateImages({
        extractor,
        generated: datasetImages(train),
        real: datasetImages(test),
        count: n,
        metrics: metrics as never,
        seed,
      });
    }
    printRecords(out, records);
    out.result({ command: 'evaluate', real: name, records });
    return EXIT.ok;
  }
  if (positionals.length === 0)
    throw new UsageError('gankit evaluate needs a run folder (DIR) or --real DATASET');
  const { session, step } = await restoredSession(resolve(cwd, positionals[0]!), values);
  try {
    const { gan, trainer, data } = session;
    const samples =
      (values.samples as number | undefined) ??
      (data.stacked ? 26_000 : data.kind === 'points' ? 2500 : 10_000);
    out.line(`evaluating ${gan.architecture} at step ${step} on ${samples.toLocaleString('en-US')} samples…`);
    const e = await evaluate(gan, (z, labels) => trainer.sample(z, labels), data, { samples, seed, metrics });
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
  ...backendFlag,
  ...common,
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
  const { values, positionals } = parseFlags('generate', argv, GENERATE_FLAGS, {
    min: 1,
    max: 1,
    names: 'a run folder (DIR)',
  });
  if (values.help) {
    process.stdout.write(
      helpText(
        'gankit generate DIR --n 64 --out FILE.png [--class K] [--truncation T] [--interpolate]',
        'Draws samples from a run’s generator.',
        GENERATE_FLAGS,
      ),
    );
    return EXIT.ok;
  }
  const out = new Output(Boolean(values.json));
  if (values.out == null) throw new UsageError('gankit generate needs --out FILE.png');
  const file = resolve(cwd, values.out as string);
  if (!file.toLowerCase().endsWith('.png')) throw new UsageError(`--out ${values.out} must be a .png file`);
  if (existsSync(file) && !values.force)
    throw new UsageError(`--out ${values.out} exists; pass --force to overwrite it`);
  const n = (values.n as number | undefined) ?? 64;
  if (n > 4096) throw new UsageError(`--n ${n} is more than one grid can hold (4096)`);
  const { session, step } = await restoredSession(resolve(cwd, positionals[0]!), values);
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
  ...backendFlag,
  ...common,
};

export async function exportCommand(argv: string[], cwd: string): Promise<number> {
  const { values, positionals } = parseFlags('export', argv, EXPORT_FLAGS, {
    min: 1,
    max: 1,
    names: 'a run folder (DIR)',
  });
  if (values.help) {
    process.stdout.write(
      helpText(
        'gankit export DIR --out DIR',
        'Writes the generator for the browser demo: one safetensors file with its manifest.',
        EXPORT_FLAGS,
      ),
    );
    return EXIT.ok;
  }
  const out = new Output(Boolean(values.json));
  if (values.out == null) throw new UsageError('gankit export needs --out DIR');
  const target = resolve(cwd, values.out as string);
  const file = resolve(target, 'generator.safetensors');
  if (existsSync(target) && !existsSync(file) && readdirSync(target).length > 0 && !values.force)
    throw new UsageError(
      `--out ${values.out} exists and holds other files; choose an empty folder or pass --force`,
    );
  if (existsSync(file) && !values.force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  const { session, step, folder } = await restoredSession(resolve(cwd, positionals[0]!), values);
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

export const PRESETS_FLAGS: Flags = { ...common };

export async function presetsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('presets', argv, PRESETS_FLAGS, {
    min: 0,
    max: 2,
    names: '`show NAME`',
  });
  if (values.help) {
    process.stdout.write(
      helpText(
        'gankit presets [show NAME]',
        'Lists the presets, or shows one with its model summaries.',
        PRESETS_FLAGS,
      ),
    );
    return EXIT.ok;
  }
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
