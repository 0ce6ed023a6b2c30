/**
 * The playground's behaviour without the DOM: play, pause, single D and G steps, resets on new settings, the
 * training loop (chunks of a frame's budget, then a yield), throttled reads of the visuals, and the charts' numbers.
 * The view subscribes with `onChange` and draws what it finds here.
 */
import { type StepLogs, yieldToEventLoop } from '@gankit/train';
import { configProblems, DEFAULT_CONFIG, type PlaygroundConfig } from './config.js';
import { MetricHistory, type SampleQuality, sampleQuality } from './history.js';
import { FrameScheduler, type SchedulerOptions, SerialQueue } from './scheduler.js';
import {
  type Counters,
  DEFAULT_SIZES,
  PlaygroundSession,
  type Snapshot,
  type SnapshotSizes,
} from './session.js';

export interface ControllerOptions {
  scheduler?: SchedulerOptions;
  sizes?: SnapshotSizes;
  /** Called after anything the view shows has changed (counters, losses, a new snapshot, play state). */
  onChange?: () => void;
  now?: () => number;
}

export interface LastLosses {
  dLoss?: number;
  gLoss?: number;
  dReal?: number;
  dFake?: number;
}

export class PlaygroundController {
  config: PlaygroundConfig;
  session: PlaygroundSession | undefined;
  /** Why there is no session (e.g. nothing drawn yet), for the page. */
  problem: string | undefined;
  readonly history = new MetricHistory();
  snapshot: Snapshot | undefined;
  quality: SampleQuality | undefined;
  last: LastLosses = {};
  /** A message for the status line (divergence, errors). */
  status = '';
  /** Iterations per second over the last seconds of play. */
  speed = 0;
  private playingFlag = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly queue = new SerialQueue();
  private readonly scheduler: FrameScheduler;
  private readonly sizes: SnapshotSizes;
  private readonly onChange: () => void;
  private readonly now: () => number;
  private speedMark: { t: number; iterations: number } | undefined;

  constructor(config: PlaygroundConfig = DEFAULT_CONFIG, options: ControllerOptions = {}) {
    this.config = config;
    this.scheduler = new FrameScheduler(options.scheduler);
    this.sizes = options.sizes ?? DEFAULT_SIZES;
    this.onChange = options.onChange ?? (() => {});
    this.now = options.now ?? (() => performance.now());
  }

  get playing(): boolean {
    return this.playingFlag;
  }

  /** True while a step, a read or a reset is queued or running (e.g. a single update on a slow backend). */
  get busy(): boolean {
    return this.queue.size > 0;
  }

  get counters(): Counters {
    return this.session?.counters ?? { iterations: 0, dUpdates: 0, gUpdates: 0 };
  }

  /** Builds the session for the current settings (disposing the previous one) and reads its first visuals. */
  async reset(patch: Partial<PlaygroundConfig> = {}): Promise<void> {
    const wasPlaying = this.playingFlag;
    await this.pause();
    await this.queue.run(async () => {
      this.config = { ...this.config, ...patch };
      this.session?.dispose();
      this.session = undefined;
      this.snapshot = undefined;
      this.quality = undefined;
      this.last = {};
      this.status = '';
      this.speed = 0;
      this.history.clear();
      this.scheduler.reset();
      const problems = configProblems(this.config);
      this.problem = problems.length > 0 ? problems.join('; ') : undefined;
      if (this.problem == null) {
        try {
          this.session = new PlaygroundSession(this.config, this.sizes);
        } catch (err) {
          this.problem = (err as Error).message;
        }
      }
      if (this.session) await this.readVisuals(this.session);
    });
    this.onChange();
    if (wasPlaying && this.session) this.play();
  }

