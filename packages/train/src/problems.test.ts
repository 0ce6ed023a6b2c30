// Problems defined here, from tiny networks and toy data, without touching the step: a paired reconstruction
// problem, a two-generator two-discriminator cycle, a network that grows once with fade-in, and lazy R1.
import { useBackend } from '@gankit/backends';
import { ring8 } from '@gankit/datasets';
import { dense, leakyRelu, type ParamTree, sequential } from '@gankit/layers';
import { leastSquares, nonSaturating } from '@gankit/losses';
import { mlpGan, type NetworkDef } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { growingGenerator } from '../test/growing.js';
import type { GanProblem } from './problem.js';
import { toySource } from './sources.js';
import type { DataSource } from './step.js';
import { adversarialD, adversarialG, reconstruction } from './terms.js';
import { createTrainer, trainProblem } from './trainer.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const adam = { kind: 'adam' as const, learningRate: 3e-3, beta1: 0.5 };

/** An MLP network definition: dense + leaky ReLU hidden layers, a linear output. */
function mlp(
  name: string,
  role: NetworkDef['role'],
  input: number,
  hidden: number[],
  out: number,
): NetworkDef {
  return {
    name,
    role,
    architecture: `mlp-${input}-${hidden.join('x')}-${out}`,
    source: 'test',
    inputShape: [input],
    main: role === 'generator' ? 'images' : 'logits',
    body: sequential([
      ...hidden.flatMap((units) => [dense({ units }), leakyRelu(0.2)]),
      dense({ units: out }),
    ]),
  };
}

/** Seeded batches of named 2-D tensors made by `make(step)`; its position is the number drawn. */
function source(make: (drawn: number) => Record<string, tf.Tensor>): DataSource {
  let drawn = 0;
  return {
    next: () => make(drawn++),
    state: () => ({ drawn }),
    restore: (s) => {
      drawn = (s as { drawn: number }).drawn;
    },
  };
}

/**
 * Runs `steps` iterations; returns the first and last logs, and how many tensors the run leaked after its first 5
 * steps (by then optimiser slots exist and replay pools are full).
 */
async function run(trainer: ReturnType<typeof trainProblem>, data: DataSource, steps: number) {
  const first = await trainer.step(data);
  let last = first;
  let before = 0;
  for (let i = 1; i < steps; i++) {
    if (i === 5) before = tf.memory().numTensors;
    last = await trainer.step(data);
  }
  return { first, last, leaked: tf.memory().numTensors - before };
}

