/**
 * One training run of the image playground: @gankit/train's trainer on batches of the demo's IDX data, and the
 * live sample grid — G on fixed noise (and, for a cGAN, a row per class) — read back asynchronously in one read.
 */
import type { ImageDataset } from '@gankit/datasets';
import { ImageBatcher } from '@gankit/datasets';
import { type GanDef, ganFromSpec, latentBatch } from '@gankit/models';
import { createTrainer, type DataSource, imageSource, type StepLogs, type Trainer } from '@gankit/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  type ImageConfig,
  type SampleGrid,
  sampleGrid,
  toImageModelSpec,
  toImageTrainConfig,
} from './config.js';

/** The samples of the live grid, read from the backend in one asynchronous read. */
export interface SampleSnapshot {
  /** The iteration they were drawn at. */
  step: number;
  /** `[count, 28, 28, 1]` row-major, in the generator's range. */
  values: Float32Array;
  shape: [number, number, number, number];
  range: [number, number];
  grid: SampleGrid;
  readMs: number;
}

export class ImageSession {
  readonly config: ImageConfig;
  readonly dataset: ImageDataset;
  readonly gan: GanDef;
  readonly trainer: Trainer;
  readonly grid: SampleGrid;
  private readonly source: DataSource;
  private readonly z: tf.Tensor2D;
  private readonly labels: tf.Tensor1D | undefined;
  private disposed = false;

  constructor(config: ImageConfig, dataset: ImageDataset, cols = 8) {
    this.config = config;
    this.dataset = dataset;
    const train = toImageTrainConfig(config);
    this.gan = ganFromSpec(toImageModelSpec(config));
    const classes = this.gan.classes;
    if (classes != null && dataset.classes.length !== classes)
      throw new Error(`${dataset.name} has ${dataset.classes.length} classes, the model ${classes}`);
    this.trainer = createTrainer(this.gan, train);
    this.source = imageSource(
      new ImageBatcher(dataset, {
        batchSize: config.batchSize,
        seed: config.seed,
        labels: classes != null ? 'int' : 'none',
      }),
    );
    this.grid = sampleGrid(classes, cols);
    // fixed noise: the grid changes only because G learns; a cGAN's column shares one noise vector
    const distinct = Math.max(...this.grid.noiseIndex) + 1;
    const base = latentBatch(this.gan, distinct, config.seed + 104729);
    this.z = tf.tidy(() => tf.gather(base.z, tf.tensor1d(this.grid.noiseIndex, 'int32')) as tf.Tensor2D);
    tf.dispose([base.z, ...(base.labels ? [base.labels] : [])]);
    this.labels = this.grid.labels ? tf.tensor1d(this.grid.labels, 'int32') : undefined;
  }

  get step(): number {
    return this.trainer.counters.step;
  }

  /** One iteration (one D update, then one G update), its logs read asynchronously. */
  trainStep(): Promise<StepLogs> {
    this.alive();
    return this.trainer.step(this.source);
  }

  /** G on the grid's fixed noise and classes (inference mode), read with `await data()`. */
  async samples(): Promise<SampleSnapshot> {
    this.alive();
    const start = performance.now();
    const step = this.step;
    const images = this.trainer.sample(this.z, this.labels);
    let values: Float32Array;
    try {
      values = (await images.data()) as Float32Array;
    } finally {
      images.dispose();
    }
    const [h, w, c] = this.gan.dataShape as [number, number, number];
    return {
      step,
      values,
      shape: [this.grid.count, h, w, c],
      range: (this.gan.dataRange ?? [-1, 1]) as [number, number],
      grid: this.grid,
      readMs: performance.now() - start,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.trainer.dispose();
    tf.dispose([this.z, ...(this.labels ? [this.labels] : [])]);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private alive(): void {
    if (this.disposed) throw new Error('this image session was reset: start a new one');
  }
}
