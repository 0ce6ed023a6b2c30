/**
 * The playground's behaviour without the DOM: play, pause, single D and G steps, resets on new settings, the
 * training loop (chunks of a frame's budget, then a yield), throttled reads of the visuals, and the charts' numbers.
 * The view subscribes with `onChange` and draws what it finds here.
 */
import type { StepLogs } from '@gankit/train';
import { type LiveOptions, LiveTraining } from '../shared/live-training.js';
import { configProblems, DEFAULT_CONFIG, type PlaygroundConfig } from './config.js';
import { type SampleQuality, sampleQuality } from './quality.js';
import {
  type Counters,
  DEFAULT_SIZES,
  PlaygroundSession,
  type Snapshot,
  type SnapshotSizes,
} from './session.js';

export interface ControllerOptions extends LiveOptions {
  sizes?: SnapshotSizes;
}

export class PlaygroundController extends LiveTraining<PlaygroundSession> {
  config: PlaygroundConfig;
  /** Why there is no session (e.g. nothing drawn yet), for the page. */
  problem: string | undefined;
  snapshot: Snapshot | undefined;
  quality: SampleQuality | undefined;
  protected readonly divergenceAdvice = 'lower the learning rates';
  private readonly sizes: SnapshotSizes;

  constructor(config: PlaygroundConfig = DEFAULT_CONFIG, options: ControllerOptions = {}) {
    super(options);
    this.config = config;
    this.sizes = options.sizes ?? DEFAULT_SIZES;
  }

  protected trainStep(session: PlaygroundSession): Promise<StepLogs> {
    return session.step();
  }

  protected stepOf(session: PlaygroundSession): number {
    return session.counters.iterations;
  }

  protected shownStep(): number | undefined {
    return this.snapshot?.counters.iterations;
  }

  protected read(session: PlaygroundSession): Promise<void> {
    return this.readVisuals(session);
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