describe('problems as data', () => {
  it('paired reconstruction: G maps a source to its target with L1 + adversarial terms, D judges (source, target) pairs', async () => {
    // target = a fixed rotation and shift of the source
    const pairs = source((i) =>
      tf.tidy(() => {
        const s = tf.randomNormal([32, 2], 0, 1, 'float32', 100 + i);
        const t = tf.add(
          tf.matMul(
            s,
            tf.tensor2d([
              [0, -1],
              [1, 0],
            ]),
          ),
          1,
        );
        return { source: s, target: t };
      }),
    );
    const loss = nonSaturating();
    const problem: GanProblem = {
      name: 'paired-points',
      data: { source: [2], target: [2] },
      networks: {
        G: { def: mlp('G', 'generator', 2, [16], 2), group: 'G' },
        D: { def: mlp('D', 'discriminator', 4, [16], 1), group: 'D' },
      },
      values: {
        source: { kind: 'data', key: 'source' },
        target: { kind: 'data', key: 'target' },
        fake: { kind: 'apply', network: 'G', input: 'source' },
        realPair: { kind: 'concat', inputs: ['source', 'target'] },
        fakePair: { kind: 'concat', inputs: ['source', 'fake'] },
        dReal: { kind: 'apply', network: 'D', input: 'realPair' },
        dFake: { kind: 'apply', network: 'D', input: 'fakePair' },
      },
      terms: [
        adversarialD(loss, { real: 'dReal', fake: 'dFake' }, { weight: 0.5 }),
        adversarialG(loss, { fake: 'dFake' }),
        reconstruction({ output: 'fake', target: 'target' }, { name: 'l1', group: 'G', weight: 10 }),
      ],
      groups: { D: { optimizer: adam, draws: true }, G: { optimizer: adam } },
      schedule: [
        { group: 'D', times: 1 },
        { group: 'G', times: 1 },
      ],
      batchSize: 32,
      seed: 4,
    };
    const t = trainProblem(problem);
    const { first, last, leaked } = await run(t, pairs, 200);
    expect(Object.keys(last.terms)).toEqual(['adversarialD', 'adversarialG', 'l1']);
    expect(last.losses).toEqual({ D: expect.any(Number), G: expect.any(Number) });
    expect(last.finite).toBe(true);
    expect(last.terms.l1).toBeLessThan(0.25 * first.terms.l1!);
    expect(leaked).toBe(0);
    t.dispose();
  });

  it('a cycle: two generators and two discriminators, LSGAN terms both ways, cycle and identity terms', async () => {
    // domain A: N((−1, 0), 0.3²); domain B: N((1, 0.5), 0.3²) — each drawn on its own
    const domains = source((i) =>
      tf.tidy(() => ({
        A: tf.add(tf.mul(tf.randomNormal([32, 2], 0, 1, 'float32', 300 + i), 0.3), tf.tensor1d([-1, 0])),
        B: tf.add(tf.mul(tf.randomNormal([32, 2], 0, 1, 'float32', 700 + i), 0.3), tf.tensor1d([1, 0.5])),
      })),
    );
    const loss = leastSquares();
    // λ = 1 (the paper's 10 is for images): on 2-D points the identity map satisfies the cycle at once, and a
    // large λ keeps the generators there while the discriminators win
    const g = (name: string) => ({ def: mlp(name, 'generator', 2, [16], 2), group: 'G' });
    const d = (name: string) => ({ def: mlp(name, 'discriminator', 2, [16], 1), group: 'D' });
    const problem: GanProblem = {
      name: 'cycle-points',
      data: { A: [2], B: [2] },
      networks: { G_AB: g('G_AB'), G_BA: g('G_BA'), D_A: d('D_A'), D_B: d('D_B') },
      values: {
        A: { kind: 'data', key: 'A' },
        B: { kind: 'data', key: 'B' },
        fakeB: { kind: 'apply', network: 'G_AB', input: 'A' },
        fakeA: { kind: 'apply', network: 'G_BA', input: 'B' },
        cycleA: { kind: 'apply', network: 'G_BA', input: 'fakeB' },
        cycleB: { kind: 'apply', network: 'G_AB', input: 'fakeA' },
        sameA: { kind: 'apply', network: 'G_BA', input: 'A' },
        sameB: { kind: 'apply', network: 'G_AB', input: 'B' },
        shownFakeA: { kind: 'present', input: 'fakeA', replay: true },
        shownFakeB: { kind: 'present', input: 'fakeB', replay: true },
        dA: { kind: 'apply', network: 'D_A', input: 'A' },
        dB: { kind: 'apply', network: 'D_B', input: 'B' },
        dFakeA: { kind: 'apply', network: 'D_A', input: 'shownFakeA' },
        dFakeB: { kind: 'apply', network: 'D_B', input: 'shownFakeB' },
      },
      terms: [
        adversarialD(loss, { real: 'dA', fake: 'dFakeA' }, { name: 'adversarialD_A', weight: 0.5 }),
        adversarialD(loss, { real: 'dB', fake: 'dFakeB' }, { name: 'adversarialD_B', weight: 0.5 }),
        adversarialG(loss, { fake: 'dFakeB' }, { name: 'adversarialG_AB' }),
        adversarialG(loss, { fake: 'dFakeA' }, { name: 'adversarialG_BA' }),
        reconstruction({ output: 'cycleA', target: 'A' }, { name: 'cycleA', group: 'G', weight: 1 }),
        reconstruction({ output: 'cycleB', target: 'B' }, { name: 'cycleB', group: 'G', weight: 1 }),
        reconstruction({ output: 'sameA', target: 'A' }, { name: 'identityA', group: 'G', weight: 0.5 }),
        reconstruction({ output: 'sameB', target: 'B' }, { name: 'identityB', group: 'G', weight: 0.5 }),
      ],
      // one optimiser for both G's and one for both D's; G first, then D on the same batch (CycleGAN's order)
      groups: { G: { optimizer: adam, draws: true }, D: { optimizer: adam } },
      schedule: [
        { group: 'G', times: 1 },
        { group: 'D', times: 1 },
      ],
      replay: { size: 64, probability: 0.5, in: ['D'] },
      batchSize: 32,
      seed: 8,
    };
    const t = trainProblem(problem);
    expect(Object.keys(t.state.replay).sort()).toEqual(['fakeA', 'fakeB']);
    const { first, last, leaked } = await run(t, domains, 300);
    expect(Object.keys(last.terms)).toEqual(problem.terms.map((term) => term.name));
    expect(last.finite).toBe(true);
    expect(last.terms.cycleA).toBeLessThan(first.terms.cycleA!);
    // A → B lands near B's mean
    const a = tf.add(tf.mul(tf.randomNormal([256, 2], 0, 1, 'float32', 5), 0.3), tf.tensor1d([-1, 0]));
    const moved = t.predict('G_AB', a);
    const mean = Array.from(await tf.mean(moved, 0).data());
    expect(Math.hypot(mean[0]! - 1, mean[1]! - 0.5)).toBeLessThan(0.25); // from 1.2 away
    tf.dispose([a, moved]);
    expect(leaked).toBe(0);
    t.dispose();
  });
});

