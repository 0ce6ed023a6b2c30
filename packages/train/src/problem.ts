import type { Shape } from '@gankit/layers';
import type { NetworkDef } from '@gankit/models';
import type * as tf from '@tensorflow/tfjs-core';
import type { AugmentPolicy } from './augment.js';
import type { LrSchedule, OptimizerConfig } from './optim.js';

/**
 * The random stream a value or call draws from, by purpose name: one name for every group, or one per group (the
 * D and G updates of the standard problem draw `z-d` and `z-g`). Every draw is keyed by (seed, step, purpose,
 * update index), so a resumed run draws what an uninterrupted one would.
 */
export type Stream = string | Readonly<Record<string, string>>;

/** InfoGAN's codes appended to the noise: one-hot categorical codes, then continuous codes U(−1, 1). */
export interface LatentCodes {
  categorical: readonly number[];
  continuous: number;
}

/**
 * What an update computes, by name — the problem's data flow. Values are computed when a term first asks for them
 * and shared by every term of the update.
 */
export type ValueDef =
  /** A tensor of the batch (`x`, `labels`; `source`, `target`; `A`, `B` …). */
  | { kind: 'data'; key: string; optional?: boolean }
  /** N(0, 1) noise `[n, dim]`, with InfoGAN codes appended when `codes` is given (`dim` counts them). */
  | { kind: 'latent'; dim: number; codes?: LatentCodes; stream?: Stream }
  /** Uniform random class ids `[n]` (int32), the labels fakes are asked for. */
  | { kind: 'classes'; classes: number; stream?: Stream }
  /**
   * A network applied to a value (with class labels from another value). Its main output by default, or a head's
   * (`output`); a network of the group being updated is trained and keeps its new state, any other is frozen.
   */
  | { kind: 'apply'; network: string; input: string; labels?: string; output?: string; rng?: Stream }
  /**
   * A batch as a discriminator sees it: swapped with past fakes (`replay`, in updates of the groups that
   * `replayIn` names), packed (PacGAN), then instance noise and DiffAugment keyed by `prepare` — without
   * `prepare`, packing only.
   */
  | { kind: 'present'; input: string; replay?: boolean; prepare?: Stream }
  /** Tensors joined along an axis (default: the last, channels) — e.g. a (source, image) pair for pix2pix's D. */
  | { kind: 'concat'; inputs: readonly string[]; axis?: number }
  /**
   * Images `[n, h, w, c]` at `size`×`size` (progressive growing): average-pooled from `input`. With `fade`, while
   * the phase fades in (α < 1), blended as the new layers are: `lerp(upsample(downsample(x, 2)), x, α)`, so that the
   * reals D sees rise from the previous resolution to this one just as the fakes do.
   */
  | { kind: 'resize'; input: string; size: number; fade?: boolean };

/** A network of the problem: its definition and the optimiser group that trains it. */
export interface NetworkSlot {
  def: NetworkDef;
  group: string;
  /** Keep an exponential moving average of its weights (sampling uses it). */
  ema?: { decay: number; warmup?: boolean };
}

/** An optimiser group: the networks it trains share one optimiser and one update. */
export interface GroupDef {
  optimizer: OptimizerConfig;
  /** Each update draws a fresh batch (D), or reuses the iteration's last one (G). Default false. */
  draws?: boolean;
  /** Random inputs per update when it draws no batch (default: the problem's batch size). */
  batchSize?: number;
  /** Clip the group's gradients to this global norm. */
  clipGradNorm?: number;
  /** WGAN weight clipping of the group's networks after each update. */
  weightClip?: number;
  /** What the group is called in messages (e.g. `discriminator`; default: its name). */
  label?: string;
}

/** One entry of a schedule: `times` updates of `group`, in order (Algorithm 1: k of D, then one of G). */
export interface ScheduleEntry {
  group: string;
  times: number;
}

/**
 * A change of the problem during a run: from its first step on, the networks named here are replaced by grown
 * versions (parameters at the same paths carry over), terms or schedule may change, and a fade-in α rises from 0
 * to 1 over its first `fade` steps (networks read it as `ctx.alpha`).
 */
export interface PhaseDef {
  name: string;
  /** Iterations in this phase; the last phase may leave it out (it runs to the end). */
  steps?: number;
  networks?: Readonly<Record<string, NetworkDef>>;
  terms?: readonly LossTerm[];
  schedule?: readonly ScheduleEntry[];
  fade?: number;
  /** The batch's shapes in this phase (e.g. a higher resolution), for the shape check. */
  data?: Readonly<Record<string, Shape>>;
  /** Optimiser slots at the start of the phase: reset (ProGAN's code) or kept where the parameter is (default). */
  optimizers?: 'reset' | 'keep';
  /** Values redefined from this phase on (e.g. the reals at the phase's resolution). */
  values?: Readonly<Record<string, ValueDef>>;
}

/**
 * A GAN problem as data (after TF-GAN's GANModel → GANLoss → GANTrainOps): its networks and what each is fed, its
 * loss terms, its optimiser groups and the schedule of their updates, and optional phases.
 */
