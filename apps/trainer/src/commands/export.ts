import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import { exportGenerator } from '@gankit/models';
import { COMMON_FLAGS, type Flags, parseCommand, RUN_BACKEND_FLAGS } from '../args.js';
import { EXIT, UsageError } from '../errors.js';
import type { MainIO } from '../main.js';
import { Output } from '../output.js';
import { restoreRun } from '../session.js';
import { generatorWeights, manifestFor } from '../training.js';

export const EXPORT_FLAGS: Flags = {
  out: {
    kind: 'string',
    value: 'DIR',
    help: 'folder for generator.safetensors and generator.json (required)',
  },
  force: { kind: 'boolean', help: 'overwrite an existing export there' },
  ...RUN_BACKEND_FLAGS,
  ...COMMON_FLAGS,
};

export async function exportCommand(argv: string[], io: MainIO): Promise<number> {
  const { cwd } = io;
  const parsed = parseCommand('export', argv, {
    stdout: io.stdout,
    usage: 'gankit export DIR --out DIR',
    summary: 'Writes the generator for the browser demo: one safetensors file with its manifest.',
    flags: EXPORT_FLAGS,
    positionals: { min: 1, max: 1, names: 'a run folder (DIR)' },
  });
  if (parsed == null) return EXIT.ok;
  const { values, positionals } = parsed;
  const out = new Output(Boolean(values.json), io);
  if (values.out == null) throw new UsageError('gankit export needs --out DIR');
  const target = resolve(cwd, values.out as string);
  const file = resolve(target, 'generator.safetensors');
  if (existsSync(target) && !existsSync(file) && readdirSync(target).length > 0 && !values.force)
    throw new UsageError(
      `--out ${values.out} exists and holds other files; choose an empty folder or pass --force`,
    );
  if (existsSync(file) && !values.force) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  const { session, folder } = await restoreRun(
    resolve(cwd, positionals[0]!),
    values.backend as string | undefined,
    'loaded',
  );
  const step = session.trainer.counters.step;
  try {
    const manifest = manifestFor(session, session.config, { exportedFrom: folder.dir });
    const bytes = await exportGenerator(generatorWeights(session), manifest);
    await writeFileAtomic(file, bytes);
    await writeFileAtomic(
      resolve(target, 'generator.json'),
      new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    );
    out.line(
      `exported ${manifest.architecture} at step ${step} (${(bytes.length / 1024).toFixed(0)} KiB) to ${file}`,
    );
    out.result({
      command: 'export',
      file,
      manifest: resolve(target, 'generator.json'),
      bytes: bytes.length,
      step,
    });
    return EXIT.ok;
  } finally {
    session.trainer.dispose();
  }
}
