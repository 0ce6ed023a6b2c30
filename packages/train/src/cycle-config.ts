/** The config of an unpaired translation run (CycleGAN, DiscoGAN): plain data, checked by one schema. */
import { ADVERSARIAL_LOSSES, type AdversarialLossName } from '@gankit/losses';
import type { z } from 'zod';
import { configFields as f } from './config-fields.js';
import { parseWithSchema } from './config-problems.js';
import { lrScheduleSchema, optimizerSchema } from './config-schema.js';
import type { LrSchedule, OptimizerConfig } from './optim.js';

export interface CycleConfig {
  seed: number;
  /** Images of each domain per update. */
  batchSize: number;
  /** The adversarial loss by name (CycleGAN: `least-squares`; DiscoGAN: `non-saturating`). */
  loss: AdversarialLossName;
  /** One optimiser for both generators, one for both discriminators. */
  optimizers: { generator: OptimizerConfig; discriminator: OptimizerConfig };
  /** CycleGAN: constant for the first half, linear to 0 over the second (`{ kind: 'linear', start, totalSteps }`). */
  lrSchedule?: LrSchedule;
  /** Weight of each D's loss (CycleGAN halves it: 0.5). */
  discriminatorWeight?: number;
  /** The cycle-consistency terms ‖F(G(a)) − a‖ and ‖G(F(b)) − b‖, each × weight (CycleGAN: L1 × 10). */
  cycle: { norm: 'l1' | 'l2'; weight: number };
  /**
   * The identity terms ‖G(b) − b‖ and ‖F(a) − a‖ (CycleGAN: L1 × 0.5 λ = 5): G is asked to leave images already in
   * its target domain alone, which keeps it from inverting colours. Absent: none (DiscoGAN, the paper's ablation).
   */
  identity?: { weight: number };
  /**
   * Each D also sees past fakes of its domain (Shrivastava et al. 2017): a pool of `size` per D, a fake swapped for
   * a pooled one with `probability` (CycleGAN: 50 and 0.5). Absent: D sees only the current fakes.
   */
  pool?: { size: number; probability: number };
}

const LOSS_NAMES = Object.keys(ADVERSARIAL_LOSSES) as [AdversarialLossName, ...AdversarialLossName[]];

export const cycleConfigSchema = f.object({
  seed: f.nonNegativeInt,
  batchSize: f.positiveInt,
  loss: f.choice(LOSS_NAMES),
  optimizers: f.object({ generator: optimizerSchema, discriminator: optimizerSchema }),
  lrSchedule: lrScheduleSchema.optional(),
  discriminatorWeight: f.positive.optional(),
  cycle: f.object({ norm: f.choice(['l1', 'l2']), weight: f.positive }),
  identity: f.object({ weight: f.positive }).optional(),
  pool: f
    .object({ size: f.positiveInt, probability: f.number('a number in [0, 1]', (n) => n >= 0 && n <= 1) })
    .optional(),
});

/** CycleGAN's settings: LSGAN, Adam 2e-4 β₁ 0.5, D's loss halved, cycle L1 × 10, identity × 5, pools of 50 at ½. */
export const CYCLE_DEFAULTS = {
  seed: 0,
  batchSize: 8,
  loss: 'least-squares',
  optimizers: {
    generator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
    discriminator: { kind: 'adam', learningRate: 2e-4, beta1: 0.5 },
  },
  discriminatorWeight: 0.5,
  cycle: { norm: 'l1', weight: 10 },
  identity: { weight: 5 },
  pool: { size: 50, probability: 0.5 },
} as const satisfies CycleConfig;

/**
 * A whole config from the parts given (the rest from {@link CYCLE_DEFAULTS}), checked. `identity` and `pool` given
 * as `null` are left out.
 */
export function resolveCycleConfig(
  parts: Partial<Omit<CycleConfig, 'identity' | 'pool'>> & {
    identity?: CycleConfig['identity'] | null;
    pool?: CycleConfig['pool'] | null;
  } = {},
  root = 'config',
): CycleConfig {
  const merged: Record<string, unknown> = {
    ...CYCLE_DEFAULTS,
    ...parts,
    optimizers: {
      generator: { ...CYCLE_DEFAULTS.optimizers.generator, ...parts.optimizers?.generator },
      discriminator: { ...CYCLE_DEFAULTS.optimizers.discriminator, ...parts.optimizers?.discriminator },
    },
  };
  for (const key of ['identity', 'pool'] as const) if (merged[key] === null) delete merged[key];
  return parseWithSchema(cycleConfigSchema, merged, root) as CycleConfig;
}

// the schema and the documented type agree (a change to one alone fails to compile)
type Output = z.output<typeof cycleConfigSchema>;
type Agree<T extends readonly true[]> = T;
export type CycleSchemaAgrees = Agree<
  [Output extends CycleConfig ? true : false, CycleConfig extends Output ? true : false]
>;
