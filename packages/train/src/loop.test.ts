import { useBackend } from '@gankit/backends';
import { datasetFromIdx, ImageBatcher, writeIdx } from '@gankit/datasets';
import { readSafetensors } from '@gankit/layers';
import { cgan, mlpGan } from '@gankit/models';
import { describe, expect, it } from 'vitest';
import { restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { MemoryStorage, trainLoop } from './loop.js';
import { imageSource } from './sources.js';
import type { StepLogs } from './step.js';
import { createTrainer } from './trainer.js';

const config: TrainConfig = {
  seed: 5,
  batchSize: 4,
  loss: 'non-saturating',
  schedule: { dSteps: 2, gSteps: 1 },
  optimizers: {
    generator: { kind: 'adam', learningRate: 1e-3, beta1: 0.5 },
    discriminator: { kind: 'adam', learningRate: 1e-3, beta1: 0.5 },
  },
  ema: { decay: 0.9 },
  replay: { size: 6, probability: 0.5 },
  augment: ['translation', 'cutout'],
  realLabel: 0.9,
};

async function tinyDigits() {
  const n = 10;
  const pixels = Uint8Array.from({ length: n * 28 * 28 }, (_, i) => (i * 37) % 251);
  return datasetFromIdx(
    await writeIdx({ dtype: 'uint8', shape: [n, 28, 28], data: pixels }),
    await writeIdx({ dtype: 'uint8', shape: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) }),
    {
      name: 'tiny',
      split: 'train',
      classes: Array.from({ length: 10 }, (_, i) => String(i)),
      source: 'synthetic',
    },
  );
}

const gan = () => cgan({ imageSize: 28, width: 4, latentDim: 8, classes: 10 });
const lossesOf = (logs: StepLogs[]) => logs.map((l) => [l.dLoss, l.gLoss, l.dReal, l.dFake]);

describe.each(['cpu', 'wasm'] as const)('checkpoints and exact resume on %s', (backend) => {
  it('a run resumed from a checkpoint continues with identical losses', async () => {
    await useBackend(backend);
    const ds = await tinyDigits();
    // uninterrupted
    const a = createTrainer(gan(), config);
    const dataA = imageSource(new ImageBatcher(ds, { batchSize: 4, seed: 1 }));
    const straight: StepLogs[] = [];
    await trainLoop(a, dataA, { steps: 6, onStep: (l) => void straight.push(l) });
    a.dispose();
    // interrupted after 3 iterations (abort → final checkpoint), then resumed by a fresh trainer
    const storage = new MemoryStorage();
    const b = createTrainer(gan(), config);
    const dataB = imageSource(new ImageBatcher(ds, { batchSize: 4, seed: 1 }));
    const controller = new AbortController();
    const first: StepLogs[] = [];
    const stopped = await trainLoop(b, dataB, {
      steps: 6,
      storage,
      onStep: (l) => {
        first.push(l);
        if (l.step === 3) controller.abort();
      },
      signal: controller.signal,
    });
    expect(stopped).toMatchObject({ reason: 'aborted', step: 3 });
    b.dispose();
    const c = createTrainer(gan(), config);
    const dataC = imageSource(new ImageBatcher(ds, { batchSize: 4, seed: 1 }));
    restoreCheckpoint(await storage.read(stopped.lastCheckpoint!), c, dataC);
    expect(c.counters).toEqual({ step: 3, dUpdates: 6, gUpdates: 3 });
    const rest: StepLogs[] = [];
    const done = await trainLoop(c, dataC, { steps: 6, storage, onStep: (l) => void rest.push(l) });
    expect(done.reason).toBe('done');
    expect(lossesOf([...first, ...rest])).toEqual(lossesOf(straight));
    c.dispose();
  }, 120_000); // 8.2 s alone
});

