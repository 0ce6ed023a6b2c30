/**
 * When to train and when to look, and one task at a time. `FrameScheduler`: training runs in chunks of about one
 * frame's budget, then yields so the page can paint and take input; the visuals (D's heatmap, the fakes, the
 * manifold, the arrows) are read back at most every `readEveryMs`, and less often when a read is slow, so that
 * reading never takes more than `maxReadShare` of the time — clock-free (callers pass `now`), so it is tested without
 * timers. `SerialQueue`: the tasks that touch the model (training chunks, step buttons, resets) run in order.
 */
export interface SchedulerOptions {
  /** Training time per chunk before yielding to the page (ms). */
  budgetMs?: number;
  /** The shortest interval between two reads of the visuals (ms). */
  readEveryMs?: number;
  /** The largest share of time reads of the visuals may take (0–1). */
  maxReadShare?: number;
}

export class FrameScheduler {
  readonly budgetMs: number;
  readonly readEveryMs: number;
  readonly maxReadShare: number;
  private lastReadEnd = Number.NEGATIVE_INFINITY;
  private lastReadCost = 0;

  constructor(options: SchedulerOptions = {}) {
    this.budgetMs = options.budgetMs ?? 12;
    this.readEveryMs = options.readEveryMs ?? 200;
    this.maxReadShare = options.maxReadShare ?? 0.25;
    if (!(this.budgetMs > 0) || !(this.readEveryMs > 0) || !(this.maxReadShare > 0 && this.maxReadShare < 1))
      throw new Error('scheduler: budgetMs and readEveryMs must be positive, maxReadShare in (0, 1)');
  }

  /** Whether to take another training step in the chunk that began at `chunkStart`. */
  keepTraining(chunkStart: number, now: number): boolean {
    return now - chunkStart < this.budgetMs;
  }

  /** The wait between the end of one read and the next: `readEveryMs`, stretched so reads keep their share. */
  get readInterval(): number {
    const stretched = (this.lastReadCost * (1 - this.maxReadShare)) / this.maxReadShare;
    return Math.max(this.readEveryMs, stretched);
  }

  /** Whether the visuals are due a read. */
  readDue(now: number): boolean {
    return now - this.lastReadEnd >= this.readInterval;
  }

  /** Records a read that ran from `start` to `end`. */
  readDone(start: number, end: number): void {
    this.lastReadCost = Math.max(0, end - start);
    this.lastReadEnd = end;
  }

  /** Forgets the last read (after a reset: the next one is due at once). */
  reset(): void {
    this.lastReadEnd = Number.NEGATIVE_INFINITY;
  }
}

/**
 * Runs async tasks one at a time, in the order they were queued: the training loop, the step buttons and a reset
 * all touch the same variables, and a task must never start while another awaits its GPU reads.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T> | T): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

/** Calls `fn` at most once per `ms` (the last call wins; trailing call after the quiet period). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A) => {
    if (timer != null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  debounced.cancel = () => {
    if (timer != null) clearTimeout(timer);
    timer = undefined;
  };
  return debounced;
}
