import { resolve } from 'node:path';
import type { ActiveBackend } from '@gankit/backends';
import type { LrSchedule } from '@gankit/train';
import { COMMON_FLAGS, type Flags, type FlagValues, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { describeBackend } from '../backend.js';
import { type AnyRunConfig, isCycle, isPaired, type RunSettings } from '../config.js';
import { type CycleSession, restoreCycleRun } from '../cycle-session.js';
import { cycleHeader, trainCycleSession } from '../cycle-training.js';
import { EXIT, UsageError } from '../errors.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { type PairedSession, restorePairedRun } from '../paired-session.js';
import { pairedHeader, trainPairedSession } from '../paired-training.js';
import { RunFolder } from '../run-folder.js';
import { restoreRun } from '../session.js';
import { header, trainSession } from '../training.js';

export const RESUME_FLAGS: Flags = {
  steps: { kind: 'positive-int', value: 'N', help: 'train until step N (default: the configured length)' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

export async function resumeCommand(argv: string[], io: MainIO): Promise<number> {
  const { cwd } = io;
  const parsed = parseCommand('resume', argv, {
    stdout: io.stdout,
    usage: 'gankit resume DIR [--steps N]',
    summary: 'Continues a run from its latest checkpoint.',
    flags: RESUME_FLAGS,
    positionals: { min: 1, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json), io);
  const dir = resolve(cwd, positionals[0]!);
  const opened = (await RunFolder.open(dir)).config;
  if (isCycle(opened)) return resumeTranslation(CYCLE, dir, values, out, cwd);
  if (isPaired(opened)) return resumeTranslation(PAIRED, dir, values, out, cwd);
  const { session, folder, checkpoint, backend } = await restoreRun(
    resolve(cwd, positionals[0]!),
    values.backend as string | undefined,
    'resumed',
  );
  const { config } = session;
  const at = session.trainer.counters.step;
  extendRun(config, at, values.steps as number | undefined, () => session.trainer.dispose());
  header(out, session, describeBackend(backend));
  out.line(`resuming ${folder.dir} from ${checkpoint} (step ${at})`);
  if (values.steps != null) await folder.writeConfig(config);
  await folder.truncateMetrics(at);
  return trainSession(session, folder, out, cwd);
}

/** A translation run's session kind, as resuming needs it: how it is restored, announced and trained. */
interface Resumable<
  S extends { config: AnyRunConfig; trainer: { state: { counters: { step: number } }; dispose(): void } },
> {
  restore(
    dir: string,
    backend: string | undefined,
    verb: string,
  ): Promise<{
    session: S;
    folder: RunFolder;
    checkpoint: string;
    backend: ActiveBackend;
  }>;
  header(out: Output, session: S, backend: string): void;
  train(session: S, folder: RunFolder, out: Output, cwd: string): Promise<number>;
}

const PAIRED: Resumable<PairedSession> = {
  restore: restorePairedRun,
  header: pairedHeader,
  train: trainPairedSession,
};
const CYCLE: Resumable<CycleSession> = {
  restore: restoreCycleRun,
  header: cycleHeader,
  train: trainCycleSession,
};

async function resumeTranslation<S extends PairedSession | CycleSession>(
  kind: Resumable<S>,
  dir: string,
  values: FlagValues,
  out: Output,
  cwd: string,
): Promise<number> {
  const { session, folder, checkpoint, backend } = await kind.restore(
    dir,
    values.backend as string | undefined,
    'resumed',
  );
  const { config } = session;
  const at = session.trainer.state.counters.step;
  extendRun(config, at, values.steps as number | undefined, () => session.trainer.dispose());
  kind.header(out, session, describeBackend(backend));
  out.line(`resuming ${folder.dir} from ${checkpoint} (step ${at})`);
  if (values.steps != null) await folder.writeConfig(config);
  await folder.truncateMetrics(at);
  return kind.train(session, folder, out, cwd);
}

/**
 * `--steps N`: the run's new length, past where it is (else bad input, the session let go by `release`). A linear
 * learning-rate decay that spanned the run (or its second half) is stretched to span the new length, as `train
 * --steps` does — else the added steps would train at its final rate.
 */
function extendRun(
  config: { run: RunSettings; train: { lrSchedule?: LrSchedule } },
  at: number,
  steps: number | undefined,
  release: () => void,
): void {
  if (steps == null) return;
  if (steps <= at) {
    release();
    throw new UsageError(`the run is already at step ${at}; --steps must be larger`);
  }
  const { run } = config;
  const s = config.train.lrSchedule;
  if (s?.kind === 'linear' && run.steps != null && s.totalSteps === run.steps) {
    if (s.start === Math.floor(run.steps / 2)) s.start = Math.floor(steps / 2);
    s.totalSteps = steps;
  }
  run.steps = steps;
  run.epochs = undefined;
}