  /** Starts the training loop (no-op when playing, or when there is nothing to train). */
  play(): void {
    if (this.playingFlag || this.session == null) return;
    this.playingFlag = true;
    this.speedMark = undefined;
    this.loopDone = this.loop().catch((err: unknown) => {
      this.playingFlag = false;
      this.status = `training stopped: ${(err as Error).message}`;
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

  /** One D update (G frozen); pauses first, then refreshes the visuals. */
  stepDiscriminator(): Promise<void> {
    return this.single('d');
  }

  /** One G update (D frozen); pauses first, then refreshes the visuals. */
  stepGenerator(): Promise<void> {
    return this.single('g');
  }

  /** Reads the visuals now (outside play). */
  async refresh(): Promise<void> {
    await this.queue.run(async () => {
      if (this.session) await this.readVisuals(this.session);
    });
    this.onChange();
  }

  async dispose(): Promise<void> {
    await this.pause();
    await this.queue.run(() => {
      this.session?.dispose();
      this.session = undefined;
    });
  }

  private async single(which: 'd' | 'g'): Promise<void> {
    await this.pause();
    await this.queue.run(async () => {
      const session = this.session;
      if (session == null) return;
      const logs = which === 'd' ? await session.stepDiscriminator() : await session.stepGenerator();
      const x = session.counters.iterations;
      if (which === 'd') {
        this.last = { ...this.last, dLoss: logs.loss };
        this.history.push('dLoss', x, logs.loss);
      } else {
        this.last = { ...this.last, gLoss: logs.loss };
        this.history.push('gLoss', x, logs.loss);
      }
      this.status = logs.finite
        ? ''
        : `the ${which === 'd' ? 'D' : 'G'} update was not finite and was skipped`;
      await this.readVisuals(session);
    });
    this.onChange();
  }

  private async loop(): Promise<void> {
    while (this.playingFlag) {
      const session = this.session;
      if (session == null) break;
      await this.queue.run(async () => {
        const chunkStart = this.now();
        do {
          const logs = await session.step();
          this.record(logs);
          if (!logs.finite) {
            this.playingFlag = false;
            this.status = `paused: ${logs.nonFinite.join(', ')} not finite at iteration ${logs.step} (that update was skipped) — lower the learning rates`;
          }
        } while (this.playingFlag && this.scheduler.keepTraining(chunkStart, this.now()));
        this.measureSpeed(session);
        if (this.scheduler.readDue(this.now()) || !this.playingFlag) await this.readVisuals(session);
      });
      this.onChange();
      await yieldToEventLoop();
    }
    // paused between chunks: show where training stopped
    await this.queue.run(async () => {
      const session = this.session;
      if (session && this.snapshot?.counters.iterations !== session.counters.iterations)
        await this.readVisuals(session);
    });
  }

  private record(logs: StepLogs): void {
    this.last = { dLoss: logs.dLoss, gLoss: logs.gLoss, dReal: logs.dReal, dFake: logs.dFake };
    this.history.push('dLoss', logs.step, logs.dLoss);
    this.history.push('gLoss', logs.step, logs.gLoss);
  }

  private measureSpeed(session: PlaygroundSession): void {
    const t = this.now();
    const iterations = session.counters.iterations;
    if (this.speedMark == null) {
      this.speedMark = { t, iterations };
      return;
    }
    const dt = t - this.speedMark.t;
    if (dt >= 1000) {
      const rate = ((iterations - this.speedMark.iterations) * 1000) / dt;
      this.speed = this.speed > 0 ? 0.5 * this.speed + 0.5 * rate : rate;
      this.speedMark = { t, iterations };
    }
  }

  /** One snapshot, then the sample metrics on the CPU; must run inside the queue. */
  private async readVisuals(session: PlaygroundSession): Promise<void> {
    const start = this.now();
    const snapshot = await session.snapshot();
    if (session.isDisposed) return;
    this.snapshot = snapshot;
    this.quality = sampleQuality(snapshot.fakes, session.reals, session.data);
    const x = snapshot.counters.iterations;
    this.history.push('modes', x, this.quality.modesCovered);
    this.history.push('js', x, this.quality.js);
    this.scheduler.readDone(start, this.now());
  }
}