export interface GanProblem {
  name: string;
  networks: Readonly<Record<string, NetworkSlot>>;
  values: Readonly<Record<string, ValueDef>>;
  terms: readonly LossTerm[];
  groups: Readonly<Record<string, GroupDef>>;
  schedule: readonly ScheduleEntry[];
  /** One example's shape of each batch tensor (`{ x: [28, 28, 1], labels: [] }`): networks are checked against it. */
  data?: Readonly<Record<string, Shape>>;
  /** Real examples per drawing update (the data source's batch size). */
  batchSize: number;
  seed: number;
  /** PacGAN: discriminators see this many samples concatenated as one (`present` values). */
  pack?: number;
  replay?: { size: number; probability: number; in: readonly string[] };
  instanceNoise?: { initial: number; decaySteps: number };
  augment?: readonly AugmentPolicy[];
  lrSchedule?: LrSchedule;
  /**
   * Logged means of D outputs, by log name (`dReal`, `dFake`): σ(logit) for classifier losses, raw critic values
   * otherwise; from updates of the group `in` (default: any update that computed the value).
   */
  scores?: Readonly<Record<string, { value: string; sigmoid: boolean; in?: string }>>;
  phases?: readonly PhaseDef[];
  /** What `sample` runs: a network fed latents (and labels) — the EMA weights when it keeps an average. */
  sampler?: { network: string };
  /** The plain-data settings that decide the run: saved with checkpoints and compared on resume. */
  config?: unknown;
}

/** A batch of data by name: `{ x, labels }`, `{ source, target }`, `{ A, B }` … */
export type Batch = Readonly<Record<string, tf.Tensor | undefined>>;

/** InfoGAN codes a latent value was drawn with. */
export interface DrawnCodes {
  categorical: tf.Tensor1D[];
  continuous: tf.Tensor2D;
}

/** What a loss term sees of an update: the problem's values, computed on first use and shared by every term. */
export interface Forward {
  /** The group this update trains. */
  readonly group: string;
  /** The iteration (0-based) and the index of this update within it. */
  readonly step: number;
  readonly k: number;
  /** Updates of this group before this one (lazy terms count them). */
  readonly update: number;
  /** The fade-in α of the current phase, when it fades. */
  readonly alpha: number | undefined;
  /** A value's tensor (an applied network's main output). */
  value(name: string): tf.Tensor;
  /** A head of an applied network (AC-GAN's `classLogits`, InfoGAN's `q`). */
  output(name: string, head: string): tf.Tensor;
  /** The InfoGAN codes a latent value was drawn with. */
  codes(name: string): DrawnCodes;
  /** A network as a function of its input — its state as it was, inference mode — for gradient penalties. */
  critic(network: string, labels?: string): (x: tf.Tensor) => tf.Tensor;
  /** A random key for `purpose` in this update. */
  key(purpose: string): number;
  /** Rows of the update's random values (its latents). */
  readonly rows: number;
  /**
   * A style-based generator split at W, as this update applies it (training mode; the trained group's latest
   * state): the per-layer styles `[n, layers, dim]` it draws for `n` fresh latents of stream `purpose` (style mixing
   * included, w̄ left as it is), and its synthesis as a function of styles (noise of the same stream) — for
   * path-length regularisation. Refused for a network without a W space.
   */
  styles(
    network: string,
    n: number,
    purpose: string,
  ): { ws: tf.Tensor3D; synthesize: (ws: tf.Tensor) => tf.Tensor };
}

/**
 * A term's running values between updates (StyleGAN 2's path-length mean): read with `get`; `set` hands the value
 * after this update, kept only when the update is applied (a skipped, non-finite update leaves it as it was).
 */
export interface TermState {
  get(key: string): tf.Tensor;
  set(key: string, value: tf.Tensor): void;
}

/**
 * One loss term: a small function of an update's forward results, with the name it is logged by, its weight and
 * the optimiser group it trains. A group's loss is the weighted sum of its terms, in order.
 *
 * @example
 * // pix2pix's L1 term: G's output against the target, weight 100
 * const l1Term: LossTerm = {
 *   name: 'l1', group: 'G', weight: 100, uses: { values: ['fake', 'target'] },
 *   compute: (f) => tf.mean(tf.abs(tf.sub(f.value('fake'), f.value('target')))),
 * };
 */
export interface LossTerm {
  name: string;
  group: string;
  /** Default 1. */
  weight?: number;
  /**
   * Lazy regularisation (StyleGAN2): computed only on every `every`-th update of its group, with its weight
   * multiplied by `every` so that its average pull is unchanged.
   */
  every?: number;
  /** The values and networks it reads — checked against the problem before any tensor is made. */
  uses: { values?: readonly string[]; networks?: readonly string[] };
  /**
   * Running values the term keeps between updates, by key, with their initial values — saved in checkpoints (under
   * `terms/<name>/`) so that a resumed run continues them exactly. A term with state needs a name of its own.
   */
  state?: Readonly<Record<string, () => tf.Tensor>>;
  /** The term's value (unweighted; the log shows it so); `state` holds its running values, when it keeps any. */
  compute(f: Forward, state: TermState): tf.Scalar;
}
