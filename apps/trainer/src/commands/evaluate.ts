import { resolve } from 'node:path';
import { TOY_DISTRIBUTIONS } from '@gankit/datasets';
import {
  datasetImages,
  evaluateImages,
  evaluateMixture,
  IMAGE_METRIC_NAMES,
  type ImageMetric,
  loadShippedExtractor,
  type MetricRecord,
} from '@gankit/metrics';
import { COMMON_FLAGS, type Flags, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { checkBackend, startBackend } from '../backend.js';
import { isCycle, isPaired } from '../config.js';
import { cycleEvaluationPhrase, evaluateCycleRun, formatCycle } from '../cycle-eval.js';
import { restoreCycleRun } from '../cycle-session.js';
import { openSpec } from '../data.js';
import { EXIT, UsageError, unknownChoice } from '../errors.js';
import { evaluate, formatRecords } from '../evaluation.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { evaluatePairedRun, evaluationPhrase } from '../paired-eval.js';
import { restorePairedRun } from '../paired-session.js';
import { formatPaired } from '../paired-training.js';
import { RunFolder } from '../run-folder.js';
import { restoreRun } from '../session.js';

export const EVALUATE_FLAGS: Flags = {
  real: {
    kind: 'string',
    value: 'DATASET',
    help: 'score real data against itself (train vs test): the metrics’ baseline',
  },
  metrics: {
    kind: 'string',
    value: 'LIST',
    help: `comma-separated: ${IMAGE_METRIC_NAMES.join(', ')} (default: all that apply)`,
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

function parseMetrics(list: string | undefined): ImageMetric[] | undefined {
  if (list == null) return undefined;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!IMAGE_METRIC_NAMES.includes(n as ImageMetric)) throw unknownChoice('metric', n, IMAGE_METRIC_NAMES);
  return names as ImageMetric[];
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

/** What `--real` can score: data with a shipped extractor, and the mixtures with modes to count. */
const REAL = [
  'mnist',
  'fashion-mnist',
  ...Object.entries(TOY_DISTRIBUTIONS)
    .filter(([, make]) => make().modes != null)
    .map(([name]) => name),
];

/** `evaluate --real`: real data against real data (training vs test images; two samples of a toy mixture). */
async function evaluateReal(
  name: string,
  out: Output,
  options: { samples?: number; metrics?: ImageMetric[]; seed: number },
): Promise<MetricRecord[]> {
  const { seed } = options;
  const data = await openSpec(name);
  if (data.kind === 'points') {
    const mixture = data.distribution;
    const n = options.samples ?? 2500;
    const real = mixture.sample(n, seed + 1);
    return evaluateMixture({ generated: mixture.sample(n, seed), real, dim: mixture.dim, mixture, seed });
  }
  const { train, test, extractor: kind } = data;
  if (test == null || kind == null)
    throw new UsageError(`--real ${name}: no held-out split or extractor to score it`);
  const extractor = await loadShippedExtractor(kind).catch((err: Error) => {
    throw new UsageError(err.message);
  });
  const n = Math.min(options.samples ?? 10_000, test.count);
  const count = n.toLocaleString('en-US');
  out.line(`scoring ${count} real ${name} training images against ${count} test images…`);
  return evaluateImages({
    extractor,
    generated: datasetImages(train),
    real: datasetImages(test),
    count: n,
    metrics: options.metrics,
    seed,
  });
}

export async function evaluateCommand(argv: string[], io: MainIO): Promise<number> {
  const { cwd } = io;
  const parsed = parseCommand('evaluate', argv, {
    stdout: io.stdout,
    usage: 'gankit evaluate DIR [--metrics LIST] [--samples N]\ngankit evaluate --real DATASET',
    summary: 'Scores a run’s generator (or real data) with the offline extractors.',
    flags: EVALUATE_FLAGS,
    positionals: { min: 0, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json), io);
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
  const dir = resolve(cwd, positionals[0]!);
  const opened = (await RunFolder.open(dir)).config;
  if (isCycle(opened)) {
    if (metrics != null)
      throw new UsageError(
        '--metrics chooses among FID-style metrics of GAN runs; an unpaired run reports class preservation, FID and the cycle’s L1, PSNR and SSIM, both ways',
      );
    const { session } = await restoreCycleRun(dir, values.backend as string | undefined, 'loaded');
    try {
      const n = samples ?? 10_000;
      const step = session.trainer.state.counters.step;
      out.line(
        `evaluating ${session.def.architecture} at step ${step} on ${cycleEvaluationPhrase(session, n)}…`,
      );
      if (n < 2) throw new UsageError(`--samples must be at least 2 for an unpaired run, got ${n}`);
      const e = await evaluateCycleRun(session, n);
      out.line(formatCycle(e.records));
      if (e.note) out.line(`(${e.note})`);
      out.result({ command: 'evaluate', step, records: e.records, ...(e.note ? { note: e.note } : {}) });
      return EXIT.ok;
    } finally {
      session.trainer.dispose();
    }
  }
  if (isPaired(opened)) {
    if (metrics != null)
      throw new UsageError(
        '--metrics chooses among FID-style metrics of GAN runs; an image-to-image run reports PSNR, SSIM, class preservation and FID',
      );
    const { session } = await restorePairedRun(dir, values.backend as string | undefined, 'loaded');
    try {
      const n = Math.min(samples ?? 10_000, session.data.evalImages.count);
      const step = session.trainer.state.counters.step;
      out.line(`evaluating ${session.def.architecture} at step ${step} on ${evaluationPhrase(session, n)}…`);
      const e = await evaluatePairedRun(session, n);
      out.line(formatPaired(e.records));
      if (e.note) out.line(`(${e.note})`);
      out.result({ command: 'evaluate', step, records: e.records, ...(e.note ? { note: e.note } : {}) });
      return EXIT.ok;
    } finally {
      session.trainer.dispose();
    }
  }
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
      style: { network: trainer.G, params: trainer.ema?.params ?? trainer.G.params },
    });
    if (e.records.length === 0 && e.note) throw new UsageError(`cannot evaluate: ${e.note}`);
    printRecords(out, e.records, e.note);
    out.result({ command: 'evaluate', step, records: e.records, ...(e.note ? { note: e.note } : {}) });
    return EXIT.ok;
  } finally {
    session.trainer.dispose();
  }
}
