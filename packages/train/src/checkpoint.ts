import {
  loadTreesFromFile,
  type ParamTree,
  readSafetensors,
  replaceState,
  type StateTree,
  saveTrees,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from './optim.js';
import type { DataSource, Trainer } from './trainer.js';

export const CHECKPOINT_FORMAT = 'gankit-checkpoint/1';

/**
 * A checkpoint is one safetensors file with everything a run is: G and D parameters and state, the EMA weights,
 * both optimisers' slots and update counts, the replay pool, and — as metadata — the resolved config, the step
 * counters and the data iterator's position. Randomness is keyed by (seed, step), so the counters are its state.
 */
export async function saveCheckpoint(trainer: Trainer, data: DataSource): Promise<Uint8Array> {
  const { params, state } = trees(trainer);
  const pool = trainer.replay?.toTensor() ?? null;
  if (pool) (state as Record<string, StateTree>).replay = { pool };
  const bytes = await saveTrees(
    { params, state },
    {
      format: CHECKPOINT_FORMAT,
      architecture: trainer.gan.architecture,
      config: JSON.stringify(trainer.config),
      counters: JSON.stringify(trainer.counters),
      optimizerIterations: JSON.stringify({
        generator: trainer.gOpt.iterations,
        discriminator: trainer.dOpt.iterations,
      }),
      data: JSON.stringify(data.state() ?? null),
    },
  );
  pool?.dispose();
  return bytes;
}

function slotTree(opt: Optimizer): StateTree {
  return Object.fromEntries(opt.slots);
}

function trees(trainer: Trainer): { params: ParamTree; state: StateTree } {
  const params: ParamTree = { G: trainer.G.params, D: trainer.D.params };
  if (trainer.ema) params.ema = trainer.ema.params;
  const state: StateTree = {
    G: trainer.G.state,
    D: trainer.D.state,
    optG: slotTree(trainer.gOpt),
    optD: slotTree(trainer.dOpt),
  };
  return { params, state };
}

/** Lists how two JSON values differ, as `path: saved → current` lines. */
export function configDifferences(saved: unknown, current: unknown, path = 'config'): string[] {
  if (JSON.stringify(saved) === JSON.stringify(current)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> =>
    v != null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(saved) && isObj(current)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].sort();
    return keys.flatMap((k) => configDifferences(saved[k], current[k], `${path}.${k}`));
  }
  return [`${path}: ${JSON.stringify(saved)} → ${JSON.stringify(current)}`];
}

/**
 * Restores a checkpoint into a trainer built with the same GAN and config (and its data source), so that the run
 * continues exactly where it stopped. Refuses — changing nothing — a file of another format, architecture or
 * config (listing the differences), or with G and D counters out of step with the schedule.
 */
export function restoreCheckpoint(bytes: Uint8Array, trainer: Trainer, data: DataSource): void {
  const file = readSafetensors(bytes);
  const meta = file.metadata;
  if (meta.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `not a gankit checkpoint (format '${meta.format ?? 'none'}', expected '${CHECKPOINT_FORMAT}')`,
    );
  }
  if (meta.architecture !== trainer.gan.architecture) {
    throw new Error(
      `the checkpoint is of a ${meta.architecture} GAN, this run builds ${trainer.gan.architecture}`,
    );
  }
  const differences = configDifferences(JSON.parse(meta.config ?? 'null'), trainer.config);
  if (differences.length > 0) {
    throw new Error(`the checkpoint was made with a different config:\n  ${differences.join('\n  ')}`);
  }
  const counters = JSON.parse(meta.counters ?? 'null') as Trainer['counters'] | null;
  const { dSteps, gSteps } = trainer.config.schedule;
  if (
    counters == null ||
    counters.dUpdates !== counters.step * dSteps ||
    counters.gUpdates !== counters.step * gSteps
  ) {
    throw new Error(
      `the checkpoint's counters are out of sync: ${JSON.stringify(counters)} after ${counters?.step} iterations of ` +
        `${dSteps} D and ${gSteps} G updates — the file is corrupt or was edited`,
    );
  }
  const pool = file.tensors.get('state/replay/pool');
  file.tensors.delete('state/replay/pool');
  const { state } = loadTreesFromFile(file, trees(trainer));
  trainer.G.state = replaceState(trainer.G.state, state.G as StateTree);
  trainer.D.state = replaceState(trainer.D.state, state.D as StateTree);
  for (const [opt, saved] of [
    [trainer.gOpt, state.optG],
    [trainer.dOpt, state.optD],
  ] as const) {
    for (const [name, t] of Object.entries(saved as StateTree)) {
      opt.slots.get(name)?.dispose();
      opt.slots.set(name, tf.keep(t as tf.Tensor));
    }
  }
  const iterations = JSON.parse(meta.optimizerIterations ?? '{}') as {
    generator: number;
    discriminator: number;
  };
  trainer.gOpt.iterations = iterations.generator;
  trainer.dOpt.iterations = iterations.discriminator;
  if (trainer.replay) {
    const stacked = pool ? tf.tensor(pool.data, pool.shape, pool.dtype) : null;
    trainer.replay.load(stacked);
    stacked?.dispose();
  }
  data.restore(JSON.parse(meta.data ?? 'null'));
  Object.assign(trainer.counters, counters);
}
