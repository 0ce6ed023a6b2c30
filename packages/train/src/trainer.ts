import { discardState, flattenTree, type ParamTree, replaceState, type StateTree } from '@gankit/layers';
import {
  type AdversarialLossName,
  adversarialLoss,
  auxiliaryClassifierLoss,
  clipWeights,
  type GanLoss,
  gradientPenalty,
  infoGanLoss,
  instanceNoise,
  instanceNoiseSigma,
  minimax,
  nonSaturating,
  r1Penalty,
} from '@gankit/losses';
import { type GanDef, instantiate, type Network, splitInfoganQ } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { type AugmentPolicy, diffAugment } from './augment.js';
import { Ema } from './ema.js';
import {
  clipByGlobalNorm,
  createOptimizer,
  type LrSchedule,
  learningRateAt,
  type Optimizer,
  type OptimizerConfig,
  validateOptimizer,
} from './optim.js';
import { keyFor } from './random.js';
import { ReplayPool } from './replay.js';

/** Everything that decides a run, as plain data (it is saved with every checkpoint and compared on resume). */
export interface TrainConfig {
  seed: number;
  /** Real and fake examples per discriminator update. */
  batchSize: number;
  /** Latents per generator update (default: batchSize). The seed-002 GAN: D 128 + 128, G 256. */
  generatorBatchSize?: number;
  loss: AdversarialLossName;
  /** One-sided label smoothing of real targets for the minimax/non-saturating losses (e.g. 0.9). */
  realLabel?: number;
  /** Algorithm 1's k: discriminator updates per iteration, and generator updates per iteration. */
  schedule: { dSteps: number; gSteps: number };
  optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig };
  lrSchedule?: LrSchedule;
  penalties?: { gradientPenalty?: { weight: number; oneSided?: boolean }; r1?: { gamma: number } };
  /** Clip each network's gradients to this global norm. */
  clipGradNorm?: { generator?: number; discriminator?: number };
  /** WGAN weight clipping of D after each update. */
  weightClip?: number;
  ema?: { decay: number; warmup?: boolean };
  replay?: { size: number; probability: number };
  augment?: AugmentPolicy[];
  instanceNoise?: { initial: number; decaySteps: number };
  /** AC-GAN auxiliary classification weight (used when D has a `classLogits` head). */
  auxiliaryWeight?: number;
  /** InfoGAN λ for categorical and continuous codes (defaults 1 and 0.1), used when D has a `q` head. */
  infoWeight?: { categorical?: number; continuous?: number };
}

interface InfoCodes {
  categorical: tf.Tensor1D[];
  continuous: tf.Tensor2D;
}

/** One iteration's numbers. */
export interface StepLogs {
  step: number;
  dLoss: number;
  gLoss: number;
  /** Mean D output on real and fake examples: probabilities σ(logit) for classifier losses, raw critic values otherwise. */
  dReal: number;
  dFake: number;
  terms: Record<string, number>;
  gradNormD: number;
  gradNormG: number;
  learningRate: { generator: number; discriminator: number };
  /** False when a loss or gradient was NaN/Inf: that update was not applied. */
  finite: boolean;
  nonFinite: string[];
  stepMs: number;
}

/** Where real data comes from: one batch per discriminator update, with a position a checkpoint can save. */
export interface DataSource {
  next(): { x: tf.Tensor; labels?: tf.Tensor1D };
  /** Batches in one pass over the data, for epoch-based runs (absent for endless toy samplers). */
  batchesPerEpoch?: number;
  state(): unknown;
  restore(state: unknown): void;
}

