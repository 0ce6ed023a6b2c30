import { flattenTree, keyFor, mapTree, type ParamTree, type StateTree } from '@gankit/layers';
import { instantiate, type Network } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { Ema } from './ema.js';
import { createOptimizer, type Optimizer } from './optim.js';
import type { GanProblem } from './problem.js';
import { validateProblem } from './problem-check.js';
import { ReplayPool } from './replay.js';

/**
 * Everything a run is, as one record: the networks (parameters and state), one optimiser per group, the EMA weights,
 * the replay pools, the counters and the phase. `step` runs the schedule on it; a checkpoint is this record.
 */
export interface TrainState {
  readonly problem: GanProblem;
  /** Index into `problem.phases` (0 without phases). */
  phase: number;
  networks: Record<string, Network>;
  optimizers: Record<string, Optimizer>;
  ema: Record<string, Ema>;
  replay: Record<string, ReplayPool>;
  /** The running values of terms that keep state (`LossTerm.state`), by term name and key. */
  terms: Record<string, Record<string, tf.Tensor>>;
  /** Completed iterations, and the updates of each group (single updates outside the schedule included). */
  counters: { step: number; updates: Record<string, number> };
}

/** The problem as it stands in phase `phase`: networks, values, terms and schedule with the phases' changes applied. */
export function problemAt(problem: GanProblem, phase: number): GanProblem {
  if (!problem.phases?.length) return problem;
  let current = problem;
  for (const p of problem.phases.slice(0, phase + 1)) {
    current = {
      ...current,
      networks: Object.fromEntries(
        Object.entries(current.networks).map(([name, slot]) => [
          name,
          p.networks?.[name] ? { ...slot, def: p.networks[name]! } : slot,
        ]),
      ),
      terms: p.terms ?? current.terms,
      schedule: p.schedule ?? current.schedule,
      ...(p.values ? { values: { ...current.values, ...p.values } } : {}),
    };
  }
  return current;
}

/** The step at which phase `i` begins. */
export function phaseStart(problem: GanProblem, i: number): number {
  return (problem.phases ?? [])
    .slice(0, i)
    .reduce((sum, p) => sum + (p.steps ?? Number.POSITIVE_INFINITY), 0);
}

/** The phase that step `step` belongs to. */
export function phaseAtStep(problem: GanProblem, step: number): number {
  const phases = problem.phases ?? [];
  let i = 0;
  while (i + 1 < phases.length && step >= phaseStart(problem, i + 1)) i++;
  return i;
}

/** The fade-in α at `step`: rising from 0 to 1 over the phase's first `fade` steps; undefined when it does not fade. */
export function alphaAt(problem: GanProblem, step: number): number | undefined {
  const i = phaseAtStep(problem, step);
  const fade = problem.phases?.[i]?.fade;
  if (fade == null) return undefined;
  return Math.min(1, (step - phaseStart(problem, i)) / fade);
}

/** Variables of a group's networks, in a fixed order, with the keys its optimiser slots are saved under. */
export function groupVariables(state: TrainState, group: string): { vars: tf.Variable[]; keys: string[] } {
  const names = groupNetworks(state.problem, group);
  const prefixed = names.length > 1;
  const vars: tf.Variable[] = [];
  const keys: string[] = [];
  for (const name of names) {
    for (const [path, v] of flattenTree(state.networks[name]!.params)) {
      vars.push(v as tf.Variable);
      keys.push(prefixed ? `${name}/${path}` : path);
    }
  }
  return { vars, keys };
}

export function groupNetworks(problem: GanProblem, group: string): string[] {
  return Object.entries(problem.networks)
    .filter(([, slot]) => slot.group === group)
    .map(([name]) => name);
}

/** Builds the networks, optimisers, averages and pools of a problem from its seed (validated first). */
export function createState(problem: GanProblem): TrainState {
  validateProblem(problem);
  const at = problemAt(problem, 0);
  const state: TrainState = {
    problem,
    phase: 0,
    networks: {},
    optimizers: {},
    ema: {},
    replay: {},
    terms: {},
    counters: { step: 0, updates: Object.fromEntries(Object.keys(problem.groups).map((g) => [g, 0])) },
  };
  try {
    for (const [name, slot] of Object.entries(at.networks))
      state.networks[name] = instantiate(slot.def, keyFor(problem.seed, 0, name));
    buildOptimizers(state);
    for (const [name, slot] of Object.entries(at.networks))
      if (slot.ema)
        state.ema[name] = new Ema(state.networks[name]!.params, slot.ema.decay, slot.ema.warmup ?? true);
    if (problem.replay)
      for (const def of Object.values(problem.values))
        if (def.kind === 'present' && def.replay)
          state.replay[def.input] ??= new ReplayPool(problem.replay.size, problem.replay.probability);
    addTermState(state);
  } catch (err) {
    disposeState(state);
    throw err;
  }
  return state;
}

