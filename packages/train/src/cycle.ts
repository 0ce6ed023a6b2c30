/**
 * Unpaired translation (CycleGAN, DiscoGAN) as a problem: G maps A to B and F maps B to A; D_B judges B against
 * G(A) and D_A judges A against F(B), each with a pool of past fakes; the cycle terms pull F(G(a)) back to a and
 * G(F(b)) back to b, and the identity terms ask G(b) ≈ b and F(a) ≈ a. One optimiser trains both generators, one both
 * discriminators.
 */
import { adversarialLoss } from '@gankit/losses';
import type { CycleDef } from '@gankit/models';
import type * as tf from '@tensorflow/tfjs-core';
import { type CycleConfig, resolveCycleConfig } from './cycle-config.js';
import type { GanProblem, LossTerm, ValueDef } from './problem.js';
import { adversarialD, adversarialG, reconstruction } from './terms.js';
import { type ProblemTrainer, trainProblem } from './trainer.js';

/** The networks' names in the problem: G (A → B), F (B → A), D_A, D_B. */
export const CYCLE_NETWORKS = { AB: 'GAB', BA: 'GBA', A: 'DA', B: 'DB' } as const;

export type Direction = 'a2b' | 'b2a';

/** The problem of an unpaired translation run. */
export function cycleProblem(def: CycleDef, config: CycleConfig): GanProblem {
  const loss = adversarialLoss(config.loss);
  const { AB, BA, A: DA, B: DB } = CYCLE_NETWORKS;
  const apply = (network: string, input: string): ValueDef => ({ kind: 'apply', network, input });
  const values: Record<string, ValueDef> = {
    A: { kind: 'data', key: 'A' },
    B: { kind: 'data', key: 'B' },
    fakeB: apply(AB, 'A'),
    fakeA: apply(BA, 'B'),
    recA: apply(BA, 'fakeB'),
    recB: apply(AB, 'fakeA'),
    // each D sees its domain's fakes through its own pool (in D's updates; G's adversarial terms see them as made)
    seenFakeB: { kind: 'present', input: 'fakeB', replay: config.pool != null },
    seenFakeA: { kind: 'present', input: 'fakeA', replay: config.pool != null },
    dRealA: apply(DA, 'A'),
    dFakeA: apply(DA, 'seenFakeA'),
    dRealB: apply(DB, 'B'),
    dFakeB: apply(DB, 'seenFakeB'),
    ...(config.identity ? { idB: apply(AB, 'B'), idA: apply(BA, 'A') } : {}),
  };
  const dWeight = config.discriminatorWeight ?? 1;
  const { norm, weight } = config.cycle;
  const terms: LossTerm[] = [
    adversarialD(loss, { real: 'dRealA', fake: 'dFakeA' }, { name: 'adversarialDA', weight: dWeight }),
    adversarialD(loss, { real: 'dRealB', fake: 'dFakeB' }, { name: 'adversarialDB', weight: dWeight }),
    adversarialG(loss, { fake: 'dFakeB', real: 'dRealB' }, { name: 'adversarialAB' }),
    adversarialG(loss, { fake: 'dFakeA', real: 'dRealA' }, { name: 'adversarialBA' }),
    reconstruction({ output: 'recA', target: 'A' }, { name: 'cycleA', group: 'G', weight, norm }),
    reconstruction({ output: 'recB', target: 'B' }, { name: 'cycleB', group: 'G', weight, norm }),
    ...(config.identity
      ? [
          reconstruction(
            { output: 'idB', target: 'B' },
            { name: 'identityB', group: 'G', weight: config.identity.weight, norm },
          ),
          reconstruction(
            { output: 'idA', target: 'A' },
            { name: 'identityA', group: 'G', weight: config.identity.weight, norm },
          ),
        ]
      : []),
  ];
  const sigmoid = loss.outputs === 'logits';
  const score = (value: string) => ({ value, sigmoid, in: 'D' });
  return {
    name: def.architecture,
    data: { A: def.shapeA, B: def.shapeB },
    networks: {
      [AB]: { def: def.generatorAB, group: 'G' },
      [BA]: { def: def.generatorBA, group: 'G' },
      [DA]: { def: def.discriminatorA, group: 'D' },
      [DB]: { def: def.discriminatorB, group: 'D' },
    },
    values,
    terms,
    groups: {
      D: { optimizer: config.optimizers.discriminator, draws: true, label: 'discriminators' },
      G: { optimizer: config.optimizers.generator, label: 'generators' },
    },
    schedule: [
      { group: 'D', times: 1 },
      { group: 'G', times: 1 },
    ],
    batchSize: config.batchSize,
    seed: config.seed,
    ...(config.pool ? { replay: { ...config.pool, in: ['D'] } } : {}),
    ...(config.lrSchedule ? { lrSchedule: config.lrSchedule } : {}),
    // dReal / dFake: D_B on B and on G(A) (the A → B direction); the same of D_A by name
    scores: {
      dReal: score('dRealB'),
      dFake: score('dFakeB'),
      dRealA: score('dRealA'),
      dFakeA: score('dFakeA'),
    },
    config,
  };
}

/** A trainer of an unpaired translation problem, with its resolved config and the two translations. */
export interface CycleTrainer extends ProblemTrainer {
  readonly config: CycleConfig;
  readonly def: CycleDef;
  /** G(x) for `a2b`, F(x) for `b2a`, in inference mode. */
  translate(direction: Direction, x: tf.Tensor4D): tf.Tensor4D;
}

/**
 * Builds an unpaired translation trainer from a model (`cyclegan`, `discogan` of @gankit/models) and the parts of a
 * config given (the rest from CycleGAN's settings).
 *
 * @example
 * const trainer = createCycleTrainer(cyclegan({ blocks: 4 }), { batchSize: 8 });
 * await trainer.step(unpairedSource(new UnpairedBatcher(mnistA, restyledB, { batchSize: 8 })));
 */
export function createCycleTrainer(
  def: CycleDef,
  parts: Parameters<typeof resolveCycleConfig>[0] = {},
): CycleTrainer {
  const config = resolveCycleConfig(parts);
  const base = trainProblem(cycleProblem(def, config));
  return {
    ...base,
    config,
    def,
    translate: (direction, x) => {
      const shape = direction === 'a2b' ? def.shapeA : def.shapeB;
      if (x.rank !== 4 || x.shape.slice(1).some((d, i) => d !== shape[i]))
        throw new Error(
          `${def.architecture} translates ${direction === 'a2b' ? 'A' : 'B'} images of shape [${shape}], got [${x.shape.slice(1)}]`,
        );
      return base.predict(direction === 'a2b' ? CYCLE_NETWORKS.AB : CYCLE_NETWORKS.BA, x) as tf.Tensor4D;
    },
  };
}
