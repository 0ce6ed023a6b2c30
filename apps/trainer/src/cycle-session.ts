/** An unpaired run in memory: its model, trainer and domains — new from a config, or restored from a run folder. */
import type { ActiveBackend } from '@gankit/backends';
import { type FeatureExtractor, loadShippedExtractor } from '@gankit/metrics';
import { type CycleDef, cycleFromSpec } from '@gankit/models';
import { type CycleTrainer, createCycleTrainer } from '@gankit/train';
import { isCycle } from './config.js';
import { type CycleRunData, openCycleData } from './cycle-data.js';
import type { CycleRunConfig } from './cycle-run-config.js';
import { UsageError } from './errors.js';
import { RunFolder } from './run-folder.js';
import { restoreLatest } from './session.js';

export interface CycleSession {
  kind: 'cycle';
  config: CycleRunConfig;
  def: CycleDef;
  trainer: CycleTrainer;
  data: CycleRunData;
  /** The shipped classifier both domains are read by (class preservation, FID), when one fits them. */
  extractor?: FeatureExtractor;
  /** Why it is missing. */
  extractorNote?: string;
}

export async function openCycleSession(config: CycleRunConfig): Promise<CycleSession> {
  let def: CycleDef;
  try {
    def = cycleFromSpec(config.model);
  } catch (err) {
    throw new UsageError(`model: ${(err as Error).message}`);
  }
  const data = await openCycleData(config, def);
  let trainer: CycleTrainer;
  try {
    // the run's config is complete: a key it leaves out is off (not the library's CycleGAN default)
    const t = config.train;
    trainer = createCycleTrainer(def, {
      ...t,
      identity: t.identity ?? null,
      pool: t.pool ?? null,
      discriminatorWeight: t.discriminatorWeight ?? 1,
    });
  } catch (err) {
    const message = (err as Error).message;
    throw new UsageError(
      message.startsWith('config.') ? `train.${message.slice('config.'.length)}` : `train: ${message}`,
    );
  }
  const ra = data.a.reader;
  const rb = data.b.reader;
  let extractor: FeatureExtractor | undefined;
  let extractorNote: string | undefined;
  if (ra && rb && ra.extractor === rb.extractor)
    try {
      extractor = await loadShippedExtractor(ra.extractor);
    } catch (err) {
      extractorNote = `the shipped ${ra.extractor} classifier did not load (${(err as Error).message})`;
    }
  else
    extractorNote =
      'no shipped classifier reads both domains (their images must be labelled MNIST or Fashion-MNIST): the cycle’s numbers only';
  return {
    kind: 'cycle',
    config,
    def,
    trainer,
    data,
    ...(extractor ? { extractor } : {}),
    ...(extractorNote ? { extractorNote } : {}),
  };
}

/** An unpaired run folder's session at its latest checkpoint, on the run's backend or `backend`. */
export async function restoreCycleRun(
  dir: string,
  backend: string | undefined,
  verb: string,
): Promise<{ session: CycleSession; folder: RunFolder; checkpoint: string; backend: ActiveBackend }> {
  const { folder, config } = await RunFolder.open(dir);
  if (!isCycle(config)) throw new UsageError(`${dir} is not an unpaired (CycleGAN, DiscoGAN) run`);
  return {
    folder,
    ...(await restoreLatest(folder, config.run.backend, backend, verb, () => openCycleSession(config))),
  };
}
