import * as tf from '@tensorflow/tfjs-core';
import { parseWithSchema } from './config-problems.js';
import { optimizerSchema } from './config-schema.js';

/**
 * Optimisers with explicit state. tfjs's optimisers keep their slots inside objects keyed by variable names, which
 * makes exact checkpoints and resumes awkward; these keep every slot as a named tensor the checkpoint saves and
 * restores bit for bit, and apply the update only where it is finite (the divergence guard's mask).
 */
export interface OptimizerConfig {
  kind: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  /** Adam β₁ (0.5 for GANs, after DCGAN) and β₂. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** SGD momentum; RMSprop decay ρ. */
  momentum?: number;
  rho?: number;
}

export interface Optimizer {
  config: OptimizerConfig;
  /** Updates taken so far. */
  iterations: number;
  /** Slots by name (`m/<variable>`, `v/<variable>`…), for checkpoints. */
  slots: Map<string, tf.Tensor>;
  /**
   * Applies gradients to `vars` with learning rate `lr`; where `ok` is false (a non-finite loss or gradient) nothing
   * changes — neither the variables nor the slots.
   */
  apply(vars: tf.Variable[], grads: tf.Tensor[], lr: number, ok: tf.Scalar): void;
  dispose(): void;
}

/** One optimiser's rule: the slots it keeps per variable, and one update of a variable from its gradient. */
interface Rule {
  slots: readonly string[];
  /** The update to subtract and the slots' new values, from the gradient, the slots, the rate and the step t ≥ 1. */
  step(
    g: tf.Tensor,
    slots: Record<string, tf.Tensor>,
    lr: number,
    t: number,
  ): {
    update: tf.Tensor;
    slots: Record<string, tf.Tensor>;
  };
}

type Settings = Required<Omit<OptimizerConfig, 'kind' | 'learningRate'>>;

/** The optimisers by kind: Adam (Kingma & Ba 2015), SGD with or without momentum, RMSprop. */
const RULES: Record<OptimizerConfig['kind'], (c: Settings) => Rule> = {
  adam: ({ beta1, beta2, epsilon }) => ({
    slots: ['m', 'v'],
    step(g, s, lr, t) {
      const m = tf.add(tf.mul(s.m!, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(s.v!, beta2), tf.mul(tf.square(g), 1 - beta2));
      const stepSize = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      return { update: tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize), slots: { m, v } };
    },
  }),
  rmsprop: ({ rho, epsilon }) => ({
    slots: ['ms'],
    step(g, s, lr) {
      const ms = tf.add(tf.mul(s.ms!, rho), tf.mul(tf.square(g), 1 - rho));
      return { update: tf.mul(tf.div(g, tf.sqrt(tf.add(ms, epsilon))), lr), slots: { ms } };
    },
  }),
  sgd: ({ momentum }) =>
    momentum > 0
      ? {
          slots: ['velocity'],
          step(g, s, lr) {
            const velocity = tf.add(tf.mul(s.velocity!, momentum), g);
            return { update: tf.mul(velocity, lr), slots: { velocity } };
          },
        }
      : { slots: [], step: (g, _s, lr) => ({ update: tf.mul(g, lr), slots: {} }) },
};

/** Checks an optimiser's config with the schema of `TrainConfig`'s optimisers (a `ConfigError` names each problem). */
export function validateOptimizer(c: OptimizerConfig, where: string): void {
  parseWithSchema(optimizerSchema, c, where);
}

/**
 * Creates an optimiser for `vars`; `slotKeys[i]` names variable i's slots stably (its path in the parameter tree).
 * Slots exist from the start, so a checkpoint taken before any update has the same layout as a later one.
 */
export function createOptimizer(config: OptimizerConfig, vars: tf.Variable[], slotKeys: string[]): Optimizer {
  validateOptimizer(config, 'optimizer');
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, momentum = 0, rho = 0.9 } = config;
  const rule = RULES[config.kind]({ beta1, beta2, epsilon, momentum, rho });
  const slots = new Map<string, tf.Tensor>();
  const slot = (name: string, like: tf.Tensor) => {
    let s = slots.get(name);
    if (s == null) {
      s = tf.keep(tf.zerosLike(like));
      slots.set(name, s);
    }
    return s;
  };
  const set = (name: string, value: tf.Tensor) => {
    const old = slots.get(name);
    slots.set(name, tf.keep(value));
    old?.dispose();
  };
  vars.forEach((v, i) => {
    for (const n of rule.slots) slot(`${n}/${slotKeys[i]}`, v);
  });
  const opt: Optimizer = {
    config,
    iterations: 0,
    slots,
    apply(vars, grads, lr, ok) {
      if (vars.length !== slotKeys.length)
        throw new Error(`optimizer: built for ${slotKeys.length} variables, given ${vars.length}`);
      const t = opt.iterations + 1;
      tf.tidy(() => {
        vars.forEach((v, i) => {
          const key = slotKeys[i]!;
          const current = Object.fromEntries(rule.slots.map((n) => [n, slot(`${n}/${key}`, v)]));
          const r = rule.step(grads[i]!, current, lr, t);
          // where the loss or a gradient was not finite, nothing changes: neither the slots nor the variable
          for (const n of rule.slots) set(`${n}/${key}`, tf.where(ok, r.slots[n]!, current[n]!));
          v.assign(tf.where(ok, tf.sub(v, r.update), v));
        });
      });
      opt.iterations = t;
    },
    dispose() {
      for (const s of slots.values()) s.dispose();
      slots.clear();
    },
  };
  return opt;
}

/** Learning rate at `step`: constant, or linear decay from the base rate to `final` (default 0) at `totalSteps`. */
/**
 * The learning rate over a run: constant, or linear from the base rate at step `start` (default 0) to `final`
 * (default 0) at `totalSteps` — CycleGAN keeps the rate for the first half and decays it to 0 over the second.
 */
export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'linear'; totalSteps: number; final?: number; start?: number };

export function learningRateAt(base: number, schedule: LrSchedule | undefined, step: number): number {
  if (schedule == null || schedule.kind === 'constant') return base;
  const final = schedule.final ?? 0;
  const start = schedule.start ?? 0;
  const f = Math.min(1, Math.max(0, (step - start) / Math.max(1, schedule.totalSteps - start)));
  return base + (final - base) * f;
}

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm` (Pascanu et al. 2013). Returns the scaled
 * gradients and the norm before clipping (a tensor, read only with the logs).
 */
export function clipByGlobalNorm(
  grads: tf.Tensor[],
  maxNorm: number | undefined,
): { grads: tf.Tensor[]; norm: tf.Scalar } {
  const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
  if (maxNorm == null) return { grads, norm };
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  return { grads: grads.map((g) => tf.mul(g, scale)), norm };
}
