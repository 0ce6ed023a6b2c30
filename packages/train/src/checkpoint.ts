import {
  loadTreesFromFile,
  type ParamTree,
  readSafetensors,
  replaceState,
  type SafetensorsFile,
  type StateTree,
  saveTrees,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import { enterPhase, phaseAtStep, phaseStart, problemAt, type TrainState } from './state.js';
import type { DataSource } from './step.js';

export const CHECKPOINT_FORMAT = 'gankit-checkpoint/2';
/** The format before problems (one G, one D): still read, converted on load. */
const FORMAT_1 = 'gankit-checkpoint/1';

/** What a checkpoint is taken of: a run's state record, and the config that decides it (compared on resume). */
export interface Checkpointable {
  readonly state: TrainState;
  /** The run's resolved config (a trainer of the shipped families has one; a problem may carry one). */
  readonly config?: unknown;
}

const configOf = (t: Checkpointable) => t.config ?? t.state.problem.config ?? null;

/**
 * A checkpoint is one safetensors file with everything a run is: every network's parameters and state, the EMA
 * weights, each group's optimiser slots and update count, the replay pools, the running values of terms, and — as metadata — the resolved config,
 * the counters, the phase and the data iterator's position. Randomness is keyed by (seed, step), so the counters are
 * its state.
 */
export async function saveCheckpoint(trainer: Checkpointable, data: DataSource): Promise<Uint8Array> {
  const { state } = trainer;
  const { params, state: tree } = trees(state);
  const pools: tf.Tensor[] = [];
  const replay: StateTree = {};
  for (const [name, pool] of Object.entries(state.replay)) {
    const t = pool.toTensor();
    if (t) {
      replay[name] = t;
      pools.push(t);
    }
  }
  if (pools.length > 0) tree.replay = replay;
  try {
    return await saveTrees(
      { params, state: tree },
      {
        format: CHECKPOINT_FORMAT,
        architecture: state.problem.name,
        config: JSON.stringify(configOf(trainer)),
        counters: JSON.stringify(state.counters),
        optimizerIterations: JSON.stringify(
          Object.fromEntries(Object.entries(state.optimizers).map(([g, o]) => [g, o.iterations])),
        ),
        phase: String(state.phase),
        data: JSON.stringify(data.state() ?? null),
      },
    );
  } finally {
    tf.dispose(pools);
  }
}

function trees(state: TrainState): { params: ParamTree; state: StateTree } {
  const params: ParamTree = {};
  const tree: StateTree = {};
  for (const [name, net] of Object.entries(state.networks)) {
    params[name] = net.params;
    tree[name] = net.state;
  }
  if (Object.keys(state.ema).length > 0)
    params.ema = Object.fromEntries(Object.entries(state.ema).map(([n, e]) => [n, e.params])) as ParamTree;
  tree.opt = Object.fromEntries(
    Object.entries(state.optimizers).map(([g, o]) => [g, Object.fromEntries(o.slots)]),
  ) as StateTree;
  if (Object.keys(state.terms).length > 0) tree.terms = state.terms as StateTree;
  return { params, state: tree };
}

/** Lists how two JSON values differ, as `path: saved → current` lines. */
export function configDifferences(saved: unknown, current: unknown, path = 'config'): string[] {
  if (JSON.stringify(saved) === JSON.stringify(current)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> =>
    v != null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(saved) && isObj(current)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].sort();
    return keys.flatMap((k) => configDifferences(saved[k], current[k], `${path}.${k}`));
  }
  return [`${path}: ${JSON.stringify(saved)} → ${JSON.stringify(current)}`];
}

/**
 * Format 1 (one G and one D, before problems) in format 2's layout: the EMA and the optimiser slots under their
 * network and group, the replay pool under the value it mixes, the counters per group.
 */
