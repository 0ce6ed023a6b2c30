/**
 * What the playgrounds share without the DOM: play and pause, the training loop (a frame's budget of steps, then a
 * yield to the event loop), throttled reads of what the view draws, the loss history and the speed readout. A
 * playground says how its session steps, what its step count is, and how it reads its visuals.
 */
import { type StepLogs, yieldToEventLoop } from '@gankit/train';
import { MetricHistory } from './history.js';
import { FrameScheduler, type SchedulerOptions, SerialQueue } from './scheduler.js';

export interface LiveOptions {
  scheduler?: SchedulerOptions;
  /** Called after anything the view shows has changed (counters, losses, a new read, play state). */
  onChange?: () => void;
  now?: () => number;
}

export interface LastLosses {
  dLoss?: number;
  gLoss?: number;
  dReal?: number;
  dFake?: number;
}

/** `waiting`: there is no session to train (bad settings, nothing drawn, the data not loaded yet). */
export type TrainingState = 'training' | 'busy' | 'paused' | 'waiting';

export abstract class LiveTraining<S extends { isDisposed: boolean; dispose(): void }> {
  session: S | undefined;
  readonly history = new MetricHistory();
  last: LastLosses = {};
  /** A message for the status line (divergence, errors). */
  status = '';
  /** Iterations per second over the last seconds of play. */
  speed = 0;
  protected playingFlag = false;
  protected loopDone: Promise<void> = Promise.resolve();
  protected readonly queue = new SerialQueue();
  protected readonly scheduler: FrameScheduler;
  protected readonly onChange: () => void;
  protected readonly now: () => number;
  private speedMark: { t: number; step: number } | undefined;

  constructor(options: LiveOptions, schedulerDefaults: SchedulerOptions = {}) {
    this.scheduler = new FrameScheduler({ ...schedulerDefaults, ...options.scheduler });
    this.onChange = options.onChange ?? (() => {});
    this.now = options.now ?? (() => performance.now());
  }

  /** One training iteration of `session`. */
  protected abstract trainStep(session: S): Promise<StepLogs>;
  /** The iterations `session` has completed. */
  protected abstract stepOf(session: S): number;
  /** The iteration the view's last read shows (undefined before the first). */
  protected abstract shownStep(): number | undefined;
  /** Reads what the view draws; runs inside the queue and reports its duration to the scheduler. */
  protected abstract read(session: S): Promise<void>;
  /** What the status line advises when an update was not finite. */
  protected abstract readonly divergenceAdvice: string;

  get playing(): boolean {
    return this.playingFlag;
  }

  /** True while a step, a read or a reset is queued or running. */
  get busy(): boolean {
    return this.queue.size > 0;
  }

  /** What the page's state readout says: training, busy (a step, read or reset in hand), paused, or waiting. */
  get state(): TrainingState {
    return this.playingFlag ? 'training' : this.busy ? 'busy' : this.session ? 'paused' : 'waiting';
  }

  /** Starts the training loop (no-op when playing, or when there is nothing to train). */
  play(): void {
    if (this.playingFlag || this.session == null) return;
    this.playingFlag = true;
    this.speedMark = undefined;
    this.loopDone = this.loop().catch((err: unknown) => {
      this.playingFlag = false;
      this.status = `training stopped: ${(err as Error).message}`;
      this.onChange();
    });
    this.onChange();
  }

  /** Stops the loop after the step in flight; resolves once it has stopped (the counters then stay still). */
  async pause(): Promise<void> {
    this.playingFlag = false;
    await this.loopDone;
    this.speed = 0;
    this.onChange();
  }

  /** Stops training and frees every tensor of the session. */
  async dispose(): Promise<void> {
    await this.pause();
    await this.queue.run(() => {
      this.session?.dispose();
      this.session = undefined;
    });
  }

  private async loop(): Promise<void> {
    while (this.playingFlag) {
      const session = this.session;
      if (session == null) break;
      await this.queue.run(async () => {
        const chunkStart = this.now();
        do {
          const logs = await this.trainStep(session);
          this.record(logs);
          if (!logs.finite) {
            this.playingFlag = false;
            this.status = `paused: ${logs.nonFinite.join(', ')} not finite at iteration ${logs.step} (that update was skipped) — ${this.divergenceAdvice}`;
          }
        } while (this.playingFlag && this.scheduler.keepTraining(chunkStart, this.now()));
        this.measureSpeed(session);
        if (this.scheduler.readDue(this.now()) || !this.playingFlag) await this.read(session);
      });
      this.onChange();
      await yieldToEventLoop();
    }
    // paused between chunks: show where training stopped
    await this.queue.run(async () => {
      const session = this.session;
      if (session && !session.isDisposed && this.shownStep() !== this.stepOf(session))
        await this.read(session);
    });
  }

  private record(logs: StepLogs): void {
    this.last = { dLoss: logs.dLoss, gLoss: logs.gLoss, dReal: logs.dReal, dFake: logs.dFake };
    this.history.push('dLoss', logs.step, logs.dLoss);
    this.history.push('gLoss', logs.step, logs.gLoss);
  }

  private measureSpeed(session: S): void {
    const t = this.now();
    const step = this.stepOf(session);
    if (this.speedMark == null) {
      this.speedMark = { t, step };
      return;
    }
    const dt = t - this.speedMark.t;
    if (dt >= 1000) {
      const rate = ((step - this.speedMark.step) * 1000) / dt;
      this.speed = this.speed > 0 ? 0.5 * this.speed + 0.5 * rate : rate;
      this.speedMark = { t, step };
    }
  }
}
