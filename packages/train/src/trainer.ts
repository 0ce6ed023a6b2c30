import { requireGradients } from '@gankit/losses';
import { type GanDef, latentBatch, type Network } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { type PartialTrainConfig, resolveConfig, type TrainConfig, validateConfig } from './config.js';
import type { Ema } from './ema.js';
import type { Batch } from './forward.js';
import { atDataSize } from './growth.js';
import type { Optimizer } from './optim.js';
import type { GanProblem } from './problem.js';
import type { ReplayPool } from './replay.js';
import { ganProblem } from './standard.js';
import { alphaAt, createState, disposeState, phaseAtStep, problemAt, type TrainState } from './state.js';
import { type DataSource, type StepLogs, trainStep } from './step.js';
import { type UpdateOptions, updateGroup } from './update.js';

/** A run of any problem: its state record, the schedule as `step`, single updates, sampling. */
export interface ProblemTrainer {
  readonly problem: GanProblem;
  readonly state: TrainState;
  /** One iteration of the schedule. */
  step(data: DataSource): Promise<StepLogs>;
  /** One update of one group, outside the schedule (its own random streams): its loss and whether it was applied. */
  update(group: string, batch: Batch, options?: UpdateOptions): Promise<UpdateLogs>;
  /** Runs a network in inference mode — its EMA weights when it keeps an average. */
  predict(network: string, x: tf.Tensor, labels?: tf.Tensor1D): tf.Tensor;
  dispose(): void;
}

/** The outcome of one single update. */
export interface UpdateLogs {
  loss: number;
  /** False when the loss or a gradient was NaN/Inf: the update was then not applied (as in the step). */
  finite: boolean;
  terms: Record<string, number>;
}

/**
 * One D update outside the schedule (the demo's step buttons): a fresh batch, G frozen, and everything the step
 * does in a D update — loss, penalties, clipping, the divergence guard, the learning-rate schedule.
 */
export async function updateD(
  trainer: ProblemTrainer,
  data: DataSource,
  options?: UpdateOptions,
): Promise<UpdateLogs> {
  const batch = data.next();
  try {
    return await trainer.update('D', batch, options);
  } finally {
    tf.dispose(Object.values(batch).filter((t): t is tf.Tensor => t != null));
  }
}

/**
 * One G update outside the schedule, D frozen. A relativistic loss compares with reals: pass `data` for a batch.
 */
export async function updateG(
  trainer: ProblemTrainer,
  data?: DataSource,
  options?: UpdateOptions,
): Promise<UpdateLogs> {
  const batch = data?.next() ?? {};
  try {
    return await trainer.update('G', batch, options);
  } finally {
    tf.dispose(Object.values(batch).filter((t): t is tf.Tensor => t != null));
  }
}