function fromFormat1(file: SafetensorsFile): SafetensorsFile {
  const rename = (key: string) =>
    key
      .replace(/^params\/ema\//, 'params/ema/G/')
      .replace(/^state\/optG\//, 'state/opt/G/')
      .replace(/^state\/optD\//, 'state/opt/D/')
      .replace(/^state\/replay\/pool$/, 'state/replay/fake');
  const meta = { ...file.metadata };
  const c = JSON.parse(meta.counters ?? 'null') as {
    step: number;
    dUpdates: number;
    gUpdates: number;
  } | null;
  if (c) meta.counters = JSON.stringify({ step: c.step, updates: { D: c.dUpdates, G: c.gUpdates } });
  const it = JSON.parse(meta.optimizerIterations ?? '{}') as { generator?: number; discriminator?: number };
  meta.optimizerIterations = JSON.stringify({ D: it.discriminator, G: it.generator });
  meta.format = CHECKPOINT_FORMAT;
  meta.phase = '0';
  return { tensors: new Map([...file.tensors].map(([k, v]) => [rename(k), v])), metadata: meta };
}

/**
 * Restores a checkpoint into a trainer built with the same problem and config (and its data source), so that the
 * run continues exactly where it stopped — in the middle of a phase too. Refuses, changing nothing, a file of
 * another format, architecture or config (listing the differences), or with counters that do not add up.
 */
export function restoreCheckpoint(bytes: Uint8Array, trainer: Checkpointable, data: DataSource): void {
  const { state } = trainer;
  let file = readSafetensors(bytes);
  if (file.metadata.format === FORMAT_1) file = fromFormat1(file);
  const meta = file.metadata;
  if (meta.format !== CHECKPOINT_FORMAT)
    throw new Error(
      `not a gankit checkpoint (format '${meta.format ?? 'none'}', expected '${CHECKPOINT_FORMAT}')`,
    );
  if (meta.architecture !== state.problem.name)
    throw new Error(`the checkpoint is of a ${meta.architecture} GAN, this run builds ${state.problem.name}`);
  const differences = configDifferences(
    JSON.parse(meta.config ?? 'null'),
    JSON.parse(JSON.stringify(configOf(trainer))),
  );
  if (differences.length > 0)
    throw new Error(`the checkpoint was made with a different config:\n  ${differences.join('\n  ')}`);
  const counters = JSON.parse(meta.counters ?? 'null') as TrainState['counters'] | null;
  const iterations = JSON.parse(meta.optimizerIterations ?? '{}') as Record<string, number>;
  const groups = Object.keys(state.problem.groups);
  // the updates of a group its schedule makes in the first `step` iterations, phase by phase
  const scheduled = (g: string, step: number) => {
    const phases = state.problem.phases?.length ? state.problem.phases : [undefined];
    let total = 0;
    phases.forEach((_, i) => {
      const start = phaseStart(state.problem, i);
      const end = i + 1 < phases.length ? phaseStart(state.problem, i + 1) : Number.POSITIVE_INFINITY;
      const steps = Math.max(0, Math.min(step, end) - start);
      const perStep = problemAt(state.problem, i)
        .schedule.filter((e) => e.group === g)
        .reduce((n, e) => n + e.times, 0);
      total += steps * perStep;
    });
    return total;
  };
  const consistent =
    counters != null &&
    Number.isInteger(counters.step) &&
    counters.step >= 0 &&
    groups.every(
      (g) =>
        Number.isInteger(counters.updates?.[g]) &&
        counters.updates[g]! >= scheduled(g, counters.step) &&
        // a phase may reset its optimisers: their count restarts, it never runs ahead of the group's updates
        Number.isInteger(iterations[g]) &&
        iterations[g]! >= 0 &&
        iterations[g]! <= counters.updates[g]!,
    );
  if (!consistent)
    throw new Error(
      `the checkpoint's counters are out of sync: ${JSON.stringify(counters)} (optimiser updates ${JSON.stringify(iterations)}) ` +
        `for a schedule of ${state.problem.schedule.map((e) => `${e.times} ${e.group}`).join(' then ')} updates per ` +
        'iteration — the file is corrupt or was edited',
    );
  const due = phaseAtStep(state.problem, counters.step);
  // saved right after a phase's last step, a run is still in that phase: the next step enters the new one
  const phase =
    String(due - 1) === meta.phase && counters.step === phaseStart(state.problem, due) ? due - 1 : due;
  if (String(phase) !== (meta.phase ?? '0'))
    throw new Error(
      `the checkpoint says phase ${meta.phase} at step ${counters.step}, where this problem is in phase ${phase}`,
    );
  if (phase !== state.phase) enterPhase(state, phase);
  const pools = new Map<
    string,
    { data: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' }
  >();
  for (const key of [...file.tensors.keys()])
    if (key.startsWith('state/replay/')) {
      pools.set(key.slice('state/replay/'.length), file.tensors.get(key)!);
      file.tensors.delete(key);
    }
  const loaded = loadTreesFromFile(file, trees(state)).state;
  for (const [name, net] of Object.entries(state.networks))
    net.state = replaceState(net.state, loaded[name] as StateTree);
  for (const [group, opt] of Object.entries(state.optimizers)) {
    for (const [name, t] of Object.entries((loaded.opt as StateTree)[group] as StateTree)) {
      opt.slots.get(name)?.dispose();
      opt.slots.set(name, tf.keep(t as tf.Tensor));
    }
    opt.iterations = iterations[group]!;
  }
  for (const [name, held] of Object.entries(
    (loaded.terms ?? {}) as Record<string, Record<string, tf.Tensor>>,
  ))
    for (const [key, t] of Object.entries(held)) {
      state.terms[name]![key]!.dispose();
      state.terms[name]![key] = tf.keep(t);
    }
  for (const [name, pool] of Object.entries(state.replay)) {
    const saved = pools.get(name);
    const stacked = saved ? tf.tensor(saved.data, saved.shape, saved.dtype) : null;
    pool.load(stacked);
    stacked?.dispose();
  }
  data.restore(JSON.parse(meta.data ?? 'null'));
  state.counters.step = counters.step;
  state.counters.updates = { ...counters.updates };
}
