/** A run in memory — its GAN, trainer and data — new from a config, or restored from a run folder's checkpoint. */
import type { ActiveBackend } from '@gankit/backends';
import { type GanDef, ganFromSpec } from '@gankit/models';
import {
  type Checkpointable,
  createTrainer,
  type DataSource,
  restoreCheckpoint,
  type Trainer,
} from '@gankit/train';
import { checkBackend, startBackend } from './backend.js';
import { type BackendChoice, isCycle, isPaired, type RunConfig } from './config.js';
import { openData, type RunData } from './data.js';
import { UsageError } from './errors.js';
import { RunFolder } from './run-folder.js';

export function buildGan(config: RunConfig): GanDef {
  try {
    return ganFromSpec(config.model);
  } catch (err) {
    throw new UsageError(`model: ${(err as Error).message}`);
  }
}

/** Everything a run needs in memory: the networks and optimisers, and the data. */
export interface Session {
  config: RunConfig;
  gan: GanDef;
  trainer: Trainer;
  data: RunData;
}

export async function openSession(config: RunConfig): Promise<Session> {
  const gan = buildGan(config);
  const data = await openData(config.data.dataset, gan, config.train.batchSize, config.train.seed);
  let trainer: Trainer;
  try {
    trainer = createTrainer(gan, config.train);
  } catch (err) {
    // the schema's messages name their path from `config.` already
    const message = (err as Error).message;
    throw new UsageError(message.startsWith('config.') ? message : `config: ${message}`);
  }
  return { config, gan, trainer, data };
}

/**
 * A run folder's session at its latest checkpoint (interrupted runs included), on the run's backend or `backend`.
 * A checkpoint that cannot be restored is bad input; `verb` says what it could not be (resumed, loaded).
 */
export async function restoreRun(
  dir: string,
  backend: string | undefined,
  verb: string,
): Promise<{ session: Session; folder: RunFolder; checkpoint: string; backend: ActiveBackend }> {
  const { folder, config } = await RunFolder.open(dir);
  if (isCycle(config))
    throw new UsageError(
      `${dir} is an unpaired translation run (${config.model.family}), which has no noise to sample: ` +
        `\`gankit translate ${dir} --direction a2b|b2a --input FILE|FOLDER --out FILE|FOLDER\` applies a generator; \`resume\`, \`evaluate\` and \`export\` work on it too`,
    );
  if (isPaired(config))
    throw new UsageError(
      `${dir} is an image-to-image run (${config.model.family}), which has no noise to sample or W space: ` +
        `\`gankit translate ${dir} --input FILE|FOLDER --out FILE|FOLDER\` applies its generator; \`resume\`, \`evaluate\` and \`export\` work on it too`,
    );
  return {
    folder,
    ...(await restoreLatest(folder, config.run.backend, backend, verb, () => openSession(config))),
  };
}

/**
 * A session opened by `open` on the run's backend (or `backend`) at the folder's latest checkpoint; a checkpoint that
 * cannot be restored is bad input, and `verb` says what it could not be (resumed, loaded).
 */
export async function restoreLatest<
  S extends { trainer: Checkpointable & { dispose(): void }; data: { source: DataSource } },
>(
  folder: RunFolder,
  runBackend: BackendChoice,
  backend: string | undefined,
  verb: string,
  open: () => Promise<S>,
): Promise<{ session: S; checkpoint: string; backend: ActiveBackend }> {
  const checkpoint = await folder.latestCheckpoint();
  const bytes = await folder.checkpoints.read(checkpoint);
  const active = await startBackend(backend != null ? checkBackend(backend) : runBackend);
  const session = await open();
  try {
    restoreCheckpoint(bytes, session.trainer, session.data.source);
  } catch (err) {
    session.trainer.dispose();
    throw new UsageError(
      `${folder.dir}/checkpoints/${checkpoint} cannot be ${verb}: ${(err as Error).message}`,
    );
  }
  return { session, checkpoint, backend: active };
}
