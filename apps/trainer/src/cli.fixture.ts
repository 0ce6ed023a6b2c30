/** What the CLI tests share: a command line run by `main` in the test's process, and a run folder's fingerprint. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from './main.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `gankit ARGS` run by `main` in this process from `cwd` (what cli.ts runs, less the process exit), with what it
 * printed: a Node start and a module load per command would be most of a test's time.
 */
export const mainIn =
  (cwd: string) =>
  async (...args: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await main(args, {
      cwd,
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    });
    return { code, stdout, stderr };
  };

/** A hash of every path and byte under `dir`: equal before and after a refused command means nothing changed. */
export function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      h.update(p);
      if (e.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** A run folder's metrics.jsonl lines of one type (`step`, `eval`, `sample`), in order. */
// biome-ignore lint/suspicious/noExplicitAny: test lines are read field by field
export function metricsLines(dir: string, type: string): any[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => l.type === type);
}

/** The records of a run's last evaluation. */
export const lastEvalRecords = (dir: string) =>
  metricsLines(dir, 'eval').at(-1).records as {
    metric: string;
    value: number;
    details?: Record<string, number>;
  }[];
