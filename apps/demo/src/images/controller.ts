/**
 * The image playground's behaviour without the DOM: fetch and decode the data once per dataset, play, pause,
 * reset on new settings, the training loop (a frame's budget of steps, then a yield to the event loop), and
 * throttled reads of the sample grid. The view subscribes with `onChange` and draws what it finds here.
 */
import type { ImageDataset } from '@gankit/datasets';
import { type StepLogs, yieldToEventLoop } from '@gankit/train';
import { MetricHistory } from '../playground/history.js';
import { FrameScheduler, type SchedulerOptions, SerialQueue } from '../playground/scheduler.js';
import { DEFAULT_IMAGE_CONFIG, type ImageConfig, imageConfigProblems } from './config.js';
import { formatProgress, type LoadProgress } from './data.js';
import type { DataDatasetName } from './data-files.js';
import { ImageSession, type SampleSnapshot } from './session.js';

export type DataLoader = (
  name: DataDatasetName,
  onProgress?: (p: LoadProgress) => void,
) => Promise<ImageDataset>;

export interface ImageControllerOptions {
  /** Where the training data comes from (the page: the demo's IDX files, cached). */
  loadData: DataLoader;
  scheduler?: SchedulerOptions;
  /** Samples per grid row. */
  cols?: number;
  onChange?: () => void;
  now?: () => number;
}

export interface ImageLosses {
  dLoss?: number;
  gLoss?: number;
  dReal?: number;
  dFake?: number;
}

export class ImageController {
  config: ImageConfig;
  session: ImageSession | undefined;
  /** Why there is no session (bad settings, the data could not be loaded). */
  problem: string | undefined;
  /** What the data is doing: fetching, decoding, or how many images there are. */
  dataStatus = '';
  readonly history = new MetricHistory();
  samples: SampleSnapshot | undefined;
  last: ImageLosses = {};
  /** A message for the status line (divergence, errors). */
  status = '';
  /** Iterations per second over the last seconds of play. */
  speed = 0;
  private playingFlag = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly queue = new SerialQueue();
  private readonly scheduler: FrameScheduler;
  private readonly loadData: DataLoader;
  private readonly cols: number;
  private readonly onChange: () => void;
  private readonly now: () => number;
  private speedMark: { t: number; step: number } | undefined;

  constructor(config: ImageConfig = DEFAULT_IMAGE_CONFIG, options: ImageControllerOptions) {
    this.config = config;
    // a read of the grid is one G pass on 64–80 samples: at most every 400 ms and a fifth of the time
    this.scheduler = new FrameScheduler({ readEveryMs: 400, maxReadShare: 0.2, ...options.scheduler });
    this.loadData = options.loadData;
    this.cols = options.cols ?? 8;
    this.onChange = options.onChange ?? (() => {});
    this.now = options.now ?? (() => performance.now());
  }

  get playing(): boolean {
    return this.playingFlag;
  }

  /** True while a step, a read, a data load or a reset is queued or running. */
  get busy(): boolean {
    return this.queue.size > 0;
  }

  get step(): number {
    return this.session?.step ?? 0;
  }

  /** A fresh model for the current settings (loading the dataset first when it changed); reads its first grid. */
  async reset(patch: Partial<ImageConfig> = {}): Promise<void> {
    const wasPlaying = this.playingFlag;
    await this.pause();
    await this.queue.run(async () => {
      this.config = { ...this.config, ...patch };
      this.session?.dispose();
      this.session = undefined;
      this.samples = undefined;
      this.last = {};
      this.status = '';
      this.speed = 0;
      this.history.clear();
      this.scheduler.reset();
      const problems = imageConfigProblems(this.config);
      this.problem = problems.length > 0 ? problems.join('; ') : undefined;
      if (this.problem != null) return;
      const name = this.config.dataset;
      let dataset: ImageDataset;
      try {
        dataset = await this.loadData(name, (p) => {
          this.dataStatus = formatProgress(p);
          this.onChange();
        });
      } catch (err) {
        this.dataStatus = '';
        this.problem = `the training data could not be loaded: ${(err as Error).message}`;
        return;
      }
      if (this.config.dataset !== name) return; // settings changed while loading; the next reset takes over
      this.dataStatus = `${dataset.count.toLocaleString('en')} training images of ${dataset.shape.join('×')}`;
      try {
        this.session = new ImageSession(this.config, dataset, this.cols);
      } catch (err) {
        this.problem = (err as Error).message;
        return;
      }
      await this.readSamples(this.session);
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
      this.onChange();
    });
    this.onChange();
  }

  /** Stops the loop after the step in flight; resolves once it has stopped (the step counter then stays still). */
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
          const logs = await session.trainStep();
          this.record(logs);
          if (!logs.finite) {
            this.playingFlag = false;
            this.status = `paused: ${logs.nonFinite.join(', ')} not finite at iteration ${logs.step} (that update was skipped) — lower the learning rate`;
          }
        } while (this.playingFlag && this.scheduler.keepTraining(chunkStart, this.now()));
        this.measureSpeed(session);
        if (this.scheduler.readDue(this.now()) || !this.playingFlag) await this.readSamples(session);
      });
      this.onChange();
      await yieldToEventLoop();
    }
    // paused between chunks: show where training stopped
    await this.queue.run(async () => {
      const session = this.session;
      if (session && !session.isDisposed && this.samples?.step !== session.step)
        await this.readSamples(session);
    });
  }

  private record(logs: StepLogs): void {
    this.last = { dLoss: logs.dLoss, gLoss: logs.gLoss, dReal: logs.dReal, dFake: logs.dFake };
    this.history.push('dLoss', logs.step, logs.dLoss);
    this.history.push('gLoss', logs.step, logs.gLoss);
  }

  private measureSpeed(session: ImageSession): void {
    const t = this.now();
    const step = session.step;
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

  /** One read of the sample grid; must run inside the queue. */
  private async readSamples(session: ImageSession): Promise<void> {
    const start = this.now();
    const samples = await session.samples();
    if (session.isDisposed) return;
    this.samples = samples;
    this.scheduler.readDone(start, this.now());
  }
}
