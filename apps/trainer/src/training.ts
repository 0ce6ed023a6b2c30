import { relative } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import type { MetricRecord } from '@gankit/metrics';
import { exportGenerator, GENERATOR_FORMAT, type GeneratorManifest } from '@gankit/models';
import type * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from './config.js';
import { EXIT } from './errors.js';
import { evaluate, formatRecords } from './evaluation.js';
import { growthLine, resolutionEndingAt, resolutionSampleName } from './growth.js';
import { clock, type Output } from './output.js';
import type { RunFolder } from './run-folder.js';
import { runLoop, type TrainingResult } from './run-loop.js';
import { samplePng } from './samples.js';
import type { Session } from './session.js';

export type { TrainingResult };

const sampleName = (step: number) => `step-${String(step).padStart(7, '0')}.png`;

export function manifestFor(
  session: Session,
  config: RunConfig,
  extra: Record<string, unknown> = {},
): GeneratorManifest {
  const { gan, trainer, data } = session;
  return {
    format: GENERATOR_FORMAT,
    model: config.model,
    architecture: gan.architecture,
    latentDim: gan.latentDim,
    dataShape: [...gan.dataShape],
    ...(gan.dataRange ? { dataRange: gan.dataRange } : {}),
    ...(gan.classes != null ? { classes: gan.classes } : {}),
    ...(data.classNames && gan.classes != null ? { classNames: data.classNames } : {}),
    ...(gan.codes ? { codes: gan.codes } : {}),
    ema: trainer.ema != null,
    steps: trainer.counters.step,
    info: { preset: config.preset, dataset: config.data.dataset, ...extra },
  };
}

/** The generator a run produces: EMA weights when the run keeps an average, else G. */
export function generatorWeights(session: Session) {
  const { trainer } = session;
  return { params: trainer.ema ? trainer.ema.params : trainer.G.params, state: trainer.G.state };
}

/**
 * Trains a session in its run folder until the configured length: metrics.jsonl lines, sample PNGs, evaluations,
 * atomic checkpoints, Ctrl-C → checkpoint and stop; at the end the exported generator and report.html.
 */
export async function runTraining(
  session: Session,
  folder: RunFolder,
  out: Output,
  signal: AbortSignal,
): Promise<TrainingResult> {
  const { config, gan, trainer, data } = session;
  const generate = (z: tf.Tensor2D, labels?: tf.Tensor1D) => trainer.sample(z, labels);
  const writeSamples = async (step: number) => {
    const file = sampleName(step);
    await writeFileAtomic(`${folder.samplesDir}/${file}`, await samplePng(gan, generate, data));
    await folder.appendMetrics([{ type: 'sample', step, file: `samples/${file}` }]);
  };
  return runLoop(trainer, data.source, config, folder, out, signal, {
    writeSamples,
    evaluate: () =>
      evaluate(gan, generate, data, {
        samples: config.run.evalSamples,
        seed: config.train.seed,
        style: { network: trainer.G, params: trainer.ema?.params ?? trainer.G.params },
      }),
    format: (e) => formatRecords(e.records),
    evaluating: `${config.run.evalSamples.toLocaleString('en-US')} samples`,
    // a grown run keeps the last grid of every resolution (the growth as a strip of images)
    afterStep: async (step, steps) => {
      const resolution = resolutionEndingAt(config, step, steps);
      if (resolution == null) return;
      await writeFileAtomic(
        `${folder.samplesDir}/${resolutionSampleName(resolution)}`,
        await samplePng(gan, generate, data),
      );
    },
    exportGenerator: (lastEval) =>
      exportGenerator(
        generatorWeights(session),
        manifestFor(session, config, lastEval ? { metrics: lastEval.records } : {}),
      ),
  });
}

