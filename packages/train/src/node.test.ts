import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBackend } from '@gankit/backends';
import { ring8 } from '@gankit/datasets';
import { mlpGan } from '@gankit/models';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreCheckpoint } from './checkpoint.js';
import { trainLoop } from './loop.js';
import { FileStorage } from './node.js';
import { toySource } from './sources.js';
import { createTrainer } from './trainer.js';

const dir = mkdtempSync(join(tmpdir(), 'gankit-train-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('@gankit/train/node', () => {
  it('FileStorage keeps checkpoints as files (atomic writes, the last K kept) that a new trainer resumes from', async () => {
    await useBackend('cpu');
    const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [8] });
    const storage = new FileStorage(join(dir, 'checkpoints'));
    expect(await storage.list()).toEqual([]);
    const t = createTrainer(gan, { seed: 2, batchSize: 16 });
    const result = await trainLoop(t, toySource(ring8(), 16, 2), {
      steps: 6,
      storage,
      checkpointEvery: 2,
      keep: 2,
    });
    expect(result.lastCheckpoint).toBe('ckpt-000000006.safetensors');
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual([
      'ckpt-000000004.safetensors',
      'ckpt-000000006.safetensors',
    ]);
    const again = createTrainer(gan, { seed: 2, batchSize: 16 });
    restoreCheckpoint(await storage.read(result.lastCheckpoint!), again, toySource(ring8(), 16, 2));
    expect(again.counters).toEqual(t.counters);
    await storage.remove('ckpt-000000004.safetensors');
    expect(existsSync(join(dir, 'checkpoints', 'ckpt-000000004.safetensors'))).toBe(false);
    await expect(storage.read('nope.safetensors')).rejects.toThrow(/no checkpoint named nope.safetensors in/);
    t.dispose();
    again.dispose();
  });
});
