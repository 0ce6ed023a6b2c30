/**
 * An image-to-image generator in the page: a file exported by `gankit export` (format gankit-translator/1), read by
 * @gankit/models' `loadTranslator`, checked to be one of the tasks the pads can feed, run in inference mode with its
 * reads asynchronous.
 */
import { translationSource } from '@gankit/datasets';
import { loadTranslator, type Network, type TranslatorManifest, translateImages } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { TRANSLATION_TASKS, type TranslationTask } from './catalog.js';

/** One image, `[h, w, c]` row-major, values in [0, 1]. */
export interface UnitImage {
  values: Float32Array;
  shape: [number, number, number];
}

export class LoadedTranslator {
  readonly manifest: TranslatorManifest;
  readonly network: Network;
  readonly task: TranslationTask;
  /** The task's options as the run's config gave them (edge threshold and thickness, hole kind, factor). */
  readonly taskOptions: Record<string, unknown>;
  readonly sourceShape: [number, number, number];
  readonly targetShape: [number, number, number];
  private disposed = false;

  /** Reads a file; throws a sentence about it for anything the page cannot use. */
  constructor(
    bytes: Uint8Array,
    readonly fileName: string,
  ) {
    const { manifest, network } = loadTranslator(bytes, fileName);
    const kind = String(manifest.task?.kind ?? 'given');
    const fail = (why: string) => {
      network.dispose();
      return new Error(`${fileName}: ${why}`);
    };
    if (!(TRANSLATION_TASKS as readonly string[]).includes(kind))
      throw fail(
        `its generator was trained on ${kind === 'given' ? 'pairs of your own' : `the '${kind}' task`}; this page draws sources for ${TRANSLATION_TASKS.join(', ')} generators`,
      );
    const target = manifest.targetShape;
    if (target.length !== 3 || (target[2] !== 1 && target[2] !== 3))
      throw fail(`it makes data of shape [${target}], not images`);
    this.manifest = manifest;
    this.network = network;
    this.task = kind as TranslationTask;
    this.taskOptions = { ...manifest.task };
    this.sourceShape = [...manifest.sourceShape] as [number, number, number];
    this.targetShape = [...target] as [number, number, number];
  }

  /** The target's channels (1: grey, 3: colour). */
  get channels(): number {
    return this.targetShape[2];
  }

  /**
   * G on one source, as the task makes sources: an edge drawing (edges), an image and its hole (inpaint), or a
   * low-resolution image (downscale: given at the source size, so the visitor can draw on it). Returns the target.
   */
  async translate(image: UnitImage, mask?: Float32Array): Promise<UnitImage> {
    if (this.disposed) throw new Error(`${this.fileName} was unloaded`);
    const task = this.task === 'downscale' ? { kind: 'given' } : { kind: this.task };
    const source = translationSource(task, image.values, image.shape, this.manifest.dataRange, mask);
    const expected = this.sourceShape.join('×');
    if (source.shape.join('×') !== expected)
      throw new Error(`${this.fileName} takes ${expected} sources, was given ${source.shape.join('×')}`);
    const out = tf.tidy(() =>
      translateImages(
        this.network,
        tf.tensor4d(source.values, [1, ...source.shape]),
        this.manifest.dataRange,
      ),
    );
    try {
      return { values: (await out.data()) as Float32Array, shape: this.targetShape };
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.network.dispose();
  }
}

/** What the training task made the sources of, in words. */
export function taskLine(task: Record<string, unknown> | undefined): string {
  const t = task ?? {};
  switch (t.kind) {
    case 'edges':
      return `Sobel edge maps (threshold ${t.threshold ?? 0.2}, thickness ${t.thickness ?? 1}) → images`;
    case 'inpaint':
      return `images with ${t.mask ?? 'rectangles'} holes → whole images`;
    case 'downscale':
      return `images area-averaged ×${t.factor} → the images`;
    default:
      return `${String(t.kind ?? 'given')} pairs`;
  }
}

/** The info panel's lines: what the manifest says (and the measured numbers the run wrote into it). */
export function describeTranslator(
  m: TranslatorManifest,
  fileName: string,
  byteLength: number,
): [string, string][] {
  const info = m.info ?? {};
  const rows: [string, string][] = [
    ['architecture', m.architecture],
    ['dataset', typeof info.dataset === 'string' ? info.dataset : 'not recorded'],
    ['task', taskLine(m.task)],
    ['source → target', `${m.sourceShape.join(' × ')} → ${m.targetShape.join(' × ')}`],
    ['training steps', m.steps.toLocaleString('en')],
    ['weights', m.ema ? "EMA of G's weights" : "G's weights"],
  ];
  if (typeof info.preset === 'string') rows.push(['preset', info.preset]);
  const metrics = info.metrics as
    | { metric: string; value: number; details?: { baseline?: number }; settings?: { baseline?: unknown } }[]
    | undefined;
  if (Array.isArray(metrics))
    for (const r of metrics)
      if (typeof r?.metric === 'string' && typeof r.value === 'number') {
        const base = r.details?.baseline;
        const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));
        const name = typeof r.settings?.baseline === 'string' ? r.settings.baseline : 'baseline';
        rows.push([r.metric, `${fmt(r.value)}${typeof base === 'number' ? ` (${name} ${fmt(base)})` : ''}`]);
      }
  rows.push(['file', `${fileName} (${(byteLength / 1024 / 1024).toFixed(2)} MB)`]);
  return rows;
}
