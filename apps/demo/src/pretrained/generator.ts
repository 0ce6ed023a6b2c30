/**
 * A pretrained generator in the page: an exported safetensors file read by @gankit/models' `loadGenerator`,
 * checked to make images, run in inference mode with every read asynchronous.
 */
import {
  type GanDef,
  type GeneratorManifest,
  loadGenerator,
  type Network,
  type StyleSpace,
} from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { type MixingCell, mixingImages, type StyleDraw, styleImages, styleSpaceOfNetwork } from './style.js';

export type Images = { values: Float32Array; shape: [number, number, number, number] };

export class LoadedGenerator {
  readonly manifest: GeneratorManifest;
  readonly gan: GanDef;
  readonly network: Network;
  /** One image: [height, width, channels]. */
  readonly imageShape: [number, number, number];
  readonly range: [number, number];
  /** The W space of a style-based generator (StyleGAN), from its model spec; undefined for the others. */
  readonly styles: StyleSpace | undefined;
  private disposed = false;

  /**
   * Reads a generator file; throws a sentence about the file for anything that is not a gankit image generator
   * (not safetensors, no manifest, unknown model, wrong weights, points rather than images).
   */
  constructor(
    bytes: Uint8Array,
    readonly fileName: string,
    /** How big the file is (for the info panel). */
    readonly byteLength = bytes.length,
  ) {
    const { manifest, gan, network } = loadGenerator(bytes, fileName);
    const shape = manifest.dataShape ?? gan.dataShape;
    if (shape.length !== 3 || (shape[2] !== 1 && shape[2] !== 3)) {
      network.dispose();
      throw new Error(
        `${fileName}: ${manifest.architecture} makes data of shape [${shape}], not images (height × width × 1 or 3 channels); this page shows image generators`,
      );
    }
    this.manifest = manifest;
    this.gan = gan;
    this.network = network;
    this.imageShape = shape as [number, number, number];
    this.range = manifest.dataRange ?? (gan.dataRange as [number, number] | undefined) ?? [-1, 1];
    this.styles = styleSpaceOfNetwork(network);
  }

  get classes(): number | undefined {
    return this.gan.classes;
  }

  /** Class names for the class picker: the manifest's, else the class numbers. */
  get classNames(): string[] {
    const k = this.gan.classes ?? 0;
    const names = this.manifest.classNames;
    return Array.from({ length: k }, (_, i) => names?.[i] ?? String(i));
  }

  /**
   * G(z) (with `labels` for conditional models), in inference mode, read with `await data()`. A style generator
   * draws through W as `style` says (default: ψ = 1, noise seed 0); the others ignore it.
   */
  generate(z: tf.Tensor2D, labels?: tf.Tensor1D, style?: StyleDraw): Promise<Images> {
    return this.read(() => {
      const { network } = this;
      if (this.styles != null) return styleImages(network, z, style ?? { psi: 1, noiseSeed: 0 });
      return network.apply(network.params, network.state, z, {
        training: false,
        ...(labels ? { labels } : {}),
      }).out.images!;
    });
  }

  /** The style-mixing grid's images (every cell but the corner) and its layout; only for style generators. */
  async mixing(
    zRows: tf.Tensor2D,
    zCols: tf.Tensor2D,
    crossover: number,
    draw: Omit<StyleDraw, 'sameNoise'>,
  ): Promise<{ images: Images; cells: MixingCell[] }> {
    let cells: MixingCell[] = [];
    const images = await this.read(() => {
      const out = mixingImages(this.network, zRows, zCols, crossover, draw);
      cells = out.cells;
      return out.images;
    });
    return { images, cells };
  }

  /** Runs `make` in a tidy and reads its images back, freeing them. */
  private async read(make: () => tf.Tensor): Promise<Images> {
    if (this.disposed) throw new Error(`${this.fileName} was unloaded`);
    const images = tf.tidy(make);
    try {
      const values = (await images.data()) as Float32Array;
      return { values, shape: [images.shape[0]!, ...this.imageShape] };
    } finally {
      images.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.network.dispose();
  }
}

/** The info panel's lines: what the manifest says about the generator (and the file's size). */
export function describeGenerator(
  manifest: GeneratorManifest,
  extra: { fileName?: string; byteLength?: number; dataset?: string } = {},
): [string, string][] {
  const info = manifest.info ?? {};
  const dataset = typeof info.dataset === 'string' ? info.dataset : (extra.dataset ?? 'not recorded');
  const rows: [string, string][] = [
    ['architecture', manifest.architecture],
    ['dataset', dataset],
    ['training steps', manifest.steps.toLocaleString('en')],
    ['weights', manifest.ema ? "EMA of G's weights" : "G's weights"],
    ['latent size', String(manifest.latentDim)],
    ['images', manifest.dataShape.join(' × ')],
    ['classes', manifest.classes != null ? String(manifest.classes) : 'none (unconditional)'],
  ];
  if (typeof info.preset === 'string') rows.push(['preset', info.preset]);
  if (extra.fileName) {
    const size = extra.byteLength != null ? ` (${(extra.byteLength / 1024 / 1024).toFixed(2)} MB)` : '';
    rows.push(['file', `${extra.fileName}${size}`]);
  }
  return rows;
}