/** A trainer of the GAN families we ship (one G, one D): the problem {@link ganProblem} builds from a config. */
export interface Trainer extends ProblemTrainer {
  readonly config: TrainConfig;
  readonly gan: GanDef;
  readonly G: Network;
  readonly D: Network;
  readonly gOpt: Optimizer;
  readonly dOpt: Optimizer;
  readonly ema: Ema | undefined;
  readonly replay: ReplayPool | undefined;
  /** Completed iterations, D updates and G updates (a snapshot). */
  readonly counters: { step: number; dUpdates: number; gUpdates: number };
  /**
   * Samples from the EMA generator when there is one (else G), for given `z` and labels — at the data's size (a
   * generator still growing is upsampled).
   */
  sample(z: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor;
  /**
   * `n` images `[n, height, width, channels]` in the model's range from `seed` (classes cycling 0…k−1, or `label`;
   * `truncation` redraws noise beyond ±T) — the EMA generator when there is one.
   */
  generate(n: number, options?: SampleOptions): tf.Tensor4D;
  /** `n` points `[n, dim]` of a toy-data GAN, as {@link Trainer.generate}. */
  generatePoints(n: number, options?: SampleOptions): tf.Tensor2D;
}

export interface SampleOptions {
  seed?: number;
  label?: number;
  truncation?: number;
}

/**
 * Trains any {@link GanProblem}: builds its networks, optimisers and stabilisers from its seed (after checking the
 * definition) and runs its schedule.
 */
export function trainProblem(problem: GanProblem): ProblemTrainer {
  requireGradients();
  const state = createState(problem);
  return {
    problem,
    state,
    step: (data) => trainStep(state, data),
    async update(group, batch, options = {}) {
      // its own random streams (not the schedule's): a prefix, and the group's update count as the index
      const r = updateGroup(state, group, batch, {
        prefix: 'single-',
        k: state.counters.updates[group] ?? 0,
        ...options,
      });
      const names = [...r.logged.keys()];
      const [loss, ok, ...rest] = await Promise.all([
        r.loss.data(),
        r.ok.data(),
        ...[...r.logged.values()].map((t) => t.data()),
      ]);
      tf.dispose([r.loss, r.ok, ...r.logged.values()]);
      const terms: Record<string, number> = {};
      for (const t of problemAt(problem, state.phase).terms)
        if (t.group === group && names.includes(t.name))
          terms[t.name] = Number(rest[names.indexOf(t.name)]![0]);
      return { loss: Number(loss[0]), finite: ok[0] === 1, terms };
    },
    predict(network, x, labels) {
      const net = state.networks[network];
      if (net == null) throw new Error(`no network '${network}' in problem ${problem.name}`);
      // a network fading in is run as the last step ran it: at that step's α
      const alpha = state.counters.step > 0 ? alphaAt(problem, state.counters.step - 1) : undefined;
      const faded = alpha != null && state.phase === phaseAtStep(problem, state.counters.step - 1);
      return tf.tidy(() => {
        const params = state.ema[network]?.params ?? net.params;
        return net.apply(params, net.state, x, {
          training: false,
          labels,
          rng: 0,
          ...(faded ? { alpha } : {}),
        }).out[net.def.main]!;
      });
    },
    dispose: () => disposeState(state),
  };
}

/**
 * Builds G, D, their optimisers and the stabilisers for `gan` from `config` (missing parts from
 * {@link DEFAULT_CONFIG}: Adam 2e-4, β₁ 0.5, one D step per G step).
 *
 * @example
 * await useBackend(); // @gankit/backends: registers the gradients training needs
 * const trainer = createTrainer(dcgan({ imageSize: 28 }), { batchSize: 64, loss: 'non-saturating' });
 * const logs = await trainer.step(imageSource(batcher)); // k D updates, then one G update
 */
export function createTrainer(gan: GanDef, partial: PartialTrainConfig = {}): Trainer {
  const config = resolveConfig(partial);
  validateConfig(config, gan);
  const problem = ganProblem(gan, config);
  const base = trainProblem(problem);
  const { state } = base;
  if (
    config.penalties?.gradientPenalty &&
    state.networks.D!.rows.some((r) => r.kind === 'BatchNormalization')
  ) {
    base.dispose();
    throw new Error(
      'a gradient penalty is per example; batch norm in D mixes examples — use a critic without batch norm (e.g. wgan())',
    );
  }
  return {
    ...base,
    config,
    gan,
    get G() {
      return state.networks.G!;
    },
    get D() {
      return state.networks.D!;
    },
    get gOpt() {
      return state.optimizers.G!;
    },
    get dOpt() {
      return state.optimizers.D!;
    },
    get ema() {
      return state.ema.G;
    },
    get replay() {
      return state.replay.fake;
    },
    get counters() {
      return {
        step: state.counters.step,
        dUpdates: state.counters.updates.D!,
        gUpdates: state.counters.updates.G!,
      };
    },
    sample: (z, labels) => tf.tidy(() => atDataSize(base.predict('G', z, labels), gan)),
    generate: (n, options = {}) => draw(gan, base, n, options, 4) as tf.Tensor4D,
    generatePoints: (n, options = {}) => draw(gan, base, n, options, 2) as tf.Tensor2D,
  };
}

function draw(
  gan: GanDef,
  trainer: ProblemTrainer,
  n: number,
  options: SampleOptions,
  rank: 2 | 4,
): tf.Tensor {
  const kind = gan.dataShape.length === 3 ? 4 : 2;
  if (kind !== rank)
    throw new Error(
      `${gan.architecture} makes ${kind === 4 ? 'images' : 'points'}: use ${kind === 4 ? 'generate' : 'generatePoints'}()`,
    );
  const { z, labels } = latentBatch(gan, n, options.seed ?? 0, options);
  try {
    return tf.tidy(() => atDataSize(trainer.predict('G', z, labels), gan));
  } finally {
    tf.dispose([z, ...(labels ? [labels] : [])]);
  }
}
