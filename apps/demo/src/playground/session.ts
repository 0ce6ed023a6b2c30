/**
 * One training run of the playground: the trainer of @gankit/train on a toy distribution, single D or G updates
 * for the step buttons, and snapshots of what the view draws — every tensor read asynchronously, in one read.
 */
import type { GanLoss } from '@gankit/losses';
import { type GanDef, ganFromSpec } from '@gankit/models';
import {
  createTrainer,
  type DataSource,
  lossOf,
  type StepLogs,
  type Trainer,
  toySource,
  updateD,
  updateG,
} from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import { type PlaygroundConfig, toModelSpec, toTrainConfig } from './config.js';
import { makeData, type PlaygroundData } from './distributions.js';
import { heatmapGrid, latentGrid } from './geometry.js';

/** How much a snapshot computes: cells of D's heatmap per side, latent grid lines, fakes, arrows. */
export interface SnapshotSizes {
  heatmap: number;
  manifold: number;
  fakes: number;
  arrows: number;
  /** Real samples drawn once per session on the CPU, for the view and the histograms. */
  reals: number;
}

export const DEFAULT_SIZES: SnapshotSizes = {
  heatmap: 48,
  manifold: 21,
  fakes: 1024,
  arrows: 256,
  reals: 4096,
};

export interface Counters {
  /** Completed iterations of Algorithm 1 (k D updates and one G update) — the trainer's step. */
  iterations: number;
  /** D updates and G updates, including single ones from the step buttons. */
  dUpdates: number;
  gUpdates: number;
}

/** What the view draws, read back from the backend in one asynchronous read. */
export interface Snapshot {
  counters: Counters;
  /** G(z) for the session's fixed z: `[fakes, 2]` row-major. */
  fakes: Float32Array;
  /** G over the latent grid: `[manifold², 2]`, point (i, j) at i·manifold + j. */
  manifold: Float32Array;
  /** D's raw outputs on the heatmap grid, row-major from the top-left cell. */
  heat: Float32Array;
  /** What D's outputs are: logits (probabilities after σ) or critic values. */
  outputs: 'logits' | 'critic';
  /** −∂L_G/∂x at the first `arrows` fakes: the direction D's gradient pushes each of them. */
  pushes: Float32Array;
  sizes: SnapshotSizes;
  /** Time from starting the computation to having the values (ms). */
  readMs: number;
}

/** The outcome of one single update from the step buttons. */
export interface UpdateLogs {
  loss: number;
  /** False when the loss or a gradient was NaN/Inf: the update was then not applied (as in the trainer). */
  finite: boolean;
}

export class PlaygroundSession {
  readonly config: PlaygroundConfig;
  readonly data: PlaygroundData;
  readonly gan: GanDef;
  readonly trainer: Trainer;
  readonly loss: GanLoss;
  readonly sizes: SnapshotSizes;
  /** Real samples for the view and the metrics, `[reals, 2]`. */
  readonly reals: Float32Array;
  private readonly source: DataSource;
  private readonly grid: tf.Tensor2D;
  private readonly latent: tf.Tensor2D;
  private disposed = false;

  constructor(config: PlaygroundConfig, sizes: SnapshotSizes = DEFAULT_SIZES) {
    this.config = config;
    this.sizes = sizes;
    this.data = makeData(config);
    const train = toTrainConfig(config);
    this.gan = ganFromSpec(toModelSpec(config));
    this.loss = lossOf(train);
    this.trainer = createTrainer(this.gan, train);
    this.source = toySource(this.data.distribution, config.batchSize, config.seed);
    this.reals = this.data.distribution.sample(sizes.reals, config.seed + 7919);
    this.grid = tf.tensor2d(heatmapGrid(this.data.extent, sizes.heatmap), [sizes.heatmap ** 2, 2]);
    // fixed z: the fakes move only because G learns (the same points from one snapshot to the next)
    const noise = tf.randomNormal([sizes.fakes, this.gan.latentDim], 0, 1, 'float32', config.seed + 104729);
    const lattice = tf.tensor2d(latentGrid(sizes.manifold), [sizes.manifold ** 2, 2]);
    this.latent = tf.concat([noise, lattice], 0) as tf.Tensor2D;
    tf.dispose([noise, lattice]);
  }

  get counters(): Counters {
    const c = this.trainer.counters;
    return { iterations: c.step, dUpdates: c.dUpdates, gUpdates: c.gUpdates };
  }

  /** One iteration: the trainer's step (k D updates, then one G update), its logs read asynchronously. */
  step(): Promise<StepLogs> {
    this.alive();
    return this.trainer.step(this.source);
  }

  /**
   * A single D update with G frozen — the trainer's own (@gankit/train's `updateD`: loss, penalties, clipping,
   * learning-rate schedule, divergence guard) on its networks and optimiser, so play resumes from it.
   */
  async stepDiscriminator(): Promise<UpdateLogs> {
    this.alive();
    const r = await updateD(this.trainer, this.source);
    return { loss: r.loss, finite: r.finite };
  }

  /** A single G update with D frozen (`updateG`); a relativistic loss draws the reals it compares with. */
  async stepGenerator(): Promise<UpdateLogs> {
    this.alive();
    const r = await updateG(this.trainer, this.loss.needsRealForGenerator ? this.source : undefined);
    return { loss: r.loss, finite: r.finite };
  }

  /**
   * Everything the view draws: the fakes and the manifold (one pass of G), D on the heatmap grid, and
   * −∂L_G/∂x at the first fakes — packed into one tensor so that the backend is read once, asynchronously.
   */
  async snapshot(): Promise<Snapshot> {
    this.alive();
    const start = performance.now();
    const counters = this.counters;
    const { D } = this.trainer;
    const { fakes, arrows, manifold, heatmap } = this.sizes;
    const packed = tf.tidy(() => {
      const critic = (x: tf.Tensor) => D.apply(D.params, D.state, x, { training: false }).out.logits!;
      const generated = this.trainer.sample(this.latent);
      const heat = critic(this.grid);
      const toPush = tf.slice(generated, [0, 0], [Math.min(arrows, fakes), 2]);
      const gradient = tf.grad((x: tf.Tensor) => this.loss.generator(critic(x)))(toPush);
      return tf.concat([
        tf.reshape(generated, [-1]),
        tf.reshape(heat, [-1]),
        tf.reshape(tf.neg(gradient), [-1]),
      ]);
    });
    let values: Float32Array;
    try {
      values = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    const nArrows = Math.min(arrows, fakes);
    let at = 0;
    const take = (n: number) => {
      const part = values.subarray(at, at + n);
      at += n;
      return part;
    };
    return {
      counters,
      fakes: take(fakes * 2),
      manifold: take(manifold * manifold * 2),
      heat: take(heatmap * heatmap),
      pushes: take(nArrows * 2),
      outputs: this.loss.outputs,
      sizes: this.sizes,
      readMs: performance.now() - start,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.trainer.dispose();
    tf.dispose([this.grid, this.latent]);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private alive(): void {
    if (this.disposed) throw new Error('this playground session was reset: start a new one');
  }
}
