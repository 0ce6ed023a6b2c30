/**
 * Image-to-image training (pix2pix, inpainting, SRGAN) as a problem: G maps each source to a target, D (and
 * inpainting's local D) judge targets — paired with their sources for pix2pix — and G's pixel and content terms pull
 * its outputs to the targets; SRGAN first trains G alone (SRResNet), then adversarially.
 */
import { adversarialLoss } from '@gankit/losses';
import type { TranslationDef } from '@gankit/models';
import type * as tf from '@tensorflow/tfjs-core';
import type { GanProblem, LossTerm, PhaseDef, ValueDef } from './problem.js';
import { adversarialD, adversarialG, perceptual, reconstruction } from './terms.js';
import { type ProblemTrainer, trainProblem } from './trainer.js';
import { resolveTranslationConfig, type TranslationConfig } from './translation-config.js';

/** What a translation problem takes besides plain data. */
export interface TranslationExtras {
  /**
   * The fixed network of SRGAN's content loss, from images in the data's range to features (gankit's trainer passes
   * the shipped classifier's convolutional features, in place of the paper's VGG19).
   */
  features?: (images: tf.Tensor) => tf.Tensor;
}

/** The problem of an image-to-image run: networks, values, terms, and SRGAN's pre-training phase. */
export function translationProblem(
  def: TranslationDef,
  config: TranslationConfig,
  extras: TranslationExtras = {},
): GanProblem {
  const loss = adversarialLoss(config.loss);
  const local = def.localDiscriminator != null;
  const hole = config.reconstruction?.hole === true;
  if (hole && !local && def.sourceShape[2] !== def.targetShape[2]! + 1)
    throw new Error(
      `config.reconstruction.hole averages over an inpainting hole, and ${def.architecture} is not an inpainting model`,
    );
  if (config.content && extras.features == null)
    throw new Error(
      'config.content needs a fixed feature network (extras.features, e.g. a shipped classifier’s convolutional features)',
    );
  if (config.pretrainSteps != null && config.reconstruction == null)
    throw new Error('config.pretrainSteps trains G alone on its pixel term: give config.reconstruction too');
  const values: Record<string, ValueDef> = {
    source: { kind: 'data', key: 'source' },
    target: { kind: 'data', key: 'target' },
    ...(hole ? { mask: { kind: 'data', key: 'mask' } as ValueDef } : {}),
    fake: { kind: 'apply', network: 'G', input: 'source', rng: { D: 'g-rng-d', G: 'g-rng' } },
    // pix2pix's D judges (source, target) pairs; the others judge targets alone
    ...(def.pairedD
      ? {
          realPair: { kind: 'concat', inputs: ['source', 'target'] } as ValueDef,
          fakePair: { kind: 'concat', inputs: ['source', 'fake'] } as ValueDef,
        }
      : {}),
    dReal: {
      kind: 'apply',
      network: 'D',
      input: def.pairedD ? 'realPair' : 'target',
      rng: { D: 'd-rng-real', G: 'd-rng-g-real' },
    },
    dFake: {
      kind: 'apply',
      network: 'D',
      input: def.pairedD ? 'fakePair' : 'fake',
      rng: { D: 'd-rng-fake', G: 'd-rng-g' },
    },
    ...(local
      ? {
          lReal: {
            kind: 'apply',
            network: 'L',
            input: 'target',
            rng: { D: 'l-rng-real', G: 'l-rng-g-real' },
          },
          lFake: { kind: 'apply', network: 'L', input: 'fake', rng: { D: 'l-rng-fake', G: 'l-rng-g' } },
        }
      : {}),
  } as Record<string, ValueDef>;
  const dWeight = config.discriminatorWeight ?? 1;
  const aWeight = config.adversarialWeight ?? 1;
  const pixel: LossTerm[] = config.reconstruction
    ? [
        reconstruction(
          { output: 'fake', target: 'target', ...(hole ? { mask: 'mask' } : {}) },
          {
            name: config.reconstruction.norm,
            group: 'G',
            weight: config.reconstruction.weight,
            norm: config.reconstruction.norm,
          },
        ),
      ]
    : [];
  const content: LossTerm[] = config.content
    ? [
        perceptual({ output: 'fake', target: 'target' }, extras.features!, {
          name: 'content',
          weight: config.content.weight,
        }),
      ]
    : [];
  const terms: LossTerm[] = [
    adversarialD(loss, { real: 'dReal', fake: 'dFake' }, { weight: dWeight }),
    ...(local
      ? [adversarialD(loss, { real: 'lReal', fake: 'lFake' }, { name: 'adversarialLocalD', weight: dWeight })]
      : []),
    ...(aWeight > 0
      ? [
          adversarialG(loss, { fake: 'dFake', real: 'dReal' }, { weight: aWeight }),
          ...(local
            ? [
                adversarialG(
                  loss,
                  { fake: 'lFake', real: 'lReal' },
                  { name: 'adversarialLocalG', weight: aWeight },
                ),
              ]
            : []),
        ]
      : []),
    ...pixel,
    ...content,
  ];
  const schedule = [
    { group: 'D', times: 1 },
    { group: 'G', times: 1 },
  ];
  const phases: PhaseDef[] | undefined =
    config.pretrainSteps == null
      ? undefined
      : [
          {
            name: 'pretrain',
            steps: config.pretrainSteps,
            terms: pixel,
            schedule: [{ group: 'G', times: 1 }],
          },
          { name: 'adversarial', terms, schedule },
        ];
  const sigmoid = loss.outputs === 'logits';
  const [h, w] = def.targetShape;
  return {
    name: def.architecture,
    data: { source: def.sourceShape, target: def.targetShape, ...(hole ? { mask: [h!, w!, 1] } : {}) },
    networks: {
      G: { def: def.generator, group: 'G', ...(config.ema ? { ema: config.ema } : {}) },
      D: { def: def.discriminator, group: 'D' },
      ...(local ? { L: { def: def.localDiscriminator!, group: 'D' } } : {}),
    },
    values,
    terms,
    groups: {
      D: { optimizer: config.optimizers.discriminator, draws: true, label: 'discriminator' },
      G: { optimizer: config.optimizers.generator, label: 'generator' },
    },
    schedule,
    ...(phases ? { phases } : {}),
    batchSize: config.batchSize,
    seed: config.seed,
    ...(config.lrSchedule ? { lrSchedule: config.lrSchedule } : {}),
    scores: { dReal: { value: 'dReal', sigmoid, in: 'D' }, dFake: { value: 'dFake', sigmoid, in: 'D' } },
    config,
  };
}