export interface Trainer {
  readonly config: TrainConfig;
  readonly gan: GanDef;
  readonly G: Network;
  readonly D: Network;
  readonly gOpt: Optimizer;
  readonly dOpt: Optimizer;
  readonly ema: Ema | undefined;
  readonly replay: ReplayPool | undefined;
  /** Completed iterations, D updates and G updates. */
  readonly counters: { step: number; dUpdates: number; gUpdates: number };
  /** One iteration of Algorithm 1: k D updates (G frozen), then the G updates (D frozen). */
  step(data: DataSource): Promise<StepLogs>;
  /** Samples from the EMA generator when there is one (else G), for fixed `z` and labels. */
  sample(z: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor;
  dispose(): void;
}

export function validateConfig(config: TrainConfig, gan: GanDef): void {
  const positiveInt = (v: unknown, name: string) => {
    if (!Number.isInteger(v) || (v as number) <= 0)
      throw new Error(`${name} must be a positive integer, got ${v}`);
  };
  positiveInt(config.batchSize, 'batchSize');
  if (config.generatorBatchSize != null) positiveInt(config.generatorBatchSize, 'generatorBatchSize');
  positiveInt(config.schedule?.dSteps, 'schedule.dSteps');
  positiveInt(config.schedule?.gSteps, 'schedule.gSteps');
  if (!Number.isInteger(config.seed)) throw new Error(`seed must be an integer, got ${config.seed}`);
  adversarialLoss(config.loss);
  validateOptimizer(config.optimizers.generator, 'optimizers.generator');
  validateOptimizer(config.optimizers.discriminator, 'optimizers.discriminator');
  if (gan.codes && config.replay) {
    throw new Error(
      'experience replay cannot be used with InfoGAN: replayed fakes have no codes for Q to recover',
    );
  }
  const pack = gan.pack ?? 1;
  for (const [name, n] of [
    ['batchSize', config.batchSize],
    ['generatorBatchSize', config.generatorBatchSize ?? config.batchSize],
  ] as const) {
    if (n % pack !== 0)
      throw new Error(`${name} ${n} must be divisible by the PacGAN packing degree ${pack}`);
  }
}

/** Builds G, D, their optimisers and the stabilisers for `gan`, from `config.seed`. */
export function createTrainer(gan: GanDef, config: TrainConfig): Trainer {
  validateConfig(config, gan);
  const G = instantiate(gan.generator, keyFor(config.seed, 0, 'G'));
  const D = instantiate(gan.discriminator, keyFor(config.seed, 0, 'D'));
  if (config.penalties?.gradientPenalty && D.rows.some((r) => r.kind === 'BatchNormalization')) {
    G.dispose();
    D.dispose();
    throw new Error(
      'a gradient penalty is per example; batch norm in D mixes examples — use a critic without batch norm (e.g. wgan())',
    );
  }
  const paths = (p: ParamTree) => flattenTree(p).map(([path]) => path);
  const gOpt = createOptimizer(config.optimizers.generator, G.variables(), paths(G.params));
  const dOpt = createOptimizer(config.optimizers.discriminator, D.variables(), paths(D.params));
  const ema = config.ema ? new Ema(G.params, config.ema.decay, config.ema.warmup ?? true) : undefined;
  const replay = config.replay ? new ReplayPool(config.replay.size, config.replay.probability) : undefined;
  const loss: GanLoss =
    config.realLabel == null
      ? adversarialLoss(config.loss)
      : config.loss === 'minimax'
        ? minimax({ realLabel: config.realLabel })
        : nonSaturating({ realLabel: config.realLabel });
  const counters = { step: 0, dUpdates: 0, gUpdates: 0 };
  const classes = gan.classes;
  const gBatch = config.generatorBatchSize ?? config.batchSize;

  /**
   * z for `n` samples. For InfoGAN the input is [noise, one-hot categorical codes, continuous codes U(−1, 1)], and
   * the codes are returned so that Q's loss can score their recovery.
   */
  const latent = (n: number, key: number): { z: tf.Tensor2D; codes?: InfoCodes } => {
    const codes = gan.codes;
    if (codes == null) return { z: tf.randomNormal([n, gan.latentDim], 0, 1, 'float32', key) as tf.Tensor2D };
    const catTotal = codes.categorical.reduce((a, b) => a + b, 0);
    const noiseDim = gan.latentDim - catTotal - codes.continuous;
    const categorical = codes.categorical.map(
      (k, i) =>
        tf.tidy(() =>
          tf.cast(tf.floor(tf.randomUniform([n], 0, k, 'float32', key + 7 * (i + 1))), 'int32'),
        ) as tf.Tensor1D,
    );
    const continuous = tf.randomUniform([n, codes.continuous], -1, 1, 'float32', key + 3) as tf.Tensor2D;
    const z = tf.tidy(() =>
      tf.concat(
        [
          tf.randomNormal([n, noiseDim], 0, 1, 'float32', key),
          ...categorical.map((c, i) => tf.oneHot(c, codes.categorical[i]!, 1, 0, 'float32')),
          continuous,
        ],
        1,
      ),
    ) as tf.Tensor2D;
    return { z, codes: { categorical, continuous } };
  };
  /** InfoGAN's −λ·L_I from Q's output for the codes that made the fakes. */
  const infoLoss = (q: tf.Tensor | undefined, codes: InfoCodes | undefined) => {
    if (q == null || codes == null || gan.codes == null) return undefined;
    const split = splitInfoganQ(q as tf.Tensor2D, gan.codes);
    return infoGanLoss({
      categoricalLogits: split.categorical,
      categoricalCodes: codes.categorical,
      mean: split.mean,
      logStd: split.logStd,
      continuousCodes: codes.continuous,
      lambdaCategorical: config.infoWeight?.categorical ?? 1,
      lambdaContinuous: config.infoWeight?.continuous ?? 0.1,
    });
  };
  const disposeCodes = (c: InfoCodes | undefined) => c && tf.dispose([...c.categorical, c.continuous]);
  const randomLabels = (n: number, key: number) =>
    classes == null
      ? undefined
      : (tf.tidy(() =>
          tf.cast(tf.floor(tf.randomUniform([n], 0, classes, 'float32', key)), 'int32'),
        ) as tf.Tensor1D);
  const prepare = (x: tf.Tensor, step: number, which: string) =>
    tf.tidy(() => {
      let y = x;
      if (config.instanceNoise) {
        const sigma = instanceNoiseSigma(step, config.instanceNoise);
        y = instanceNoise(y, sigma, keyFor(config.seed, step, `noise-${which}`));
      }
      if (config.augment?.length)
        y = diffAugment(y as tf.Tensor4D, config.augment, keyFor(config.seed, step, `augment-${which}`));
      return y;
    });
  // PacGAN: D judges `pack` samples at once, concatenated (Lin et al. 2018)
  const pack = gan.pack ?? 1;
  const packed = (x: tf.Tensor) => (pack === 1 ? x : tf.reshape(x, [x.shape[0]! / pack, -1]));
  const score = (logits: tf.Tensor) => tf.mean(loss.outputs === 'logits' ? tf.sigmoid(logits) : logits);
  // Finite iff the sum of every element is: a NaN or ±Inf anywhere makes the sum NaN or ±Inf. (A sum of finite
  // values that overflows float32, beyond ~3e38, also reads as non-finite: such weights are broken anyway.) One
  // reduction per tensor instead of an element-wise check, a reduction and a logical and.
  const allFinite = (tensors: tf.Tensor[]) =>
    tf.tidy(
      () =>
        tf.isFinite(
          tensors.length === 1 ? tf.sum(tensors[0]!) : tf.addN(tensors.map((t) => tf.sum(t))),
        ) as tf.Scalar,
    );

  async function step(data: DataSource): Promise<StepLogs> {
    const start = performance.now();
    const s = counters.step;
    const keep: Record<string, tf.Tensor> = {};
    /** Keeps a logged tensor past the step's tidies, replacing (and freeing) the previous update's. */
    const put = (name: string, t: tf.Tensor) => {
      keep[name]?.dispose();
      keep[name] = tf.keep(t);
    };
    const lrD = learningRateAt(config.optimizers.discriminator.learningRate, config.lrSchedule, s);
    const lrG = learningRateAt(config.optimizers.generator.learningRate, config.lrSchedule, s);
    let lastReal: tf.Tensor | undefined;
    let lastRealLabels: tf.Tensor1D | undefined;

    for (let k = 0; k < config.schedule.dSteps; k++) {
      const key = (p: string) => keyFor(config.seed, s, p, k);
      const batch = data.next();
      const n = batch.x.shape[0]!;
      const fakeLabels = randomLabels(n, key('fake-labels-d'));
      const { z, codes: dCodes } = latent(n, key('z-d'));
      // G is frozen: its output is a constant input of D's update, and G's state is left as it was
      const fakes = tf.tidy(() => {
        const r = G.apply(G.params, G.state, z, { training: true, labels: fakeLabels, rng: key('g-rng-d') });
        const y = tf.keep(r.out.images!);
        discardState(G.state, r.state);
        return y;
      });
      const shown = replay ? tf.tidy(() => replay.mix(fakes, key('replay'))) : fakes;
      if (n % pack !== 0)
        throw new Error(`batch of ${n} is not divisible by the PacGAN packing degree ${pack}`);
      const real = prepare(packed(batch.x), s, `real-${k}`);
      const fake = prepare(packed(shown), s, `fake-${k}`);
      let mid: StateTree = D.state;
      let next: StateTree = D.state;
      const { value, grads } = tf.variableGrads(() => {
        const ctxReal = { training: true, labels: batch.labels, rng: key('d-rng-real') };
        const ctxFake = { training: true, labels: fakeLabels, rng: key('d-rng-fake') };
        const r = D.apply(D.params, D.state, real, ctxReal);
        const f = D.apply(D.params, r.state, fake, ctxFake);
        mid = r.state;
        next = f.state;
        let total: tf.Tensor = loss.discriminator(r.out.logits!, f.out.logits!);
        put('adversarialD', tf.clone(total));
        if (r.out.classLogits && batch.labels && fakeLabels) {
          const aux = tf.add(
            auxiliaryClassifierLoss(r.out.classLogits as tf.Tensor2D, batch.labels),
            auxiliaryClassifierLoss(f.out.classLogits as tf.Tensor2D, fakeLabels),
          );
          put('auxiliaryD', tf.clone(aux));
          total = tf.add(total, tf.mul(aux, config.auxiliaryWeight ?? 1));
        }
        const infoD = infoLoss(f.out.q, dCodes);
        if (infoD) {
          put('infoD', tf.clone(infoD));
          total = tf.add(total, infoD);
        }
        const critic = (x: tf.Tensor) =>
          D.apply(D.params, D.state, x, { training: false, labels: batch.labels }).out.logits!;
        if (config.penalties?.gradientPenalty) {
          const gp = gradientPenalty(critic, real, fake, {
            ...config.penalties.gradientPenalty,
            seed: key('gp'),
          });
          put('gradientPenalty', tf.clone(gp));
          total = tf.add(total, gp);
        }
        if (config.penalties?.r1) {
          const r1 = r1Penalty(critic, real, config.penalties.r1);
          put('r1', tf.clone(r1));
          total = tf.add(total, r1);
        }
        put('dReal', score(r.out.logits!));
        put('dFake', score(f.out.logits!));
        return total as tf.Scalar;
      }, D.variables());
      const vars = D.variables();
      const gradList = vars.map((v) => grads[v.name]!);
      const { grads: clipped, ok: okD } = tf.tidy(() => {
        const c = clipByGlobalNorm(gradList, config.clipGradNorm?.discriminator);
        put('gradNormD', c.norm);
        // the global norm is finite iff every gradient is (a NaN/Inf anywhere reaches the sum of squares)
        return { grads: c.grads, ok: tf.logicalAnd(tf.isFinite(value), tf.isFinite(c.norm)) as tf.Scalar };
      });
      dOpt.apply(vars, clipped, lrD, okD);
      put('paramsOkD', allFinite(vars)); // finite gradients can still overflow a weight
      if (config.weightClip != null) clipWeights(vars, config.weightClip);
      D.state = replaceState(replaceState(D.state, mid), next);
      keep.dLoss?.dispose();
      keep.dLoss = value;
      const okSoFar = keep.okD;
      keep.okD = okSoFar ? tf.keep(tf.logicalAnd(okSoFar, okD)) : okD;
      if (okSoFar) tf.dispose([okSoFar, okD]);
      // free this update's tensors; the real batch stays for a relativistic G loss (the last one is used)
      const temporaries = new Set<tf.Tensor>([
        ...Object.values(grads),
        ...clipped,
        fakes,
        shown,
        real,
        fake,
        z,
      ]);
      if (fakeLabels) temporaries.add(fakeLabels);
      temporaries.delete(batch.x);
      tf.dispose([...temporaries]);
      disposeCodes(dCodes);
      lastReal?.dispose();
      lastRealLabels?.dispose();
      lastReal = batch.x;
      lastRealLabels = batch.labels;
      counters.dUpdates++;
    }

    for (let k = 0; k < config.schedule.gSteps; k++) {
      const key = (p: string) => keyFor(config.seed, s, p, k);
      const labels = randomLabels(gBatch, key('fake-labels-g'));
      const { z, codes: gCodes } = latent(gBatch, key('z-g'));
      let next: StateTree = G.state;
      const discarded: StateTree[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const g = G.apply(G.params, G.state, z, { training: true, labels, rng: key('g-rng') });
        next = g.state;
        // D is frozen: only G's variables are differentiated, and D's state is not adopted
        const f = D.apply(D.params, D.state, prepare(packed(g.out.images!), s, `g-${k}`), {
          training: true,
          labels,
          rng: key('d-rng-g'),
        });
        discarded.push(f.state);
        let total: tf.Tensor;
        if (loss.needsRealForGenerator) {
          const realLogits = D.apply(D.params, D.state, packed(lastReal!), {
            training: true,
            labels: lastRealLabels,
            rng: key('d-rng-g-real'),
          });
          discarded.push(realLogits.state);
          total = loss.generator(f.out.logits!, realLogits.out.logits!);
        } else total = loss.generator(f.out.logits!);
        put('adversarialG', tf.clone(total));
        if (f.out.classLogits && labels) {
          const aux = auxiliaryClassifierLoss(f.out.classLogits as tf.Tensor2D, labels);
          put('auxiliaryG', tf.clone(aux));
          total = tf.add(total, tf.mul(aux, config.auxiliaryWeight ?? 1));
        }
        const infoG = infoLoss(f.out.q, gCodes);
        if (infoG) {
          put('infoG', tf.clone(infoG));
          total = tf.add(total, infoG);
        }
        return total as tf.Scalar;
      }, G.variables());
      const vars = G.variables();
      const gradList = vars.map((v) => grads[v.name]!);
      const { grads: clipped, ok: okG } = tf.tidy(() => {
        const c = clipByGlobalNorm(gradList, config.clipGradNorm?.generator);
        put('gradNormG', c.norm);
        // the global norm is finite iff every gradient is (a NaN/Inf anywhere reaches the sum of squares)
        return { grads: c.grads, ok: tf.logicalAnd(tf.isFinite(value), tf.isFinite(c.norm)) as tf.Scalar };
      });
      gOpt.apply(vars, clipped, lrG, okG);
      put('paramsOkG', allFinite(vars));
      G.state = replaceState(G.state, next);
      for (const st of discarded) discardState(D.state, st);
      ema?.update(G.params, counters.gUpdates);
      keep.gLoss?.dispose();
      keep.gLoss = value;
      const okSoFar = keep.okG;
      keep.okG = okSoFar ? tf.keep(tf.logicalAnd(okSoFar, okG)) : okG;
      if (okSoFar) tf.dispose([okSoFar, okG]);
      tf.dispose([...Object.values(grads), ...clipped, z]);
      disposeCodes(gCodes);
      labels?.dispose();
      counters.gUpdates++;
    }
    lastReal?.dispose();
    lastRealLabels?.dispose();
    counters.step++;

    // One asynchronous read of every logged number (no synchronous reads in the step).
    const names = Object.keys(keep);
    const values = await Promise.all(names.map((n) => keep[n]!.data()));
    tf.dispose(Object.values(keep));
    const num = (n: string) => {
      const i = names.indexOf(n);
      return i < 0 ? Number.NaN : Number(values[i]![0]);
    };
    const nonFinite: string[] = [];
    if (num('okD') !== 1) nonFinite.push('discriminator loss or gradients');
    if (num('okG') !== 1) nonFinite.push('generator loss or gradients');
    if (num('paramsOkD') !== 1) nonFinite.push('discriminator parameters');
    if (num('paramsOkG') !== 1) nonFinite.push('generator parameters');
    const terms: Record<string, number> = {};
    for (const t of [
      'adversarialD',
      'auxiliaryD',
      'infoD',
      'gradientPenalty',
      'r1',
      'adversarialG',
      'auxiliaryG',
      'infoG',
    ])
      if (names.includes(t)) terms[t] = num(t);
    return {
      step: counters.step,
      dLoss: num('dLoss'),
      gLoss: num('gLoss'),
      dReal: num('dReal'),
      dFake: num('dFake'),
      terms,
      gradNormD: num('gradNormD'),
      gradNormG: num('gradNormG'),
      learningRate: { generator: lrG, discriminator: lrD },
      finite: nonFinite.length === 0,
      nonFinite,
      stepMs: performance.now() - start,
    };
  }

  return {
    config,
    gan,
    G,
    D,
    gOpt,
    dOpt,
    ema,
    replay,
    counters,
    step,
    sample: (z, labels) =>
      tf.tidy(() => {
        const params = ema?.params ?? G.params;
        return G.apply(params, G.state, z, { training: false, labels, rng: 0 }).out.images!;
      }),
    dispose() {
      G.dispose();
      D.dispose();
      gOpt.dispose();
      dOpt.dispose();
      ema?.dispose();
      replay?.dispose();
    },
  };
}
