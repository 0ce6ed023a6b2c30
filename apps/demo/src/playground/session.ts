/**
 * One training run of the playground: the trainer of @gankit/train on a toy distribution, single D or G updates
 * for the step buttons, and snapshots of what the view draws — every tensor read asynchronously, in one read.
 */
import { discardState, replaceState, type StateTree } from '@gankit/layers';
import { adversarialLoss, type GanLoss, gradientPenalty } from '@gankit/losses';
import { type GanDef, ganFromSpec } from '@gankit/models';
import {
  createTrainer,
  type DataSource,
  keyFor,
  type StepLogs,
  type Trainer,
  toySource,
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
  private readonly manual = { d: 0, g: 0 };
  private disposed = false;

  constructor(config: PlaygroundConfig, sizes: SnapshotSizes = DEFAULT_SIZES) {
    this.config = config;
    this.sizes = sizes;
    this.data = makeData(config);
    const train = toTrainConfig(config);
    this.gan = ganFromSpec(toModelSpec(config));
    this.loss = adversarialLoss(train.loss);
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
    return { iterations: c.step, dUpdates: c.dUpdates + this.manual.d, gUpdates: c.gUpdates + this.manual.g };
  }

  /** One iteration: the trainer's step (k D updates, then one G update), its logs read asynchronously. */
  step(): Promise<StepLogs> {
    this.alive();
    return this.trainer.step(this.source);
  }

  /**
   * A single D update with G frozen — what the trainer does for each of its k D updates (the loss, WGAN-GP's
   * penalty, the divergence guard), on the trainer's own networks and optimiser, so play resumes from it.
   */
  async stepDiscriminator(): Promise<UpdateLogs> {
    this.alive();
    const { G, D, dOpt, config } = this.trainer;
    const n = this.manual.d + this.manual.g;
    const key = (purpose: string) => keyFor(config.seed, n, `manual-${purpose}`);
    const real = this.source.next().x;
    const batch = real.shape[0]!;
    const fake = tf.tidy(() => {
      const z = tf.randomNormal([batch, this.gan.latentDim], 0, 1, 'float32', key('z-d'));
      const r = G.apply(G.params, G.state, z, { training: true, rng: key('g-rng-d') });
      discardState(G.state, r.state);
      return r.out.images!;
    });
    let mid = D.state;
    let next = D.state;
    const gp = config.penalties?.gradientPenalty;
    const { value, grads } = tf.variableGrads(() => {
      const r = D.apply(D.params, D.state, real, { training: true, rng: key('d-rng-real') });
      const f = D.apply(D.params, r.state, fake, { training: true, rng: key('d-rng-fake') });
      mid = r.state;
      next = f.state;
      let total: tf.Tensor = this.loss.discriminator(r.out.logits!, f.out.logits!);
      if (gp) {
        const critic = (x: tf.Tensor) => D.apply(D.params, D.state, x, { training: false }).out.logits!;
        total = tf.add(total, gradientPenalty(critic, real, fake, { ...gp, seed: key('gp') }));
      }
      return total as tf.Scalar;
    }, D.variables());
    const vars = D.variables();
    const gradList = vars.map((v) => grads[v.name]!);
    const ok = allFinite([value, ...gradList]);
    dOpt.apply(vars, gradList, config.optimizers.discriminator.learningRate, ok);
    D.state = replaceState(replaceState(D.state, mid), next);
    tf.dispose([real, fake, ...Object.values(grads)]);
    this.manual.d++;
    return readUpdate(value, ok);
  }

  /** A single G update with D frozen, as in the trainer's G step. */
  async stepGenerator(): Promise<UpdateLogs> {
    this.alive();
    const { G, D, gOpt, config } = this.trainer;
    const n = this.manual.d + this.manual.g;
    const key = (purpose: string) => keyFor(config.seed, n, `manual-${purpose}`);
    const batch = config.generatorBatchSize ?? config.batchSize;
    const z = tf.randomNormal([batch, this.gan.latentDim], 0, 1, 'float32', key('z-g'));
    let next = G.state;
    const discarded: StateTree[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const g = G.apply(G.params, G.state, z, { training: true, rng: key('g-rng') });
      next = g.state;
      const f = D.apply(D.params, D.state, g.out.images!, { training: true, rng: key('d-rng-g') });
      discarded.push(f.state);
      return this.loss.generator(f.out.logits!);
    }, G.variables());
    const vars = G.variables();
    const gradList = vars.map((v) => grads[v.name]!);
    const ok = allFinite([value, ...gradList]);
    gOpt.apply(vars, gradList, config.optimizers.generator.learningRate, ok);
    G.state = replaceState(G.state, next);
    for (const s of discarded) discardState(D.state, s);
    tf.dispose([z, ...Object.values(grads)]);
    this.manual.g++;
    return readUpdate(value, ok);
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

function allFinite(tensors: tf.Tensor[]): tf.Scalar {
  return tf.tidy(
    () => tensors.map((t) => tf.all(tf.isFinite(t))).reduce((a, b) => tf.logicalAnd(a, b)) as tf.Scalar,
  );
}

async function readUpdate(value: tf.Scalar, ok: tf.Scalar): Promise<UpdateLogs> {
  try {
    const [loss, finite] = await Promise.all([value.data(), ok.data()]);
    return { loss: Number(loss[0]), finite: finite[0] === 1 };
  } finally {
    tf.dispose([value, ok]);
  }
}
