import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from './forward.js';
import { alphaAt, enterPhase, phaseAtStep, problemAt, type TrainState } from './state.js';
import { type Logged, updateGroup } from './update.js';

/** Where real data comes from: one batch per drawing update, with a position a checkpoint can save. */
export interface DataSource {
  /** The next batch: `{ x, labels }` for image GANs; any named tensors a problem reads (`source`, `target` …). */
  next(): Batch;
  /** Batches in one pass over the data, for epoch-based runs (absent for endless toy samplers). */
  batchesPerEpoch?: number;
  state(): unknown;
  restore(state: unknown): void;
}

/** One iteration's numbers. */
export interface StepLogs {
  /** Iterations completed, this one included. */
  step: number;
  /** Each group's total loss (its last update's). */
  losses: Record<string, number>;
  /** `losses.D` and `losses.G` (NaN when the problem has no such group). */
  dLoss: number;
  gLoss: number;
  /** The problem's scores (`dReal`, `dFake`: mean D outputs — probabilities for classifier losses). */
  scores: Record<string, number>;
  dReal: number;
  dFake: number;
  /** Every loss term by name (unweighted). */
  terms: Record<string, number>;
  /** Each group's global gradient norm (before clipping). */
  gradNorms: Record<string, number>;
  gradNormD: number;
  gradNormG: number;
  learningRates: Record<string, number>;
  learningRate: { generator: number; discriminator: number };
  /** The phase the iteration ran in, and its fade-in α. */
  phase?: { index: number; name: string; alpha?: number };
  /** False when a loss or gradient was NaN/Inf: that update was not applied. */
  finite: boolean;
  nonFinite: string[];
  stepMs: number;
}

/**
 * One iteration: the schedule's updates in order — each drawing group (D) on a fresh batch, the others (G) on the
 * iteration's last one — then every logged number read in one asynchronous read.
 */
export async function trainStep(state: TrainState, data: DataSource): Promise<StepLogs> {
  const start = performance.now();
  const s = state.counters.step;
  const due = phaseAtStep(state.problem, s);
  if (due !== state.phase) enterPhase(state, due);
  const problem = problemAt(state.problem, state.phase);
  const logged: Logged = new Map();
  const losses = new Map<string, tf.Tensor>();
  const oks = new Map<string, tf.Tensor>();
  const learningRates: Record<string, number> = {};
  const batches: Batch[] = [];
  let batch: Batch | undefined;
  try {
    for (const entry of problem.schedule) {
      const group = problem.groups[entry.group]!;
      for (let k = 0; k < entry.times; k++) {
        if (group.draws || batch == null) {
          batch = data.next();
          batches.push(batch);
        }
        const r = updateGroup(state, entry.group, batch, { step: s, k });
        for (const [name, t] of r.logged) {
          logged.get(name)?.dispose();
          logged.set(name, t);
        }
        losses.get(entry.group)?.dispose();
        losses.set(entry.group, r.loss);
        const okSoFar = oks.get(entry.group);
        oks.set(entry.group, okSoFar ? tf.tidy(() => tf.logicalAnd(okSoFar, r.ok)) : r.ok);
        if (okSoFar) tf.dispose([okSoFar, r.ok]);
        learningRates[entry.group] = r.learningRate;
      }
    }
  } finally {
    const seen = new Set<tf.Tensor>();
    for (const b of batches) for (const t of Object.values(b)) if (t && !seen.has(t)) seen.add(t);
    tf.dispose([...seen]);
  }
  state.counters.step++;

  // One asynchronous read of every logged number (no synchronous reads in the step).
  const entries = [
    ...[...logged].map(([name, t]) => ['log', name, t] as const),
    ...[...losses].map(([name, t]) => ['loss', name, t] as const),
    ...[...oks].map(([name, t]) => ['ok', name, t] as const),
  ];
  const values = await Promise.all(entries.map(([, , t]) => t.data()));
  tf.dispose(entries.map(([, , t]) => t));
  const read = (kind: string, name: string) => {
    const i = entries.findIndex(([k, n]) => k === kind && n === name);
    return i < 0 ? Number.NaN : Number(values[i]![0]);
  };
  const byGroup = (prefix: string) =>
    Object.fromEntries(
      Object.keys(problem.groups)
        .filter((g) => oks.has(g))
        .map((g) => [g, read('log', `${prefix}${g}`)]),
    );
  const nonFinite: string[] = [];
  const label = (g: string) => problem.groups[g]!.label ?? g;
  for (const g of oks.keys()) if (read('ok', g) !== 1) nonFinite.push(`${label(g)} loss or gradients`);
  for (const g of oks.keys()) if (read('log', `paramsOk${g}`) !== 1) nonFinite.push(`${label(g)} parameters`);
  const terms: Record<string, number> = {};
  for (const t of problem.terms) if (logged.has(t.name)) terms[t.name] = read('log', t.name);
  const scores: Record<string, number> = {};
  for (const name of Object.keys(problem.scores ?? {}))
    if (logged.has(name)) scores[name] = read('log', name);
  const lossesRead = Object.fromEntries([...losses.keys()].map((g) => [g, read('loss', g)]));
  const gradNorms = byGroup('gradNorm');
  const phase = state.problem.phases?.[state.phase];
  return {
    step: state.counters.step,
    losses: lossesRead,
    dLoss: lossesRead.D ?? Number.NaN,
    gLoss: lossesRead.G ?? Number.NaN,
    scores,
    dReal: scores.dReal ?? Number.NaN,
    dFake: scores.dFake ?? Number.NaN,
    terms,
    gradNorms,
    gradNormD: gradNorms.D ?? Number.NaN,
    gradNormG: gradNorms.G ?? Number.NaN,
    learningRates,
    learningRate: { generator: learningRates.G ?? Number.NaN, discriminator: learningRates.D ?? Number.NaN },
    ...(phase
      ? {
          phase: {
            index: state.phase,
            name: phase.name,
            ...(phase.fade != null ? { alpha: alphaAt(state.problem, s) } : {}),
          },
        }
      : {}),
    finite: nonFinite.length === 0,
    nonFinite,
    stepMs: performance.now() - start,
  };
}
