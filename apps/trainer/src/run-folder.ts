import { existsSync, readdirSync, statSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import { FileStorage } from '@gankit/train/node';
import { type AnyRunConfig, validateAnyRunConfig } from './config.js';
import { UsageError } from './errors.js';

/** The files of a run folder. */
export class RunFolder {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = resolve(dir);
  }
  get configPath() {
    return join(this.dir, 'config.json');
  }
  get metricsPath() {
    return join(this.dir, 'metrics.jsonl');
  }
  get samplesDir() {
    return join(this.dir, 'samples');
  }
  get reportPath() {
    return join(this.dir, 'report.html');
  }
  get generatorPath() {
    return join(this.dir, 'generator.safetensors');
  }
  get checkpoints() {
    return new FileStorage(join(this.dir, 'checkpoints'));
  }

  /**
   * Prepares a new run folder. An existing non-empty folder is refused unless `force` (then emptied) — checked
   * before anything is written, so a mistaken --out destroys nothing.
   */
  static checkNew(dir: string, force: boolean, shown = dir): RunFolder {
    const folder = new RunFolder(dir);
    dir = shown;
    if (existsSync(folder.dir)) {
      if (!statSync(folder.dir).isDirectory())
        throw new UsageError(`--out ${dir} is a file, not a folder; choose another --out`);
      if (readdirSync(folder.dir).length > 0 && !force) {
        throw new UsageError(
          `--out ${dir} exists and is not empty; choose another --out, resume it with \`gankit resume ${dir}\`, or pass --force to replace it`,
        );
      }
    }
    return folder;
  }

  async create(config: AnyRunConfig, force: boolean): Promise<void> {
    if (force && existsSync(this.dir)) await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.samplesDir, { recursive: true });
    await this.writeConfig(config);
  }

  async writeConfig(config: AnyRunConfig): Promise<void> {
    await writeFileAtomic(this.configPath, new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`));
  }

  /** Opens an existing run folder, checking that it is one: a valid config.json (and checkpoints when asked). */
  static async open(dir: string): Promise<{ folder: RunFolder; config: AnyRunConfig }> {
    const folder = new RunFolder(dir);
    if (!existsSync(folder.dir))
      throw new UsageError(`${dir} does not exist; give the folder a \`gankit train\` run wrote`);
    if (!statSync(folder.dir).isDirectory())
      throw new UsageError(`${dir} is not a folder; give a run folder`);
    if (!existsSync(folder.configPath))
      throw new UsageError(
        `${dir} is not a gankit run folder (it has no config.json); give the folder a \`gankit train\` run wrote`,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(folder.configPath, 'utf8'));
    } catch (err) {
      throw new UsageError(
        `${folder.configPath} is not valid JSON (${(err as Error).message}); the run folder is damaged`,
      );
    }
    return { folder, config: validateAnyRunConfig(raw, folder.configPath) };
  }

  async latestCheckpoint(): Promise<string> {
    const names = (await this.checkpoints.list()).filter((n) => n.startsWith('ckpt-'));
    const last = names.at(-1);
    if (last == null)
      throw new UsageError(
        `${this.dir} has no checkpoint (checkpoints/ckpt-*.safetensors); the run never saved one`,
      );
    return last;
  }

  async appendMetrics(lines: object[]): Promise<void> {
    if (lines.length === 0) return;
    await appendFile(this.metricsPath, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  }

  async readMetrics(): Promise<MetricsLine[]> {
    if (!existsSync(this.metricsPath)) return [];
    const text = await readFile(this.metricsPath, 'utf8');
    const out: MetricsLine[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        out.push(JSON.parse(line) as MetricsLine);
      } catch {
        // a line cut short by a crash: the rest of the log is still good
      }
    }
    return out;
  }

  /** Drops log lines after `step` (they belong to steps a resume will redo). */
  async truncateMetrics(step: number): Promise<void> {
    const kept = (await this.readMetrics()).filter((l) => l.step <= step);
    await writeFileAtomic(
      this.metricsPath,
      new TextEncoder().encode(kept.map((l) => `${JSON.stringify(l)}\n`).join('')),
    );
  }
}

export interface StepLine {
  type: 'step';
  step: number;
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
  /** Seconds since the run (or its resumption) started. */
  time: number;
  stepsPerSecond: number;
  terms?: Record<string, number>;
  /** The phase of a grown run (`fade-14`) and its fade-in α. */
  phase?: string;
  alpha?: number;
}

export interface EvalLine {
  type: 'eval';
  step: number;
  time: number;
  records: import('@gankit/metrics').MetricRecord[];
  note?: string;
}

export interface SampleLine {
  type: 'sample';
  step: number;
  file: string;
}

export type MetricsLine = StepLine | EvalLine | SampleLine;