describe('what a resume refuses', () => {
  it('a different config (listing the differences), another architecture, or counters out of sync', async () => {
    await useBackend('cpu');
    const ds = await tinyDigits();
    const t = createTrainer(gan(), config);
    const data = imageSource(new ImageBatcher(ds, { batchSize: 4, seed: 1 }));
    await t.step(data);
    const bytes = await saveCheckpoint(t, data);
    const other = createTrainer(gan(), { ...config, batchSize: 2, schedule: { dSteps: 1, gSteps: 1 } });
    expect(() => restoreCheckpoint(bytes, other, data)).toThrow(
      /different config:\n {2}config.batchSize: 4 → 2\n {2}config.schedule.dSteps: 2 → 1/,
    );
    const mlp = createTrainer(mlpGan(), config);
    expect(() => restoreCheckpoint(bytes, mlp, data)).toThrow(
      /checkpoint is of a cgan-28 GAN, this run builds mlp/,
    );
    // tamper with the counters
    const file = readSafetensors(bytes);
    const tampered = retag(bytes, {
      ...file.metadata,
      counters: JSON.stringify({ step: 1, dUpdates: 2, gUpdates: 5 }),
    });
    expect(() => restoreCheckpoint(tampered, t, data)).toThrow(/counters are out of sync/);
    expect(() => restoreCheckpoint(new Uint8Array([1, 2, 3]), t, data)).toThrow(/not a safetensors file/);
    for (const x of [t, other, mlp]) x.dispose();
  });

  it('the loop keeps the last K checkpoints and stops cleanly on divergence', async () => {
    await useBackend('cpu');
    const ds = await tinyDigits();
    const t = createTrainer(gan(), config);
    const batcher = new ImageBatcher(ds, { batchSize: 4, seed: 1 });
    const storage = new MemoryStorage();
    await trainLoop(t, imageSource(batcher), { steps: 5, storage, checkpointEvery: 1, keep: 2 });
    expect(await storage.list()).toEqual(['ckpt-000000004.safetensors', 'ckpt-000000005.safetensors']);
    // inject NaN into the data: the guard reports and stops; no update was applied
    const poisoned = imageSource(batcher);
    const next = poisoned.next;
    poisoned.next = () => {
      const b = next();
      const x = b.x!.mul(Number.NaN);
      b.x!.dispose();
      return { ...b, x };
    };
    const seen: string[][] = [];
    const result = await trainLoop(t, poisoned, {
      steps: 10,
      storage,
      onDivergenceDetected: (logs, action) => void seen.push([...logs.nonFinite, action]),
    });
    expect(result.reason).toBe('diverged');
    expect(seen).toEqual([['discriminator loss or gradients', 'stop']]);
    t.dispose();
  });

  it('epochs: a pass over the data is batchesPerEpoch real batches, dSteps of them per iteration', async () => {
    await useBackend('cpu');
    const ds = await tinyDigits(); // 10 examples, batches of 4 (drop-last): 2 per epoch
    const t = createTrainer(gan(), config); // dSteps 2
    const source = imageSource(new ImageBatcher(ds, { batchSize: 4, seed: 1 }));
    const result = await trainLoop(t, source, { epochs: 3 });
    expect(result.step).toBe(3);
    await expect(trainLoop(t, source, {})).rejects.toThrow(/either steps or epochs/);
    t.dispose();
  });

  it('rolls back to the last good checkpoint and carries on after a one-off NaN', async () => {
    await useBackend('cpu');
    const ds = await tinyDigits();
    const t = createTrainer(gan(), config);
    const source = imageSource(new ImageBatcher(ds, { batchSize: 4, seed: 1 }));
    const next = source.next;
    let calls = 0;
    source.next = () => {
      const b = next();
      if (++calls !== 5) return b; // the 5th real batch (the 3rd iteration's first D update) is poisoned once
      const x = b.x!.mul(Number.NaN);
      b.x!.dispose();
      return { ...b, x };
    };
    const storage = new MemoryStorage();
    const actions: string[] = [];
    const result = await trainLoop(t, source, {
      steps: 4,
      storage,
      checkpointEvery: 1,
      onDivergence: 'rollback',
      onDivergenceDetected: (_logs, action) => void actions.push(action),
    });
    expect(actions).toEqual(['rollback']);
    expect(result).toMatchObject({ reason: 'done', step: 4, rollbacks: 1 });
    t.dispose();
  });
});

/** A copy of a safetensors file with other metadata (to simulate a corrupt or edited checkpoint). */
function retag(bytes: Uint8Array, metadata: Record<string, string>): Uint8Array {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  header.__metadata__ = metadata;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + bytes.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(bytes.subarray(8 + n), 8 + head.length);
  return out;
}
