import { restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import { problemAt } from './state.js';
import type { DataSource, StepLogs } from './step.js';
import type { ProblemTrainer } from './trainer.js';

/** What the loop drives: any problem's trainer (and its config, saved with checkpoints). */
type Looped = ProblemTrainer & { readonly config?: unknown };

/**
 * Where checkpoints go. The apps implement it — Node writes a temporary file and renames it (atomic), a browser
 * uses IndexedDB — so this package has no file system and no DOM.
 */
export interface CheckpointStorage {
  write(name: string, bytes: Uint8Array): Promise<void>;
  read(name: string): Promise<Uint8Array>;
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
}

/** Checkpoints in memory (tests, or a browser tab that keeps them for the session). */
export class MemoryStorage implements CheckpointStorage {
  readonly files = new Map<string, Uint8Array>();
  async write(name: string, bytes: Uint8Array) {
    this.files.set(name, bytes.slice());
  }
  async read(name: string) {
    const b = this.files.get(name);
    if (b == null) throw new Error(`no checkpoint named ${name}`);
    return b;
  }
  async list() {
    return [...this.files.keys()].sort();
  }
  async remove(name: string) {
    this.files.delete(name);
  }
}

/**
 * Lets timers, I/O and rendering run: a step on wasm or cpu resolves its reads at once, so a loop of awaited steps
 * would otherwise hold the event loop for its whole length (frozen pages, starved progress bars and IPC).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export const checkpointName = (step: number) => `ckpt-${String(step).padStart(9, '0')}.safetensors`;

export interface LoopOptions {
  /** Train until the trainer has completed this many iterations… */
  steps?: number;
  /** …or this many passes over the data: each iteration draws one batch per update of a drawing group (D's k). */
  epochs?: number;
  signal?: AbortSignal;
  storage?: CheckpointStorage;
  checkpointEvery?: number;
  /** Checkpoints kept (the oldest are removed); default 3. */
  keep?: number;
  sampleEvery?: number;
  evalEvery?: number;
  /** On NaN/Inf: stop cleanly (default), or roll back to the last checkpoint and go on (at most 3 times). */
  onDivergence?: 'stop' | 'rollback';
  onStep?: (logs: StepLogs) => void | Promise<void>;
  onSample?: (step: number) => void | Promise<void>;
  onEval?: (step: number) => void | Promise<void>;
  onCheckpoint?: (name: string, step: number) => void | Promise<void>;
  /** Told what the guard did: which values were not finite, and whether it rolled back or stopped. */
  onDivergenceDetected?: (logs: StepLogs, action: 'rollback' | 'stop') => void | Promise<void>;
}

/** Iterations for `steps`, or for `epochs` of the data source (rounded up). */
export function totalSteps(
  trainer: Pick<ProblemTrainer, 'state'>,
  data: DataSource,
  options: Pick<LoopOptions, 'steps' | 'epochs'>,
): number {
  const { steps, epochs } = options;
  if ((steps == null) === (epochs == null)) throw new Error('give either steps or epochs (one of them)');
  if (steps != null) {
    if (!Number.isInteger(steps) || steps < 0)
      throw new Error(`steps must be a non-negative integer, got ${steps}`);
    return steps;
  }
  if (!(epochs! > 0)) throw new Error(`epochs must be positive, got ${epochs}`);
  if (data.batchesPerEpoch == null)
    throw new Error('this data source has no epochs (it samples endlessly): give steps');
  const { state } = trainer;
  const problem = problemAt(state.problem, state.phase);
  const draws = problem.schedule
    .filter((e) => problem.groups[e.group]?.draws)
    .reduce((n, e) => n + e.times, 0);
  return Math.ceil((epochs! * data.batchesPerEpoch) / Math.max(1, draws));
}

export interface LoopResult {
  reason: 'done' | 'aborted' | 'diverged';
  step: number;
  lastCheckpoint: string | undefined;
  rollbacks: number;
}

/**
 * The training loop: steps until `steps`, with hooks for logs, samples, evaluations and checkpoints. An aborted
 * signal stops after the current step with a final checkpoint. The divergence guard (non-finite losses or
 * gradients; their update was not applied) stops cleanly or rolls back to the last checkpoint.
 */
export async function trainLoop(
  trainer: Looped,
  data: DataSource,
  options: LoopOptions,
): Promise<LoopResult> {
  const { storage, checkpointEvery, keep = 3, sampleEvery, evalEvery, onDivergence = 'stop' } = options;
  const steps = totalSteps(trainer, data, options);
  if (checkpointEvery != null && storage == null)
    throw new Error('checkpointEvery needs a storage to write checkpoints to');
  let lastCheckpoint: string | undefined;
  let rollbacks = 0;
  const checkpoint = async () => {
    if (storage == null) return;
    const name = checkpointName(trainer.state.counters.step);
    await storage.write(name, await saveCheckpoint(trainer, data));
    lastCheckpoint = name;
    const all = (await storage.list()).filter((n) => n.startsWith('ckpt-')).sort();
    for (const old of all.slice(0, Math.max(0, all.length - keep))) await storage.remove(old);
    await options.onCheckpoint?.(name, trainer.state.counters.step);
  };
  const every = (n: number | undefined) => n != null && n > 0 && trainer.state.counters.step % n === 0;

  while (trainer.state.counters.step < steps) {
    if (options.signal?.aborted) {
      await checkpoint();
      return { reason: 'aborted', step: trainer.state.counters.step, lastCheckpoint, rollbacks };
    }
    const logs = await trainer.step(data);
    await yieldToEventLoop();
    if (!logs.finite) {
      const canRollBack =
        onDivergence === 'rollback' && storage != null && lastCheckpoint != null && rollbacks < 3;
      await options.onDivergenceDetected?.(logs, canRollBack ? 'rollback' : 'stop');
      if (!canRollBack)
        return { reason: 'diverged', step: trainer.state.counters.step, lastCheckpoint, rollbacks };
      restoreCheckpoint(await storage!.read(lastCheckpoint!), trainer, data);
      rollbacks++;
      continue;
    }
    await options.onStep?.(logs);
    if (every(sampleEvery)) await options.onSample?.(trainer.state.counters.step);
    if (every(evalEvery)) await options.onEval?.(trainer.state.counters.step);
    if (every(checkpointEvery)) await checkpoint();
  }
  if (storage != null && lastCheckpoint !== checkpointName(trainer.state.counters.step)) await checkpoint();
  return { reason: 'done', step: trainer.state.counters.step, lastCheckpoint, rollbacks };
}
