import { type GanDef, styleSpaceOf } from '@gankit/models';
import { lossOf, type TrainConfig } from './config.js';
import { withGrowth } from './growth.js';
import type { GanProblem, ValueDef } from './problem.js';
import {
  adversarialD,
  adversarialG,
  auxiliaryClass,
  driftTerm,
  gradientPenaltyTerm,
  type LossTerm,
  mutualInformation,
  pathLengthTerm,
  r1Term,
} from './terms.js';

/**
 * The GAN families we ship as one problem: G maps noise (with InfoGAN codes, or class labels for conditional
 * models) to samples, D judges reals and fakes (packed for PacGAN, with the seed-002 batch semantics through
 * `generatorBatchSize`). The config picks the terms: the adversarial pair, AC-GAN's class terms when D has a
 * class head, InfoGAN's when it has Q, WGAN-GP, R1 (lazy), drift, path-length regularisation (style-based G),
 * and any custom terms; `growth` grows it.
 */
export function ganProblem(gan: GanDef, config: TrainConfig): GanProblem {
  const loss = lossOf(config);
  const conditional = gan.classes != null;
  const labels = conditional ? 'labels' : undefined;
  const fakeLabels = conditional ? 'fakeLabels' : undefined;
  const values: Record<string, ValueDef> = {
    x: { kind: 'data', key: 'x' },
    labels: { kind: 'data', key: 'labels', optional: true },
    z: {
      kind: 'latent',
      dim: gan.latentDim,
      ...(gan.codes ? { codes: gan.codes } : {}),
      stream: { D: 'z-d', G: 'z-g' },
    },
    ...(conditional
      ? {
          fakeLabels: {
            kind: 'classes',
            classes: gan.classes!,
            stream: { D: 'fake-labels-d', G: 'fake-labels-g' },
          },
        }
      : {}),
    fake: { kind: 'apply', network: 'G', input: 'z', labels: fakeLabels, rng: { D: 'g-rng-d', G: 'g-rng' } },
    // what D sees: reals prepared in D's updates only (the relativistic G loss reads them packed, as they came)
    shownReal: { kind: 'present', input: 'x', prepare: { D: 'real' } },
    shownFake: { kind: 'present', input: 'fake', replay: true, prepare: { D: 'fake', G: 'g' } },
    dReal: {
      kind: 'apply',
      network: 'D',
      input: 'shownReal',
      labels,
      rng: { D: 'd-rng-real', G: 'd-rng-g-real' },
    },
    dFake: {
      kind: 'apply',
      network: 'D',
      input: 'shownFake',
      labels: fakeLabels,
      rng: { D: 'd-rng-fake', G: 'd-rng-g' },
    },
  };
  const heads = Object.keys(gan.discriminator.heads ?? {});
  const terms: LossTerm[] = [adversarialD(loss, { real: 'dReal', fake: 'dFake' })];
  const classTerms = conditional && heads.includes('classLogits');
  const weight = config.auxiliaryWeight ?? 1;
  if (classTerms)
    terms.push(
      auxiliaryClass(
        [
          { value: 'dReal', labels: 'labels' },
          { value: 'dFake', labels: 'fakeLabels' },
        ],
        { name: 'auxiliaryD', group: 'D', weight },
      ),
    );
  const info = gan.codes && heads.includes('q');
  const lambdas = {
    lambdaCategorical: config.infoWeight?.categorical ?? 1,
    lambdaContinuous: config.infoWeight?.continuous ?? 0.1,
  };
  if (info)
    terms.push(
      mutualInformation({ judged: 'dFake', latent: 'z' }, gan.codes!, {
        name: 'infoD',
        group: 'D',
        ...lambdas,
      }),
    );
  const p = config.penalties;
  const critic = { critic: 'D', real: 'shownReal', labels };
  if (p?.gradientPenalty)
    terms.push(gradientPenaltyTerm({ ...critic, fake: 'shownFake' }, p.gradientPenalty));
  if (p?.r1) terms.push(r1Term(critic, p.r1));
  if (p?.r2) terms.push(r1Term({ ...critic, real: 'shownFake', labels: fakeLabels, name: 'r2' }, p.r2));
  if (p?.drift) terms.push(driftTerm('dReal', p.drift));
  terms.push(adversarialG(loss, { fake: 'dFake', real: 'dReal' }));
  if (p?.pathLength) {
    if (styleSpaceOf(gan.generator) == null)
      throw new Error(
        `config.penalties.pathLength needs a style-based generator (model stylegan); this ${gan.architecture} generator has no W space: remove the key or train stylegan`,
      );
    terms.push(pathLengthTerm('G', p.pathLength));
  }
  if (classTerms)
    terms.push(
      auxiliaryClass([{ value: 'dFake', labels: 'fakeLabels' }], { name: 'auxiliaryG', group: 'G', weight }),
    );
  if (info)
    terms.push(
      mutualInformation({ judged: 'dFake', latent: 'z' }, gan.codes!, {
        name: 'infoG',
        group: 'G',
        ...lambdas,
      }),
    );
  terms.push(...(config.terms ?? []));
  const sigmoid = loss.outputs === 'logits';
  const problem: GanProblem = {
    name: gan.architecture,
    data: { x: gan.dataShape, ...(conditional ? { labels: [] } : {}) },
    networks: {
      G: { def: gan.generator, group: 'G', ...(config.ema ? { ema: config.ema } : {}) },
      D: { def: gan.discriminator, group: 'D' },
    },
    values,
    terms,
    groups: {
      D: {
        optimizer: config.optimizers.discriminator,
        draws: true,
        clipGradNorm: config.clipGradNorm?.discriminator,
        weightClip: config.weightClip,
        label: 'discriminator',
      },
      G: {
        optimizer: config.optimizers.generator,
        batchSize: config.generatorBatchSize ?? config.batchSize,
        clipGradNorm: config.clipGradNorm?.generator,
        label: 'generator',
      },
    },
    schedule: [
      { group: 'D', times: config.schedule.dSteps },
      { group: 'G', times: config.schedule.gSteps },
    ],
    batchSize: config.batchSize,
    seed: config.seed,
    ...(gan.pack != null && gan.pack > 1 ? { pack: gan.pack } : {}),
    ...(config.replay ? { replay: { ...config.replay, in: ['D'] } } : {}),
    ...(config.instanceNoise ? { instanceNoise: config.instanceNoise } : {}),
    ...(config.augment?.length ? { augment: config.augment } : {}),
    ...(config.lrSchedule ? { lrSchedule: config.lrSchedule } : {}),
    scores: { dReal: { value: 'dReal', sigmoid, in: 'D' }, dFake: { value: 'dFake', sigmoid, in: 'D' } },
    sampler: { network: 'G' },
  };
  return withGrowth(problem, gan, config);
}