describe('phases, lazy terms and bad definitions', () => {
  const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [16] });
  const grower = (stages: 1 | 2) => growingGenerator(gan, stages);

  it('a network grows once with fade-in: α rises over the fade, learnt weights carry over, slots as configured', async () => {
    const base = createTrainer(gan, { seed: 2, batchSize: 32 });
    const problem: GanProblem = {
      ...base.problem,
      name: 'growing-points',
      networks: { ...base.problem.networks, G: { def: grower(1), group: 'G' } },
      phases: [
        { name: 'small', steps: 20 },
        { name: 'grown', networks: { G: grower(2) }, fade: 10, optimizers: 'keep' },
      ],
    };
    base.dispose();
    const t = trainProblem(problem);
    const data = toySource(ring8(), 32, 2);
    const alphas: (number | undefined)[] = [];
    let baseBefore: number[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 20)
        baseBefore = Array.from(
          await ((t.state.networks.G!.params.base as ParamTree).kernel as tf.Variable).data(),
        );
      const logs = await t.step(data);
      alphas.push(logs.phase?.alpha);
      if (i === 19) expect(logs.phase).toEqual({ index: 0, name: 'small' });
      if (i === 20) {
        expect(logs.phase).toMatchObject({ index: 1, name: 'grown' });
        // the grown G started from the small one's weights (then took one update)
        const now = Array.from(
          await ((t.state.networks.G!.params.base as ParamTree).kernel as tf.Variable).data(),
        );
        expect(Math.max(...now.map((v, j) => Math.abs(v - baseBefore[j]!)))).toBeLessThan(0.05);
        expect(t.state.networks.G!.params.block1).toBeDefined();
      }
      expect(logs.finite).toBe(true);
    }
    expect(alphas.slice(20, 31)).toEqual(
      [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((a) => expect.closeTo(a, 10)),
    );
    expect(alphas.at(-1)).toBe(1);
    expect(t.state.optimizers.G!.iterations).toBe(40);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) await t.step(data);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('lazy R1: computed on every 4th D update with γ × 4, logged by name only then', async () => {
    const t = createTrainer(gan, { seed: 1, batchSize: 32, penalties: { r1: { gamma: 1, every: 4 } } });
    const data = toySource(ring8(), 32, 1);
    for (let i = 0; i < 8; i++) {
      const logs = await t.step(data);
      if (i % 4 === 0) {
        expect(logs.terms.r1).toBeGreaterThan(0);
        // D's loss is the adversarial term plus 4 × R1
        expect(logs.dLoss).toBeCloseTo(logs.terms.adversarialD! + 4 * logs.terms.r1!, 4);
      } else {
        expect(logs.terms.r1).toBeUndefined();
        expect(logs.dLoss).toBe(logs.terms.adversarialD);
      }
    }
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) await t.step(data);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('bad definitions are named before any tensor is made', () => {
    const t = createTrainer(gan, { seed: 1, batchSize: 32 });
    const good = t.problem;
    t.dispose();
    const before = tf.memory().numTensors;
    const expectError = (problem: GanProblem, message: RegExp) => {
      expect(() => trainProblem(problem)).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    };
    expectError(
      {
        ...good,
        terms: [...good.terms, { ...good.terms[0]!, name: 'lost', uses: { networks: ['critic'] } }],
      },
      /term 'lost' names network 'critic', which the problem does not define \(networks: G, D\)/,
    );
    expectError(
      { ...good, terms: [...good.terms, { ...good.terms[0]!, name: 'blind', uses: { values: ['pairs'] } }] },
      /term 'blind' names value 'pairs'/,
    );
    expectError(
      { ...good, schedule: [...good.schedule, { group: 'E', times: 1 }] },
      /schedule names group 'E', which the problem does not define \(groups: D, G\)/,
    );
    expectError(
      { ...good, values: { ...good.values, fake: { kind: 'apply', network: 'G', input: 'dFake' } } },
      /values depend on themselves: fake → dFake → shownFake → fake/,
    );
    const stateful = { ...good.terms[0]!, name: 'adversarialD', state: { mean: () => tf.scalar(0) } };
    expectError(
      { ...good, terms: [...good.terms, stateful] },
      /2 terms are named 'adversarialD', and one keeps state \(saved under its name\): give each its own name/,
    );
    const wide = mlpGan({ dataDim: 3, latentDim: 2, hidden: [16] });
    expectError(
      {
        ...good,
        phases: [
          { name: 'a', steps: 5 },
          { name: 'b', networks: { D: wide.discriminator } },
        ],
      },
      /phase 'b': value 'dReal' feeds network 'D' \(mlp, input \[3\]\) with 'shownReal' of shape \[2\]/,
    );
  });
});
