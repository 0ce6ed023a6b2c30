import { resolve } from 'node:path';
import { COMMON_FLAGS, type Flags, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { describeBackend } from '../backend.js';
import { EXIT, UsageError } from '../errors.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
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
  const { session, folder, checkpoint, backend } = await restoreRun(
    resolve(cwd, positionals[0]!),
    values.backend as string | undefined,
    'resumed',
  );
  const { config } = session;
  const at = session.trainer.counters.step;
  if (values.steps != null) {
    if ((values.steps as number) <= at) {
      session.trainer.dispose();
      throw new UsageError(`the run is already at step ${at}; --steps must be larger`);
    }
    config.run.steps = values.steps as number;
    config.run.epochs = undefined;
  }
  header(out, session, describeBackend(backend));
  out.line(`resuming ${folder.dir} from ${checkpoint} (step ${at})`);
  if (values.steps != null) await folder.writeConfig(config);
  await folder.truncateMetrics(at);
  return trainSession(session, folder, out, cwd);
}
