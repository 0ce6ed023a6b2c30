// Made once, with the train package as it was before problems (format gankit-checkpoint/1): a small MLP GAN
// with EMA and replay after 3 steps on cpu, and the logs of the 2 steps that followed. checkpoint.test.ts loads it.
import { writeFileSync } from 'node:fs';
import { useBackend } from '@gankit/backends';
import { ring8 } from '@gankit/datasets';
import { mlpGan } from '@gankit/models';
import { createTrainer, saveCheckpoint, toySource } from '../src/index.js';

await useBackend('cpu');
const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [8] });
const config = {
  seed: 3,
  batchSize: 16,
  loss: 'non-saturating' as const,
  schedule: { dSteps: 2, gSteps: 1 },
  optimizers: {
    generator: { kind: 'adam' as const, learningRate: 1e-3, beta1: 0.5 },
    discriminator: { kind: 'adam' as const, learningRate: 1e-3, beta1: 0.5 },
  },
  ema: { decay: 0.9 },
  replay: { size: 32, probability: 0.5 },
};
const t = createTrainer(gan, config);
const data = toySource(ring8(), 16, 3);
for (let i = 0; i < 3; i++) await t.step(data);
const bytes = await saveCheckpoint(t, data);
const next = [];
for (let i = 0; i < 2; i++) {
  const l = await t.step(data);
  next.push({ dLoss: l.dLoss, gLoss: l.gLoss, dReal: l.dReal, dFake: l.dFake });
}
const dir = new URL('./fixtures/', import.meta.url);
writeFileSync(new URL('v1-checkpoint.safetensors', dir), bytes);
writeFileSync(new URL('v1-checkpoint.json', dir), `${JSON.stringify({ config, next }, null, 2)}\n`);
console.log(`wrote ${bytes.length} bytes`);
