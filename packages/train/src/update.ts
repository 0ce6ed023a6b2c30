import { clipWeights } from '@gankit/losses';
import * as tf from '@tensorflow/tfjs-core';
import { type Batch, UpdateForward } from './forward.js';
import { clipByGlobalNorm, learningRateAt } from './optim.js';
import type { TermState } from './problem.js';
import { alphaAt, groupNetworks, groupVariables, problemAt, type TrainState } from './state.js';

/** Tensors an update keeps for the logs, by name (read once per step, asynchronously). */
export type Logged = Map<string, tf.Tensor>;

export interface UpdateOptions {
  /** The iteration whose random streams the update draws from (default: the run's current one). */
  step?: number;
  /** The update's index within the iteration (default 0). */
  k?: number;
  /** Prefix of its random purposes, so that updates outside the schedule draw their own numbers. */
  prefix?: string;
  /** Rows of its random inputs (default: the batch's rows when it has one, else the group's batch size). */
  n?: number;
}

export interface UpdateResult {
  /** The group's total loss. */
  loss: tf.Scalar;
  /** False when the loss or a gradient was NaN/Inf: the update was then not applied. */
  ok: tf.Scalar;
  /** Every term by name, the group's gradient norm (`gradNorm<group>`), whether its parameters are finite
   * (`paramsOk<group>`), and the problem's scores. */
  logged: Logged;
  learningRate: number;
}

// Finite iff the sum of every element is: a NaN or ±Inf anywhere makes the sum NaN or ±Inf. (A sum of finite values
// that overflows float32, beyond ~3e38, also reads as non-finite: such weights are broken anyway.)
const allFinite = (tensors: tf.Tensor[]) =>
  tf.tidy(
    () =>
      tf.isFinite(
        tensors.length === 1 ? tf.sum(tensors[0]!) : tf.addN(tensors.map((t) => tf.sum(t))),
      ) as tf.Scalar,
  );

/** A term's view of its running values; what it sets waits in `pending` until the update is applied or skipped. */
function termState(
  state: TrainState,
  name: string,
  pending: { held: Record<string, tf.Tensor>; key: string; next: tf.Tensor }[],
): TermState {
  const held = state.terms[name];
  const missing = (key: string) =>
    new Error(`term '${name}' keeps no state '${key}' (declare it in the term's \`state\`)`);
  return {
    get(key) {
      const t = held?.[key];
      if (t == null) throw missing(key);
      return t;
    },
    set(key, next) {
      if (held?.[key] == null) throw missing(key);
      const earlier = pending.findIndex((p) => p.held === held && p.key === key);
      if (earlier >= 0) pending.splice(earlier, 1)[0]!.next.dispose();
      // a copy of its own: the term may hand back the stored value itself, or a tensor it goes on using
      pending.push({ held, key, next: tf.keep(tf.clone(next)) });
    },
  };
}

/**
 * One update of one optimiser group: its terms on the problem's values (networks of other groups frozen), the
 * gradient of their weighted sum w.r.t. the group's variables, clipping, the divergence guard (a non-finite loss or
 * gradient changes nothing), the optimiser step, weight clipping, the new network state, the EMA.
 */
export function updateGroup(
  state: TrainState,
  group: string,
  batch: Batch,
  options: UpdateOptions = {},
): UpdateResult {
  const problem = problemAt(state.problem, state.phase);
  const def = problem.groups[group];
  if (def == null)
    throw new Error(
      `no group '${group}' in problem ${problem.name} (groups: ${Object.keys(problem.groups).join(', ')})`,
    );
  const step = options.step ?? state.counters.step;
  const update = state.counters.updates[group] ?? 0;
  const rows = (batch.x ?? Object.values(batch).find((t) => t != null))?.shape[0];
  const n = options.n ?? (def.draws && rows != null ? rows : (def.batchSize ?? problem.batchSize));
  const forward = new UpdateForward({
    problem,
    networks: state.networks,
    replay: state.replay,
    group,
    step,
    k: options.k ?? 0,
    update,
    alpha: alphaAt(problem, step),
    batch,
    n,
    prefix: options.prefix,
  });
  const terms = problem.terms.filter((t) => t.group === group && (t.every == null || update % t.every === 0));
  if (terms.length === 0) throw new Error(`problem ${problem.name}: no term trains group '${group}'`);
  const logged: Logged = new Map();
  const put = (name: string, t: tf.Tensor) => {
    logged.get(name)?.dispose();
    logged.set(name, tf.keep(t));
  };
  const { vars } = groupVariables(state, group);
  const pending: { held: Record<string, tf.Tensor>; key: string; next: tf.Tensor }[] = [];
  let computed: ReturnType<typeof tf.variableGrads>;
  try {
    computed = tf.variableGrads(() => {
      let total: tf.Tensor | undefined;
      for (const term of terms) {
        const v = term.compute(forward, termState(state, term.name, pending));
        put(term.name, tf.clone(v));
        const w = (term.weight ?? 1) * (term.every ?? 1);
        const weighted = w === 1 ? v : tf.mul(v, w);
        total = total == null ? weighted : tf.add(total, weighted);
      }
      for (const [name, s] of Object.entries(problem.scores ?? {}))
        if ((s.in ?? group) === group && forward.has(s.value)) {
          const out = forward.value(s.value);
          put(name, tf.mean(s.sigmoid ? tf.sigmoid(out) : out));
        }
      return total as tf.Scalar;
    }, vars);
  } catch (err) {
    // a term or a gradient failed: the running values it set are let go, the stored ones stay
    tf.dispose(pending.map((p) => p.next));
    throw err;
  }
  const { value, grads } = computed;
  // a variable no term reaches has no gradient: it gets zeros (and so stays where it is, up to momentum)
  const gradList = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  const { grads: clipped, ok } = tf.tidy(() => {
    const c = clipByGlobalNorm(gradList, def.clipGradNorm);
    put(`gradNorm${group}`, c.norm);
    // the global norm is finite iff every gradient is (a NaN/Inf anywhere reaches the sum of squares)
    return { grads: c.grads, ok: tf.logicalAnd(tf.isFinite(value), tf.isFinite(c.norm)) as tf.Scalar };
  });
  const learningRate = learningRateAt(def.optimizer.learningRate, problem.lrSchedule, step);
  state.optimizers[group]!.apply(vars, clipped, learningRate, ok);
  // a term's running values move only with an applied update
  for (const { held, key, next } of pending) {
    const kept = tf.keep(tf.where(ok, next, held[key]!));
    tf.dispose([held[key]!, next]);
    held[key] = kept;
  }
  put(`paramsOk${group}`, allFinite(vars)); // finite gradients can still overflow a weight
  if (def.weightClip != null) clipWeights(vars, def.weightClip);
  forward.finish();
  for (const name of groupNetworks(problem, group))
    state.ema[name]?.update(state.networks[name]!.params, update);
  tf.dispose([...new Set([...Object.values(grads), ...gradList, ...clipped])]);
  state.counters.updates[group] = update + 1;
  return { loss: value, ok, logged, learningRate };
}
