/** Progressive growing (ProGAN): a growth schedule in images turned into phases, and the reals faded as the fakes. */
import type { GanDef } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from './config.js';
import type { GanProblem, PhaseDef, ValueDef } from './problem.js';

/** A growth schedule as the config gives it (see {@link TrainConfig.growth}). */
export type GrowthConfig = NonNullable<TrainConfig['growth']>;

/** One phase of a growth schedule: a resolution fading in, or training at full strength. */
export interface GrowthPhase {
  /** `stabilise-7`, `fade-14`, `stabilise-14`, … */
  name: string;
  resolution: number;
  fade: boolean;
  /** The step the phase starts at, and its length (absent for the last, which runs to the end). */
  start: number;
  steps?: number;
}

/** Real images D sees per iteration: a growth schedule's unit. */
const imagesPerStep = (config: Pick<TrainConfig, 'batchSize' | 'schedule'>) =>
  config.batchSize * config.schedule.dSteps;

/**
 * The phases of a growth schedule, in order: the first resolution trains for `stabiliseImages`, then each next one
 * fades in over `fadeImages` and trains for `stabiliseImages` — the last until the run ends. Steps are images
 * divided by the real images per iteration (batchSize · dSteps), rounded up.
 *
 * @example
 * growthPlan({ batchSize: 32, schedule: { dSteps: 1, gSteps: 1 },
 *   growth: { resolutions: [7, 14], stabiliseImages: 3200, fadeImages: 1600 } });
 * // [{ name: 'stabilise-7', start: 0, steps: 100 }, { name: 'fade-14', start: 100, steps: 50 },
 * //  { name: 'stabilise-14', start: 150 }] (with resolution and fade)
 */
export function growthPlan(config: Pick<TrainConfig, 'batchSize' | 'schedule' | 'growth'>): GrowthPhase[] {
  const g = config.growth;
  if (g == null) return [];
  const per = imagesPerStep(config);
  const stable = Math.ceil(g.stabiliseImages / per);
  const fade = Math.ceil(g.fadeImages / per);
  const plan: GrowthPhase[] = [];
  let start = 0;
  g.resolutions.forEach((resolution, i) => {
    if (i > 0) {
      plan.push({ name: `fade-${resolution}`, resolution, fade: true, start, steps: fade });
      start += fade;
    }
    const last = i === g.resolutions.length - 1;
    plan.push({
      name: `stabilise-${resolution}`,
      resolution,
      fade: false,
      start,
      ...(last ? {} : { steps: stable }),
    });
    start += stable;
  });
  return plan;
}

/**
 * Checks a growth schedule against the GAN it grows, before any tensor is made: the model must have stages, the
 * resolutions must be consecutive stages ending at the data's size, and each part of the schedule must last at
 * least one iteration. Each message names the field and the fix.
 */
export function validateGrowth(config: TrainConfig, gan: GanDef): void {
  const g = config.growth;
  if (g == null) return;
  const stages = gan.stages?.map((s) => s.resolution) ?? [];
  if (stages.length === 0)
    throw new Error(
      `config.growth needs a progressively grown model (family 'progan'); ${gan.architecture} has no stages: ` +
        'remove growth or pick a progan model',
    );
  const size = gan.dataShape[0]!;
  const first = stages.indexOf(g.resolutions[0]!);
  const consecutive =
    first >= 0 &&
    g.resolutions.length === stages.length - first &&
    g.resolutions.every((r, i) => r === stages[first + i]);
  if (!consecutive)
    throw new Error(
      `config.growth.resolutions must be consecutive resolutions of ${gan.architecture} ending at the data's ` +
        `${size}×${size} (its stages: ${stages.join(', ')}), got [${g.resolutions.join(', ')}]: ` +
        `use [${stages.join(', ')}], or a tail of it to start larger`,
    );
  const per = imagesPerStep(config);
  for (const key of ['stabiliseImages', 'fadeImages'] as const)
    if (g[key] < per)
      throw new Error(
        `config.growth.${key} is ${g[key]}, less than one iteration's ${per} real images (batchSize × dSteps): ` +
          `give at least ${per}`,
      );
}

/**
 * Real images at `size`×`size`: `x` average-pooled; with `alpha` in [0, 1), blended with its 2×-pooled,
 * nearest-upsampled copy — `lerp(upsample(downsample(x_size, 2)), x_size, α)` — as ProGAN fades the reals in with
 * the new layers (α = 0: the previous resolution's image, blown up; α = 1: this one).
 */
export function growReals(x: tf.Tensor, size: number, alpha?: number): tf.Tensor {
  const [, h, w] = x.shape as number[];
  if (x.rank !== 4 || h! % size !== 0 || w! % size !== 0)
    throw new Error(
      `cannot resize images [${x.shape}] to ${size}×${size}: their size must be a multiple of ${size}`,
    );
  return tf.tidy(() => {
    const f = h! / size;
    const resized = f === 1 ? tf.clone(x) : tf.avgPool(x as tf.Tensor4D, f, f, 'valid');
    if (alpha == null || alpha >= 1) return resized;
    const low = tf.image.resizeNearestNeighbor(tf.avgPool(resized as tf.Tensor4D, 2, 2, 'valid'), [
      size,
      size,
    ]);
    return tf.add(low, tf.mul(tf.sub(resized, low), Math.max(0, alpha)));
  });
}

/**
 * The standard problem grown: G and D start at the schedule's first resolution and are redefined at every phase
 * (stage networks, their fading versions while a resolution fades in), the reals D sees (`x`) are the batch
 * resized and faded to the phase's resolution, and optimiser slots reset (or are kept) at each growth.
 */
export function withGrowth(problem: GanProblem, gan: GanDef, config: TrainConfig): GanProblem {
  const g = config.growth;
  if (g == null) return problem;
  const stageAt = (r: number) => gan.stages!.find((s) => s.resolution === r)!;
  const reals = (size: number, fade: boolean): Record<string, ValueDef> => ({
    x: { kind: 'resize', input: 'batchX', size, ...(fade ? { fade: true } : {}) },
  });
  const phases: PhaseDef[] = growthPlan(config).map((p, i) => {
    const stage = stageAt(p.resolution);
    const nets = p.fade ? stage.fading! : stage;
    return {
      name: p.name,
      ...(p.steps != null ? { steps: p.steps } : {}),
      ...(i > 0 ? { networks: { G: nets.generator, D: nets.discriminator } } : {}),
      ...(p.fade ? { fade: p.steps!, optimizers: g.optimizers ?? 'reset' } : {}),
      values: reals(p.resolution, p.fade),
    };
  });
  const start = stageAt(g.resolutions[0]!);
  return {
    ...problem,
    networks: {
      ...problem.networks,
      G: { ...problem.networks.G!, def: start.generator },
      D: { ...problem.networks.D!, def: start.discriminator },
    },
    values: { ...problem.values, batchX: { kind: 'data', key: 'x' }, ...reals(g.resolutions[0]!, false) },
    phases,
  };
}

/**
 * Generated images at the data's size: a grown generator's smaller output is upsampled (nearest), so that sample
 * grids and metrics see every phase at one size.
 */
export function atDataSize(images: tf.Tensor, gan: GanDef): tf.Tensor {
  const size = gan.dataShape[0];
  if (images.rank !== 4 || size == null || images.shape[1] === size) return images;
  return tf.tidy(() => tf.image.resizeNearestNeighbor(images as tf.Tensor4D, [size, gan.dataShape[1]!]));
}
