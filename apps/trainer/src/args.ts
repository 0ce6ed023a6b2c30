import { parseArgs } from 'node:util';
import { MAX_WASM_THREADS } from '@gankit/backends';
import { BACKENDS } from './config.js';
import { UsageError, unknownChoice } from './errors.js';

export type FlagKind = 'string' | 'boolean' | 'int' | 'positive-int' | 'positive' | 'non-negative';

export interface FlagSpec {
  kind: FlagKind;
  help: string;
  /** Shown in help, e.g. `N`, `FILE`. */
  value?: string;
}

export type Flags = Record<string, FlagSpec>;
export type FlagValues = Record<string, string | number | boolean | undefined>;

function convert(name: string, kind: FlagKind, raw: string): number | string {
  if (kind === 'string') return raw;
  const n = Number(raw);
  const bad = (what: string) => new UsageError(`--${name} must be ${what}, got '${raw}'`);
  if (raw.trim() === '' || !Number.isFinite(n)) throw bad(kind.includes('int') ? 'an integer' : 'a number');
  switch (kind) {
    case 'int':
      if (!Number.isInteger(n)) throw bad('an integer');
      return n;
    case 'positive-int':
      if (!Number.isInteger(n) || n <= 0) throw bad('a positive integer');
      return n;
    case 'positive':
      if (!(n > 0)) throw bad('a positive number');
      return n;
    case 'non-negative':
      if (!(n >= 0)) throw bad('a number ≥ 0');
      return n;
  }
  return n;
}

/** Parses `argv` against `flags`: unknown flags and bad values are UsageErrors that list what is valid. */
export function parseFlags(
  command: string,
  argv: string[],
  flags: Flags,
  positionals: { min: number; max: number; names: string },
): { values: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, spec] of Object.entries(flags))
    options[name] = { type: spec.kind === 'boolean' ? 'boolean' : 'string' };
  // `--steps -3`: node's parser reads -3 as a flag; join it so the value check can name the problem
  const args = argv
    .map((a, i) =>
      /^-\d|^-\.\d/.test(argv[i + 1] ?? '') && a.startsWith('--') && flags[a.slice(2)]?.kind !== 'boolean'
        ? `${a}=${argv[i + 1]}`
        : a,
    )
    .filter(
      (_, i) =>
        !(
          i > 0 &&
          /^-\d|^-\.\d/.test(argv[i]!) &&
          argv[i - 1]!.startsWith('--') &&
          flags[argv[i - 1]!.slice(2)]?.kind !== 'boolean'
        ),
    );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '(--?[^']+)'/.exec(message);
    if (unknown)
      throw unknownChoice(
        `flag for \`gankit ${command}\``,
        unknown[1]!,
        Object.keys(flags).map((f) => `--${f}`),
      );
    const missing = /Option '(--[^ ]+)[^']*' argument missing/.exec(message);
    if (missing) throw new UsageError(`${missing[1]} needs a value`);
    throw new UsageError(`${message} (gankit ${command} --help lists the flags)`);
  }
  const values: FlagValues = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const spec = flags[name]!;
    values[name] = typeof raw === 'string' ? convert(name, spec.kind, raw) : (raw as boolean);
  }
  const pos = parsed.positionals;
  if (pos.length < positionals.min)
    throw new UsageError(`gankit ${command} needs ${positionals.names}; see gankit ${command} --help`);
  if (pos.length > positionals.max)
    throw new UsageError(
      `gankit ${command} takes ${positionals.max === 0 ? 'no arguments' : positionals.names}, got extra '${pos.slice(positionals.max).join(' ')}'`,
    );
  return { values, positionals: pos };
}

/** --json and --help, which every command takes. */
/** `--threads`, for every command that starts a backend. */
export const THREADS_FLAG: Flags = {
  threads: {
    kind: 'positive-int',
    value: 'N',
    help: `wasm threads, 1–${MAX_WASM_THREADS} (default: every core; or GANKIT_WASM_THREADS)`,
  },
};

/** `--backend` and `--threads` for the commands that open an existing run. */
export const RUN_BACKEND_FLAGS: Flags = {
  backend: { kind: 'string', value: 'NAME', help: `${BACKENDS.join(', ')} (default: the run's)` },
  ...THREADS_FLAG,
};

export const COMMON_FLAGS: Flags = {
  json: { kind: 'boolean', help: 'print the result as JSON on stdout (messages and progress go to stderr)' },
  help: { kind: 'boolean', help: 'show this help' },
};

/**
 * Parses a command's arguments ({@link parseFlags}); with --help prints the command's help and returns undefined,
 * so that the command returns at once.
 */
export function parseCommand(
  command: string,
  argv: string[],
  spec: {
    usage: string;
    summary: string;
    flags: Flags;
    positionals?: { min: number; max: number; names: string };
    /** Where `--help` prints (default: the process's stdout). */
    stdout?: { write(text: string): unknown };
  },
): { values: FlagValues; positionals: string[] } | undefined {
  const parsed = parseFlags(command, argv, spec.flags, spec.positionals ?? { min: 0, max: 0, names: '' });
  const threads = parsed.values.threads as number | undefined;
  if (threads != null) {
    if (threads > MAX_WASM_THREADS)
      throw new UsageError(`--threads must be from 1 to ${MAX_WASM_THREADS}, got ${threads}`);
    // @gankit/backends reads it when it starts wasm
    process.env.GANKIT_WASM_THREADS = String(threads);
  }
  if (!parsed.values.help) return parsed;
  (spec.stdout ?? process.stdout).write(helpText(spec.usage, spec.summary, spec.flags));
  return undefined;
}

export function helpText(usage: string, summary: string, flags: Flags): string {
  const rows = Object.entries(flags).map(
    ([name, f]) => [`--${name}${f.value ? ` ${f.value}` : ''}`, f.help] as const,
  );
  const width = Math.max(...rows.map(([a]) => a.length));
  return `${usage}\n\n${summary}\n\n${rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n')}\n`;
}
