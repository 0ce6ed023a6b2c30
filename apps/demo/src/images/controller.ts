/**
 * The image playground's behaviour without the DOM: fetch and decode the data once per dataset, play, pause,
 * reset on new settings, the training loop (a frame's budget of steps, then a yield to the event loop), and
 * throttled reads of the sample grid. The view subscribes with `onChange` and draws what it finds here.
 */
import type { ImageDataset } from '@gankit/datasets';
import type { StepLogs } from '@gankit/train';
import { formatProgress, type LoadProgress } from '../shared/data.js';
import type { DataDatasetName } from '../shared/data-files.js';
import { type LiveOptions, LiveTraining } from '../shared/live-training.js';
import { DEFAULT_IMAGE_CONFIG, type ImageConfig, imageConfigProblems } from './config.js';
import { ImageSession, type SampleSnapshot } from './session.js';

export type DataLoader = (
  name: DataDatasetName,
  onProgress?: (p: LoadProgress) => void,
) => Promise<ImageDataset>;

export interface ImageControllerOptions extends LiveOptions {
  /** Where the training data comes from (the page: the demo's IDX files, cached). */
  loadData: DataLoader;
  /** Samples per grid row. */
  cols?: number;
}

export class ImageController extends LiveTraining<ImageSession> {
  config: ImageConfig;
  /** Why there is no session (bad settings, the data could not be loaded). */
  problem: string | undefined;
  /** What the data is doing: fetching, decoding, or how many images there are. */
  dataStatus = '';
  samples: SampleSnapshot | undefined;
  protected readonly divergenceAdvice = 'lower the learning rate';
  private readonly loadData: DataLoader;
  private readonly cols: number;

  constructor(config: ImageConfig = DEFAULT_IMAGE_CONFIG, options: ImageControllerOptions) {
    // a read of the grid is one G pass on 64–80 samples: at most every 400 ms and a fifth of the time
    super(options, { readEveryMs: 400, maxReadShare: 0.2 });
    this.config = config;
    this.loadData = options.loadData;
    this.cols = options.cols ?? 8;
  }

  protected trainStep(session: ImageSession): Promise<StepLogs> {
    return session.trainStep();
  }

  protected stepOf(session: ImageSession): number {
    return session.step;
  }

  protected shownStep(): number | undefined {
    return this.samples?.step;
  }

  protected read(session: ImageSession): Promise<void> {
    return this.readSamples(session);
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

  /** One read of the sample grid; must run inside the queue. */
  private async readSamples(session: ImageSession): Promise<void> {
    const start = this.now();
    const samples = await session.samples();
    if (session.isDisposed) return;
    this.samples = samples;
    this.scheduler.readDone(start, this.now());
  }
}
