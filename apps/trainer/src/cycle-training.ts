/** Trains an unpaired run in its run folder: logs, sample grids, evaluations, checkpoints, the exported generator pair. */
import { CYCLE_FORMAT, type CycleManifest, exportCycle } from '@gankit/models';
import { CYCLE_NETWORKS } from '@gankit/train';
import { cycleEvaluationPhrase, cycleSamplePng, evaluateCycleRun, formatCycle } from './cycle-eval.js';
import type { CycleSession } from './cycle-session.js';
import type { Output } from './output.js';
import type { RunFolder } from './run-folder.js';
import { runLoop, stepGrids, type TrainingResult } from './run-loop.js';
import { trainUntilDone } from './training.js';

/** The exported pair's manifest: its model, the domains' shapes and how they were made. */
export function cycleManifest(session: CycleSession, extra: Record<string, unknown> = {}): CycleManifest {
  const { config, def, trainer } = session;
  return {
    format: CYCLE_FORMAT,
    model: config.model,
    architecture: def.architecture,
    shapeA: [...def.shapeA],
    shapeB: [...def.shapeB],
    dataRange: def.dataRange,
    domains: { a: { ...config.data.a }, b: { ...config.data.b } },
    steps: trainer.state.counters.step,
    info: { preset: config.preset, ...extra },
  };
}

/** Both generators' weights. */
export function cycleWeights(session: CycleSession) {
  const n = session.trainer.state.networks;
  const of = (name: string) => ({ params: n[name]!.params, state: n[name]!.state });
  return { ab: of(CYCLE_NETWORKS.AB), ba: of(CYCLE_NETWORKS.BA) };
}

async function runCycleTraining(
  session: CycleSession,
  folder: RunFolder,
  out: Output,
  signal: AbortSignal,
): Promise<TrainingResult> {
  const { config, trainer, data } = session;
  return runLoop(trainer, data.source, config, folder, out, signal, {
    writeSamples: stepGrids(folder, () => cycleSamplePng(session)),
    evaluate: () => evaluateCycleRun(session, config.run.evalSamples),
    format: (e) => formatCycle(e.records),
    evaluating: cycleEvaluationPhrase(session, config.run.evalSamples),
    exportGenerator: (lastEval) => {
      const { ab, ba } = cycleWeights(session);
      return exportCycle(ab, ba, cycleManifest(session, lastEval ? { metrics: lastEval.records } : {}));
    },
  });
}

export function trainCycleSession(
  session: CycleSession,
  folder: RunFolder,
  out: Output,
  cwd: string,
): Promise<number> {
  const run = (signal: AbortSignal) => runCycleTraining(session, folder, out, signal);
  return trainUntilDone(session.trainer, run, out, cwd, 'translate-both', formatCycle);
}

export function cycleHeader(out: Output, session: CycleSession, backend: string): void {
  const { config, def, trainer, data } = session;
  const count = (vars: { size: number }[]) => vars.reduce((s, v) => s + v.size, 0).toLocaleString('en-US');
  const n = trainer.state.networks;
  const t = config.train;
  out.line(`preset: ${config.preset} — ${config.description}`);
  out.line(backend);
  out.line(`data: ${data.description}`);
  out.line(
    `model: ${def.architecture} — G and F ${count(n[CYCLE_NETWORKS.AB]!.variables())} parameters each, D_A and D_B ${count(n[CYCLE_NETWORKS.A]!.variables())}`,
  );
  const terms = [
    `cycle ${t.cycle.norm} × ${t.cycle.weight}`,
    t.identity ? `identity × ${t.identity.weight}` : 'no identity term',
    t.pool ? `pools of ${t.pool.size} fakes (p ${t.pool.probability})` : 'no pools',
  ];
  out.line(
    `train: ${t.loss} loss, ${terms.join(', ')}, D × ${t.discriminatorWeight ?? 1}, batch ${t.batchSize}, ` +
      `lr D ${t.optimizers.discriminator.learningRate} G ${t.optimizers.generator.learningRate}` +
      (t.lrSchedule?.kind === 'linear'
        ? ` (to ${t.lrSchedule.final ?? 0} from step ${t.lrSchedule.start ?? 0})`
        : '') +
      `, seed ${t.seed}; ${config.run.steps != null ? `${config.run.steps} steps` : `${config.run.epochs} epochs`}`,
  );
}
