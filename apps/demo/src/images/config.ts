/**
 * The image playground's settings as plain data, and how they become a model spec, a TrainConfig and the layout of
 * the live sample grid. No DOM, no tensors: tested in Node.
 */
import type { ModelSpec } from '@gankit/models';
import { type TrainConfig, trainConfigProblems } from '@gankit/train';
import { DATA_DATASETS, type DataDatasetName } from '../shared/data-files.js';

export type ImageModelChoice = 'cgan' | 'dcgan';

export interface ImageConfig {
  dataset: DataDatasetName;
  /** `cgan`: class-conditional (the trainer's `quick` preset), one grid row per class; `dcgan`: unconditional. */
  model: ImageModelChoice;
  /** DCGAN width: G's last hidden layer and D's first have this many filters (the quick preset: 32). */
  width: number;
  latentDim: number;
  batchSize: number;
  /** Adam's learning rate for both networks (β₁ 0.5, β₂ 0.999). */
  lr: number;
  seed: number;
}

export const IMAGE_DATASETS: readonly { value: DataDatasetName; label: string }[] = [
  { value: 'mnist', label: 'MNIST digits' },
  { value: 'fashion-mnist', label: 'Fashion-MNIST clothes' },
];

export const IMAGE_MODELS: readonly { value: ImageModelChoice; label: string }[] = [
  { value: 'cgan', label: 'cGAN (by class)' },
  { value: 'dcgan', label: 'DCGAN' },
];

export const WIDTHS = [8, 16, 32] as const;
export const IMAGE_BATCH_SIZES = [16, 32, 64] as const;
export const IMAGE_LEARNING_RATES = [2e-4, 5e-4, 1e-3, 2e-3] as const;

/**
 * The trainer's `quick` preset scaled to a browser tab: a 28×28 cGAN of width 16 (the preset: 32), latent 64,
 * batch 32 (64), Adam 10⁻³ (5·10⁻⁴) with β₁ 0.5. On wasm (one thread, Node) that is about 7 steps/s, and after a
 * minute (≈ 450 steps) the shipped MNIST classifier reads 60 % of the samples as the digit their row asks for;
 * width 32 takes twice as long for the same.
 */
export const DEFAULT_IMAGE_CONFIG: ImageConfig = {
  dataset: 'mnist',
  model: 'cgan',
  width: 16,
  latentDim: 64,
  batchSize: 32,
  lr: 1e-3,
  seed: 1,
};

/**
 * Everything wrong with `c`, as sentences for the page (empty when it can train). The page's own ranges come first;
 * the TrainConfig it makes is @gankit/train's to check (the seed, and whatever those ranges let through), without
 * naming a setting twice.
 */
export function imageConfigProblems(c: ImageConfig): string[] {
  const problems: string[] = [];
  /** TrainConfig fields whose setting a problem above already names. */
  const named = new Set<string>();
  if (!(DATA_DATASETS as readonly string[]).includes(c.dataset))
    problems.push(`unknown dataset '${c.dataset}'`);
  if (!IMAGE_MODELS.some((m) => m.value === c.model)) problems.push(`unknown model '${c.model}'`);
  const positiveInt = (v: number, name: string, max: number) => {
    const ok = Number.isInteger(v) && v >= 1 && v <= max;
    if (!ok) problems.push(`${name} must be an integer from 1 to ${max}`);
    return ok;
  };
  positiveInt(c.width, 'width', 128);
  positiveInt(c.latentDim, 'latent size', 512);
  if (!positiveInt(c.batchSize, 'batch size', 512)) named.add('batchSize');
  if (!(c.lr > 0 && c.lr <= 1)) {
    problems.push(`learning rate must be in (0, 1], got ${c.lr}`);
    named.add('optimizers.generator.learningRate').add('optimizers.discriminator.learningRate');
  }
  for (const p of trainConfigProblems(imageTrainConfigOf(c), ''))
    if (!named.has(p.path)) problems.push(p.message);
  return problems;
}

/** The networks: @gankit/models' 28×28 cGAN or DCGAN, one channel. */
export function toImageModelSpec(c: ImageConfig): ModelSpec {
  const options = { imageSize: 28 as const, channels: 1, width: c.width, latentDim: c.latentDim };
  return c.model === 'cgan'
    ? { family: 'cgan', options: { ...options, classes: 10 } }
    : { family: 'dcgan', options };
}

/** DCGAN's recipe (the trainer's presets): non-saturating loss, k = 1, Adam β₁ 0.5 for both networks. */
export function toImageTrainConfig(c: ImageConfig): TrainConfig {
  const problems = imageConfigProblems(c);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return imageTrainConfigOf(c);
}

/** The TrainConfig of `c`, unchecked. */
function imageTrainConfigOf(c: ImageConfig): TrainConfig {
  const adam = { kind: 'adam' as const, learningRate: c.lr, beta1: 0.5, beta2: 0.999 };
  return {
    seed: c.seed,
    batchSize: c.batchSize,
    loss: 'non-saturating',
    schedule: { dSteps: 1, gSteps: 1 },
    optimizers: { generator: adam, discriminator: { ...adam } },
  };
}

/** The live grid: which class each sample asks for (conditional models) and how the samples are laid out. */
export interface SampleGrid {
  count: number;
  rows: number;
  cols: number;
  /** Class of each sample, row-major (row r = class r), for conditional models. */
  labels?: Int32Array;
  /** The noise vector each sample uses: samples in one column share theirs (same style, another class). */
  noiseIndex: Int32Array;
}

/**
 * Conditional: a row per class, `cols` samples each, the same noise down a column (so a column is one "style"
 * drawn as every class). Unconditional: `cols × cols` samples, each with its own noise.
 */
export function sampleGrid(classes: number | undefined, cols = 8): SampleGrid {
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`sample grid: cols must be ≥ 1, got ${cols}`);
  if (classes == null) {
    const count = cols * cols;
    return { count, rows: cols, cols, noiseIndex: Int32Array.from({ length: count }, (_, i) => i) };
  }
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`sample grid: classes must be ≥ 1, got ${classes}`);
  const count = classes * cols;
  return {
    count,
    rows: classes,
    cols,
    labels: Int32Array.from({ length: count }, (_, i) => Math.floor(i / cols)),
    noiseIndex: Int32Array.from({ length: count }, (_, i) => i % cols),
  };
}

/**
 * What the page says about training speed on this backend: convolutions on a software WebGPU adapter
 * (SwiftShader) or in plain JavaScript take seconds per iteration, so it points to WebAssembly.
 */
export function speedNote(backend: string, slow: boolean): { text: string; slow: boolean } {
  if (backend === 'wasm')
    return {
      text: 'WebAssembly: several iterations per second with the default model — recognisable shapes within a minute or two.',
      slow: false,
    };
  if (slow || backend === 'cpu')
    return {
      text: `Convolutions are slow on ${backend} here (a software adapter or plain JavaScript): an iteration can take seconds, and the samples need hundreds. WebAssembly is much faster on this machine.`,
      slow: true,
    };
  return { text: `Training on ${backend}.`, slow: false };
}