/** The closing summary: where things are and what to try next. */
export function summarize(
  out: Output,
  result: TrainingResult,
  cwd: string,
  kind: NextCommands = 'generate',
  format: (records: MetricRecord[]) => string = formatRecords,
): void {
  const rel = relative(cwd, result.folder) || '.';
  const shown = rel.startsWith('..') ? result.folder : rel;
  if (result.reason === 'aborted') {
    out.line(
      `interrupted at step ${result.step}/${result.totalSteps}; checkpoint saved (${result.lastCheckpoint}).`,
    );
    out.line(`continue with: gankit resume ${shown}`);
    return;
  }
  if (result.reason === 'diverged') {
    out.line(
      `training diverged at step ${result.step} (non-finite values); the last good checkpoint is ${result.lastCheckpoint ?? 'none'}.`,
    );
    out.line(`try a lower learning rate (--lr-d, --lr-g) or another loss; report: ${shown}/report.html`);
    return;
  }
  out.line(`done: ${result.step} steps in ${clock(result.seconds)}.`);
  if (result.evaluation?.records.length) out.line(`final: ${format(result.evaluation.records)}`);
  out.line(`run folder: ${shown}`);
  out.line(`  report:    ${shown}/report.html`);
  out.line(`  samples:   ${shown}/samples/`);
  out.line(`  generator: ${shown}/generator.safetensors`);
  out.line('next:');
  if (kind === 'translate-both') {
    out.line(`  gankit translate ${shown} --direction a2b --input image.png --out translated.png`);
    out.line(`  gankit evaluate ${shown}`);
    out.line(`  gankit resume ${shown} --steps ${result.step * 2}`);
    return;
  }
  if (kind === 'translate') {
    out.line(`  gankit translate ${shown} --input image.png --out translated.png`);
    out.line(`  gankit evaluate ${shown}`);
    out.line(`  gankit resume ${shown} --steps ${result.step * 2}`);
    return;
  }
  out.line(`  gankit generate ${shown} --n 64 --out samples.png`);
  out.line(`  gankit evaluate ${shown}`);
  out.line(`  gankit resume ${shown} --steps ${result.step * 2}`);
  out.line(`  gankit export ${shown} --out exported/`);
}

/** Ctrl-C: the first stops after the current step with a checkpoint; a second exits at once. */
export function interruptible(out: Output): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      out.line('second Ctrl-C: exiting without a final checkpoint (the last saved one is intact)');
      process.exit(EXIT.interrupted);
    }
    out.line('Ctrl-C: finishing this step and saving a checkpoint… (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}

export function exitCodeOf(result: TrainingResult): number {
  return result.reason === 'done' ? EXIT.ok : result.reason === 'aborted' ? EXIT.interrupted : EXIT.failure;
}

export function trainSession(session: Session, folder: RunFolder, out: Output, cwd: string): Promise<number> {
  return trainUntilDone(session.trainer, (signal) => runTraining(session, folder, out, signal), out, cwd);
}

/**
 * Runs `train` (a run of either kind) with Ctrl-C handling, prints the closing summary and the JSON result, and
 * frees the trainer whatever happens; the exit code says how it ended.
 */
/** What the summary suggests next: sampling (GANs), translating (image-to-image), translating either way (unpaired). */
export type NextCommands = 'generate' | 'translate' | 'translate-both';

export async function trainUntilDone(
  trainer: { dispose(): void },
  train: (signal: AbortSignal) => Promise<TrainingResult>,
  out: Output,
  cwd: string,
  next: NextCommands = 'generate',
  format?: (records: MetricRecord[]) => string,
): Promise<number> {
  const stop = interruptible(out);
  try {
    const result = await train(stop.signal);
    summarize(out, result, cwd, next, format);
    out.result({ command: 'train', ...result });
    return exitCodeOf(result);
  } finally {
    stop.dispose();
    trainer.dispose();
  }
}

export function header(out: Output, session: Session, backend: string): void {
  const { config, gan, trainer, data } = session;
  const count = (n: number) => n.toLocaleString('en-US');
  const params = (vars: { size: number }[]) => count(vars.reduce((s, v) => s + v.size, 0));
  out.line(`preset: ${config.preset} — ${config.description}`);
  out.line(backend);
  out.line(`data: ${data.description}`);
  out.line(
    `model: ${gan.architecture} — G ${params(trainer.G.variables())} / D ${params(trainer.D.variables())} parameters`,
  );
  const t = config.train;
  out.line(
    `train: ${t.loss} loss, batch ${t.batchSize}${t.generatorBatchSize ? ` (G ${t.generatorBatchSize})` : ''}, ` +
      `lr D ${t.optimizers.discriminator.learningRate} G ${t.optimizers.generator.learningRate}, ` +
      `k = ${t.schedule.dSteps}, seed ${t.seed}; ` +
      (config.run.steps != null ? `${config.run.steps} steps` : `${config.run.epochs} epochs`),
  );
  const growth = growthLine(config, config.run.steps);
  if (growth) out.line(growth);
}