function buildOptimizers(state: TrainState, keep?: Record<string, Optimizer>): void {
  for (const [group, def] of Object.entries(state.problem.groups)) {
    const { vars, keys } = groupVariables(state, group);
    const opt = createOptimizer(def.optimizer, vars, keys);
    const old = keep?.[group];
    if (old) {
      // slots of parameters that exist in both phases carry over; new parameters start from zeros
      for (const [name, t] of old.slots) {
        const fresh = opt.slots.get(name);
        if (fresh && fresh.shape.join() === t.shape.join()) {
          fresh.dispose();
          opt.slots.set(name, t);
          old.slots.delete(name);
        }
      }
      opt.iterations = old.iterations;
      old.dispose();
    }
    state.optimizers[group] = opt;
  }
}

/**
 * Moves a run into phase `phase`: networks the phase redefines are built anew (from the same seeds) and take over
 * every parameter and state tensor that has the same path and shape; the EMA likewise; optimiser slots are reset
 * or carried over as the phase says.
 */
export function enterPhase(state: TrainState, phase: number): void {
  const target = problemAt(state.problem, phase);
  const def = state.problem.phases?.[phase];
  const rebuilt: string[] = [];
  for (const [name, slot] of Object.entries(target.networks)) {
    const old = state.networks[name]!;
    if (old.def === slot.def) continue;
    const grown = instantiate(slot.def, keyFor(state.problem.seed, phase, name));
    carryOver(grown.params, old.params);
    grown.state = carryState(grown.state, old.state);
    old.dispose();
    state.networks[name] = grown;
    rebuilt.push(name);
    const ema = state.ema[name];
    if (ema) {
      const next = new Ema(grown.params, ema.decay, ema.warmup);
      carryOver(next.params, ema.params);
      ema.dispose();
      state.ema[name] = next;
    }
  }
  state.phase = phase;
  addTermState(state);
  if (rebuilt.length === 0 && def?.optimizers !== 'reset') return;
  const old = state.optimizers;
  state.optimizers = {};
  if (def?.optimizers === 'reset') {
    for (const o of Object.values(old)) o.dispose();
    buildOptimizers(state);
  } else buildOptimizers(state, old);
}

/** Initial values of the running state of the current phase's terms that have none yet (kept across phases). */
function addTermState(state: TrainState): void {
  for (const term of problemAt(state.problem, state.phase).terms) {
    if (term.state == null) continue;
    state.terms[term.name] ??= {};
    const held = state.terms[term.name]!;
    for (const [key, init] of Object.entries(term.state)) held[key] ??= tf.keep(init());
  }
}

/** Copies every tensor of `from` into the tensor at the same path of `to` when the shapes agree. */
function carryOver(to: ParamTree, from: ParamTree): void {
  const source = new Map(flattenTree(from));
  for (const [path, t] of flattenTree(to)) {
    const s = source.get(path);
    if (s && s.shape.join() === t.shape.join()) (t as tf.Variable).assign(s);
  }
}

/** `to` with a copy of `from`'s tensor wherever both have one of the same path and shape (the rest as it was). */
function carryState(to: StateTree, from: StateTree): StateTree {
  const source = new Map(flattenTree(from));
  return mapTree(to, (t, path) => {
    const s = source.get(path);
    if (s == null || s.shape.join() !== t.shape.join()) return t;
    t.dispose();
    return tf.keep(tf.clone(s));
  }) as StateTree;
}

/** Frees every tensor of a run. */
export function disposeState(state: TrainState): void {
  for (const n of Object.values(state.networks)) n.dispose();
  for (const o of Object.values(state.optimizers)) o.dispose();
  for (const e of Object.values(state.ema)) e.dispose();
  for (const r of Object.values(state.replay)) r.dispose();
  for (const held of Object.values(state.terms)) tf.dispose(Object.values(held));
}
