// The gankit command line as a function: dispatch and the exit-code contract (cli.ts runs it as a process).
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { generateCommand } from './commands/generate.js';
import { presetsCommand } from './commands/presets.js';
import { resumeCommand } from './commands/resume.js';
import { trainCommand } from './commands/train.js';
import { translateCommand } from './commands/translate.js';
import { EXIT, UsageError, unknownChoice } from './errors.js';
import type { Stream } from './output.js';

const COMMANDS: Record<string, (argv: string[], io: MainIO) => Promise<number>> = {
  train: trainCommand,
  resume: resumeCommand,
  evaluate: evaluateCommand,
  generate: generateCommand,
  translate: translateCommand,
  export: exportCommand,
  presets: presetsCommand,
};

const USAGE = `gankit — GANs on TensorFlow.js

usage:
  gankit train [--preset NAME] [--config FILE] [--steps N] [--dataset NAME] [--backend NAME] [--out DIR] …
  gankit resume DIR [--steps N]
  gankit evaluate DIR [--metrics fid,kid,prdc,classifier-score] [--samples N]
  gankit evaluate --real mnist
  gankit generate DIR --n 64 --out FILE.png [--class K] [--truncation T|ψ] [--interpolate | --mix]
  gankit translate DIR --input FILE|FOLDER --out FILE|FOLDER [--mask FILE|centre]
  gankit export DIR --out DIR
  gankit presets [show NAME]

Every command takes --json (a machine-readable result on stdout) and --help.
Exit codes: 0 ok, 1 failure, 2 bad input, 130 interrupted (a checkpoint was saved).
`;

/** Where a command line runs: the folder its paths are relative to, and where its output and errors go. */
export interface MainIO {
  cwd: string;
  stdout: Stream;
  stderr: Stream;
}

/** Runs one command line; returns the exit code. The CLI's entry (cli.ts) is this with the process's streams. */
export async function main(argv: string[], io: Partial<MainIO> = {}): Promise<number> {
  const {
    cwd = process.env.INIT_CWD ?? process.cwd(),
    stdout = process.stdout,
    stderr = process.stderr,
  } = io;
  const [command, ...rest] = argv;
  if (command == null || command === '--help' || command === '-h' || command === 'help') {
    stdout.write(USAGE);
    return command == null ? EXIT.usage : EXIT.ok;
  }
  const run = COMMANDS[command];
  const json = rest.includes('--json');
  try {
    if (run == null) throw unknownChoice('command', command, Object.keys(COMMANDS));
    return await run(rest, { cwd, stdout, stderr });
  } catch (err) {
    const usage = err instanceof UsageError;
    const message = usage ? (err as Error).message : ((err as Error).stack ?? String(err));
    stderr.write(`\ngankit ${command}: ${usage ? '' : 'failed: '}${message}\n`);
    if (json)
      stdout.write(
        `${JSON.stringify({ command, error: (err as Error).message, exitCode: usage ? EXIT.usage : EXIT.failure })}\n`,
      );
    return usage ? EXIT.usage : EXIT.failure;
  }
}
