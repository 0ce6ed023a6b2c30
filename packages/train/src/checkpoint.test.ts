import { readFileSync } from 'node:fs';
import { useBackend } from '@gankit/backends';
import { ring8 } from '@gankit/datasets';
import { mlpGan } from '@gankit/models';
import { describe, expect, it } from 'vitest';
import { growingGenerator } from '../test/growing.js';
import { restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { TrainConfig } from './config.js';
import type { GanProblem } from './problem.js';
import { toySource } from './sources.js';
import { createTrainer, trainProblem } from './trainer.js';

const fixture = (name: string) => new URL(`../test/fixtures/${name}`, import.meta.url);
const logsOf = (l: { dLoss: number; gLoss: number; dReal: number; dFake: number }) => ({
  dLoss: l.dLoss,
  gLoss: l.gLoss,
  dReal: l.dReal,
  dFake: l.dFake,
});

describe('checkpoints', () => {
  it('a checkpoint of the format before problems (gankit-checkpoint/1) loads and continues exactly', async () => {
    await useBackend('cpu');
    const { config, next } = JSON.parse(readFileSync(fixture('v1-checkpoint.json'), 'utf8')) as {
      config: TrainConfig;
      next: ReturnType<typeof logsOf>[];
    };
    const t = createTrainer(mlpGan({ dataDim: 2, latentDim: 2, hidden: [8] }), config);
    const data = toySource(ring8(), 16, 3);
    restoreCheckpoint(new Uint8Array(readFileSync(fixture('v1-checkpoint.safetensors'))), t, data);
    expect(t.counters).toEqual({ step: 3, dUpdates: 6, gUpdates: 3 });
    expect(t.replay!.length).toBe(32);
    const after = [logsOf(await t.step(data)), logsOf(await t.step(data))];
    expect(after).toEqual(next);
    t.dispose();
  });

  describe.each(['cpu', 'wasm'] as const)('a phased run on %s', (backend) => {
    it('resumes exactly in the middle of a fade-in, from the last checkpoint after a crash', async () => {
      await useBackend(backend);
      const gan = mlpGan({ dataDim: 2, latentDim: 2, hidden: [16] });
      const base = createTrainer(gan, { seed: 6, batchSize: 16, ema: { decay: 0.9 } });
      const problem: GanProblem = {
        ...base.problem,
        networks: {
          ...base.problem.networks,
          G: { ...base.problem.networks.G!, def: growingGenerator(gan, 1) },
        },
        phases: [
          { name: 'small', steps: 6 },
          { name: 'grown', networks: { G: growingGenerator(gan, 2) }, fade: 6, optimizers: 'reset' },
        ],
        config: { seed: 6, phases: 'small 6, grown with a fade of 6' },
      };
      base.dispose();
      const whole = trainProblem(problem);
      const data = toySource(ring8(), 16, 6);
      const wholeLogs: Awaited<ReturnType<typeof whole.step>>[] = [];
      let saved: Uint8Array | undefined;
      for (let i = 0; i < 14; i++) {
        if (i === 9) saved = await saveCheckpoint(whole, data); // phase 'grown', α = 0.5
        wholeLogs.push(await whole.step(data));
      }
      whole.dispose();
      // a crash after step 12: the run restarts from the checkpoint of step 9
      const resumed = trainProblem(problem);
      const again = toySource(ring8(), 16, 6);
      restoreCheckpoint(saved!, resumed, again);
      expect(resumed.state.phase).toBe(1);
      expect(Object.keys(resumed.state.networks.G!.params)).toContain('block1');
      const resumedLogs = [];
      for (let i = 9; i < 14; i++) resumedLogs.push(await resumed.step(again));
      const strip = (l: (typeof wholeLogs)[number]) => ({ ...l, stepMs: 0 });
      expect(resumedLogs.map(strip)).toEqual(wholeLogs.slice(9).map(strip));
      expect(resumedLogs[0]!.phase).toEqual({ index: 1, name: 'grown', alpha: 0.5 });
      resumed.dispose();
    });
  });
});
