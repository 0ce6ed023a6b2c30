/**
 * The benchmark cases: each a model, a batch and an optimizer, defined once here and mirrored layer for layer by
 * torch/bench_torch.py (same shapes, same batch semantics, Adam with the same settings).
 */
import { dcgan, type GanDef, mlpGan, seedKerasMnist } from '@gankit/models';
import type { TrainConfig } from '@gankit/train';

export interface BenchCase {
  id: string;
  title: string;
  gan: () => GanDef;
  config: TrainConfig;
  /** What one training step counts for the throughput column: examples (the batch) or one step. */
  unit: 'samples/s' | 'steps/s';
  /** Samples per step in `unit` (1 for steps/s). */
  perStep: number;
}

/** One D update on `batchSize` real + `batchSize` fake, one G update on `generatorBatchSize`, Adam(lr, β₁ 0.5). */
const train = (batchSize: number, learningRate: number, generatorBatchSize?: number): TrainConfig => {
  const adam = { kind: 'adam' as const, learningRate, beta1: 0.5, beta2: 0.999 };
  return {
    seed: 1,
    batchSize,
    ...(generatorBatchSize == null ? {} : { generatorBatchSize }),
    loss: 'non-saturating',
    schedule: { dSteps: 1, gSteps: 1 },
    optimizers: { generator: adam, discriminator: adam },
  };
};

/**
 * The seed-002 GAN with the seed's batch semantics at batch B: D updates on B/2 real + B/2 fake, G on B latents
 * (the seed's own run is B = 256: 128 + 128 and 256).
 */
const seed = (batch: number): BenchCase => ({
  id: `seed-${batch}`,
  title: `seed-002 GAN, batch ${batch} (D ${batch / 2}+${batch / 2}, G ${batch})`,
  gan: () => seedKerasMnist(),
  config: train(batch / 2, 2e-4, batch),
  unit: 'samples/s',
  perStep: batch,
});

export const CASES: BenchCase[] = [
  seed(64),
  seed(256),
  {
    id: 'dcgan-32',
    title: 'DCGAN 32×32×3, width 64, batch 64 (D 64+64, G 64)',
    gan: () => dcgan({ imageSize: 32, channels: 3, width: 64, latentDim: 100 }),
    config: train(64, 2e-4),
    unit: 'samples/s',
    perStep: 64,
  },
  {
    id: 'ring8-mlp',
    title: 'ring-8 MLP GAN (3×128 BN MLP, PacGAN 2), batch 128',
    gan: () =>
      mlpGan({
        dataDim: 2,
        latentDim: 2,
        hidden: [128, 128, 128],
        activation: 'relu',
        batchNorm: true,
        pack: 2,
      }),
    config: train(128, 1e-3),
    unit: 'steps/s',
    perStep: 1,
  },
];

export function findCase(id: string): BenchCase {
  const c = CASES.find((x) => x.id === id);
  if (c == null) throw new Error(`unknown case '${id}'; cases: ${CASES.map((x) => x.id).join(', ')}`);
  return c;
}