/** A trainer of an image-to-image problem, with its resolved config and what G makes of sources. */
export interface TranslationTrainer extends ProblemTrainer {
  readonly config: TranslationConfig;
  readonly def: TranslationDef;
  /** G's targets for `source` `[n, …sourceShape]`, in inference mode (the EMA weights when kept). */
  translate(source: tf.Tensor4D): tf.Tensor4D;
}

/**
 * Builds an image-to-image trainer from a model (`pix2pix`, `inpainting`, `srgan` of @gankit/models) and the parts
 * of a config given (the rest from pix2pix's settings).
 *
 * @example
 * const trainer = createTranslationTrainer(pix2pix(), { batchSize: 16 });
 * await trainer.step(pairedSource(new PairedBatcher(mnist, { kind: 'edges' }, { batchSize: 16 })));
 */
export function createTranslationTrainer(
  def: TranslationDef,
  parts: Parameters<typeof resolveTranslationConfig>[0] = {},
  extras: TranslationExtras = {},
): TranslationTrainer {
  const config = resolveTranslationConfig(parts);
  const base = trainProblem(translationProblem(def, config, extras));
  return {
    ...base,
    config,
    def,
    translate: (source) => {
      const shape = source.shape.slice(1);
      if (source.rank !== 4 || shape.some((d, i) => d !== def.sourceShape[i]))
        throw new Error(
          `${def.architecture} translates sources of shape [${def.sourceShape}], got [${source.shape.slice(1)}]`,
        );
      return base.predict('G', source) as tf.Tensor4D;
    },
  };
}
