/** The training loop of a run folder, for GAN and image-to-image runs alike: logs, samples, evaluations, checkpoints. */

import { writeFileAtomic } from '@gankit/datasets';
import { type DataSource, type LoopResult, type ProblemTrainer, totalSteps, trainLoop } from '@gankit/train';
import type { AnyRunConfig } from './config.js';
import { type Output, progressLine } from './output.js';
import { writeReport } from './report.js';
import type { EvalLine, RunFolder, StepLine } from './run-folder.js';

export interface RunLoopHooks {
  /** Writes the sample grid of `step` (a PNG under samples/, logged). */
  writeSamples(step: number): Promise<void>;
  /** Evaluates at `step`: the records, or a note when nothing could be scored. */
  evaluate(step: number): Promise<Pick<EvalLine, 'records' | 'note'>>;
  /** How a line of records reads on the console. */
  format(e: Pick<EvalLine, 'records' | 'note'>): string;
  /** What an evaluation runs on, as the console says it (`2,000 samples`, `2,000 held-out pairs`). */
  evaluating: string;
  /** After each step (a grown run keeps each resolution's last grid). */
  afterStep?(step: number, total: number): Promise<void>;
  /** The generator file a finished run leaves (`generator.safetensors`), with its last evaluation in the manifest. */
  exportGenerator(lastEval: EvalLine | undefined): Promise<Uint8Array>;
}

/** The `writeSamples` hook of runs whose grid is one PNG per step: `samples/step-NNNNNNN.png`, logged. */
export function stepGrids(folder: RunFolder, png: () => Promise<Buffer>): RunLoopHooks['writeSamples'] {
  return async (step) => {
    const file = `step-${String(step).padStart(7, '0')}.png`;
    await writeFileAtomic(`${folder.samplesDir}/${file}`, await png());
    await folder.appendMetrics([{ type: 'sample', step, file: `samples/${file}` }]);
  };
}

export interface TrainingResult {
  reason: LoopResult['reason'];
  step: number;
  totalSteps: number;
  seconds: number;
  folder: string;
  lastCheckpoint?: string;
  generator?: string;
  report: string;
  evaluation?: EvalLine;
}

/**
 * Trains until the run's length: a metrics.jsonl line every `logEvery` steps (losses, D outputs, terms, phase and
 * α), sample grids and evaluations at their cadence, atomic checkpoints, Ctrl-C → checkpoint and stop; at the end
 * (when done) the last grid and evaluation if their cadence missed it and the generator file; report.html always.
 */
export async function runLoop(
  trainer: ProblemTrainer,
  source: DataSource,
  config: AnyRunConfig,
  folder: RunFolder,
  out: Output,
  signal: AbortSignal,
  hooks: RunLoopHooks,
): Promise<TrainingResult> {
  const run = config.run;
  const total = totalSteps(trainer, source, { steps: run.steps, epochs: run.epochs });
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const startStep = trainer.state.counters.step;
  let window = { at: start, step: startStep };
  let pending: StepLine[] = [];
  let lastEval: EvalLine | undefined;
  const flush = async () => {
    await folder.appendMetrics(pending);
    pending = [];
  };
  const runEval = async (step: number) => {
    out.line(`evaluating at step ${step} on ${hooks.evaluating}…`);
    const e = await hooks.evaluate(step);
    lastEval = {
      type: 'eval',
      step,
      time: seconds(),
      records: e.records,
      ...(e.note ? { note: e.note } : {}),
    };
    await folder.appendMetrics([lastEval]);
    out.line(e.records.length ? `  ${hooks.format(e)}` : `  not evaluated: ${e.note}`);
  };
  if (startStep === 0) await hooks.writeSamples(0);
  const result = await trainLoop(trainer, source, {
    steps: total,
    signal,
    storage: folder.checkpoints,
    checkpointEvery: run.checkpointEvery,
    keep: run.keep,
    sampleEvery: run.sampleEvery,
    evalEvery: run.evalEvery > 0 ? run.evalEvery : undefined,
    onStep: async (logs) => {
      const step = logs.step;
      if (step % run.logEvery === 0 || step === total) {
        const now = performance.now();
        const rate = (step - window.step) / ((now - window.at) / 1000);
        window = { at: now, step };
        pending.push({
          type: 'step',
          step,
          dLoss: logs.dLoss,
          gLoss: logs.gLoss,
          dReal: logs.dReal,
          dFake: logs.dFake,
          time: seconds(),
          stepsPerSecond: rate,
          ...(Object.keys(logs.terms).length ? { terms: logs.terms } : {}),
          ...(logs.phase
            ? { phase: logs.phase.name, ...(logs.phase.alpha != null ? { alpha: logs.phase.alpha } : {}) }
            : {}),
        });
        out.progress(progressLine(step, total, rate, logs.dLoss, logs.gLoss, logs.phase?.name));
        if (pending.length >= 10) await flush();
      }
      await hooks.afterStep?.(step, total);
    },
    onSample: async (step) => {
      await flush();
      await hooks.writeSamples(step);
    },
    onEval: async (step) => {
      await flush();
      await runEval(step);
    },
    onCheckpoint: async () => {
      await flush();
    },
    onDivergenceDetected: async (logs, action) => {
      out.line(
        `step ${logs.step}: non-finite ${logs.nonFinite.join(', ')} — ${action === 'stop' ? 'stopping' : 'rolling back'}`,
      );
    },
  });
  await flush();
  out.endLive();
  const step = trainer.state.counters.step;
  let generator: string | undefined;
  if (result.reason === 'done') {
    if (step % run.sampleEvery !== 0) await hooks.writeSamples(step);
    if (lastEval?.step !== step) await runEval(step);
    await writeFileAtomic(folder.generatorPath, await hooks.exportGenerator(lastEval));
    generator = folder.generatorPath;
  }
  await writeReport(folder, config);
  return {
    reason: result.reason,
    step,
    totalSteps: total,
    seconds: seconds(),
    folder: folder.dir,
    lastCheckpoint: result.lastCheckpoint,
    generator,
    report: folder.reportPath,
    evaluation: lastEval,
  };
}
