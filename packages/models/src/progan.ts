import {
  type ApplyCtx,
  conv2d,
  dense,
  downsample,
  flatten,
  foldIn,
  type Layer,
  leakyRelu,
  minibatchStdDev,
  type ParamTree,
  pixelNorm,
  reshape,
  type Shape,
  type StateTree,
  type SummaryRow,
  sequential,
  upsample,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { GanDef, GanStage, NetworkDef } from './network.js';

export interface ProganOptions {
  /**
   * 28 (MNIST-sized): grows 7 → 14 → 28, every step a doubling, no padding, so the shipped 28×28 feature
   * extractors score it; 32: grows 4 → 8 → 16 → 32, the paper's 4×4 start.
   */
  imageSize?: 28 | 32;
  channels?: number;
  latentDim?: number;
  /** Feature maps at each resolution, low to high (one per resolution). */
  widths?: number[];
}

const SOURCE =
  'Karras, Aila, Laine & Lehtinen 2018, "Progressive Growing of GANs for Improved Quality, Stability, and Variation" (ICLR), and its official code (networks.py: G_paper, D_paper)';

/** The resolutions a model grows through, low to high. */
export function proganResolutions(imageSize: number): number[] {
  switch (imageSize) {
    case 28:
      return [7, 14, 28];
    case 32:
      return [4, 8, 16, 32];
    default:
      throw new Error(`progan: imageSize must be 28 (7 → 14 → 28) or 32 (4 → 8 → 16 → 32), got ${imageSize}`);
  }
}

export function resolveProgan(options: ProganOptions): Required<ProganOptions> {
  const imageSize = options.imageSize ?? 28;
  const resolutions = proganResolutions(imageSize);
  const widths = options.widths ?? (imageSize === 28 ? [64, 64, 32] : [64, 64, 32, 16]);
  const resolved = { imageSize, channels: options.channels ?? 1, latentDim: options.latentDim ?? 64, widths };
  if (widths.length !== resolutions.length)
    throw new Error(
      `progan: widths must give one width per resolution (${resolutions.join(', ')}), got ${widths.length}`,
    );
  const checks: [string, number][] = [
    ['channels', resolved.channels],
    ['latentDim', resolved.latentDim],
    ...widths.map((v, i): [string, number] => [`widths[${i}]`, v]),
  ];
  for (const [k, v] of checks)
    if (!Number.isInteger(v) || v <= 0) throw new Error(`progan: ${k} must be a positive integer, got ${v}`);
  return resolved as Required<ProganOptions>;
}

// Every convolution and dense layer uses equalized learning rate: N(0, 1) weights scaled by gain/√fanIn at run time.
const GAIN = Math.SQRT2;
const conv = (filters: number, kernelSize: number, gain = GAIN) =>
  conv2d({ filters, kernelSize, padding: 'same', equalized: { gain } });
const lrelu = () => leakyRelu(0.2);

/** A named child of a grown network: its layer and the shape it is fed. */
interface Part {
  name: string;
  layer: Layer;
  input: Shape;
}

/**
 * A layer made of named parts whose parameters sit under `<path>/<name>` whatever else the network holds, so that
 * the parameters of a part keep their path when the network grows (and carry over). Each part draws its initial
 * weights from a stream keyed by its name, so that a part starts the same in every stage.
 */
function grown(
  kind: string,
  parts: Part[],
  outputShape: Shape,
  forward: (
    run: (name: string, x: tf.Tensor, ctx: ApplyCtx) => tf.Tensor,
    x: tf.Tensor,
    ctx: ApplyCtx,
  ) => tf.Tensor,
): Layer {
  const byName = new Map(parts.map((p) => [p.name, p]));
  const streamOf = (name: string) =>
    [...name].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16_777_619), 2_166_136_261);
  return {
    kind,
    name: undefined,
    init(rng, _inputShape, path) {
      const params: ParamTree = {};
      const state: StateTree = {};
      const rows: SummaryRow[] = [];
      for (const p of parts) {
        const r = p.layer.init(foldIn(rng, streamOf(p.name) >>> 0), p.input, `${path}/${p.name}`);
        if (Object.keys(r.params).length) params[p.name] = r.params;
        if (Object.keys(r.state).length) state[p.name] = r.state;
        rows.push(...r.rows.map((row) => ({ ...row, name: `${p.name}/${row.name}` })));
      }
      return { params, state, outputShape, rows };
    },
    apply(params, state, x, ctx) {
      const run = (name: string, input: tf.Tensor, c: ApplyCtx) => {
        const part = byName.get(name)!;
        return part.layer.apply(
          (params[name] as ParamTree | undefined) ?? {},
          (state[name] as StateTree | undefined) ?? {},
          input,
          c,
        ).y;
      };
      return { y: forward(run, x, ctx), state };
    },
  };
}

/** `old + α·(new − old)`: the fade-in blend (α absent or ≥ 1: the new path alone). */
export function fadeIn(old: tf.Tensor, next: tf.Tensor, alpha: number): tf.Tensor {
  return tf.add(old, tf.mul(tf.sub(next, old), alpha));
}

const fadingAlpha = (ctx: ApplyCtx) =>
  ctx.alpha == null || ctx.alpha >= 1 ? undefined : Math.max(0, ctx.alpha);

/**
 * ProGAN's generator at resolution index `stage`: z pixel-normalised → dense to r₀×r₀ (gain √2/4, the official
 * code's) → 3×3 conv; then per resolution ×2 nearest upsample and two 3×3 convs; leaky ReLU 0.2 and pixel norm after
 * every conv; a linear 1×1 toRGB (gain 1), no tanh. While `fading`, the previous resolution's toRGB output is
 * upsampled and blended with the new one by `ctx.alpha`.
 */
function generatorBody(o: Required<ProganOptions>, stage: number, fading: boolean): Layer {
  const res = proganResolutions(o.imageSize);
  const w = o.widths;
  const r0 = res[0]!;
  const parts: Part[] = [
    {
      name: `b${r0}`,
      input: [o.latentDim],
      layer: sequential([
        pixelNorm({ name: 'latent_norm' }),
        dense({ units: r0 * r0 * w[0]!, equalized: { gain: GAIN / 4 } }),
        reshape([r0, r0, w[0]!]),
        lrelu(),
        pixelNorm(),
        conv(w[0]!, 3),
        lrelu(),
        pixelNorm(),
      ]),
    },
  ];
  for (let i = 1; i <= stage; i++)
    parts.push({
      name: `b${res[i]}`,
      input: [res[i - 1]!, res[i - 1]!, w[i - 1]!],
      layer: sequential([
        upsample(2),
        conv(w[i]!, 3),
        lrelu(),
        pixelNorm(),
        conv(w[i]!, 3),
        lrelu(),
        pixelNorm(),
      ]),
    });
  const rgb = (i: number): Part => ({
    name: `rgb${res[i]}`,
    input: [res[i]!, res[i]!, w[i]!],
    layer: conv(o.channels, 1, 1),
  });
  const fades = fading && stage > 0;
  if (fades) parts.push(rgb(stage - 1));
  parts.push(rgb(stage));
  const r = res[stage]!;
  return grown('ProGANGenerator', parts, [r, r, o.channels], (run, z, ctx) => {
    let h = run(`b${r0}`, z, ctx);
    let prev = h;
    for (let i = 1; i <= stage; i++) {
      prev = h;
      h = run(`b${res[i]}`, h, ctx);
    }
    const images = run(`rgb${r}`, h, ctx);
    const alpha = fades ? fadingAlpha(ctx) : undefined;
    if (alpha == null) return images;
    const low = run(`rgb${res[stage - 1]}`, prev, ctx) as tf.Tensor4D;
    return fadeIn(tf.image.resizeNearestNeighbor(low, [r, r]), images, alpha);
  });
}

/**
 * ProGAN's discriminator at resolution index `stage`, the generator's mirror: a 1×1 fromRGB (leaky ReLU) at the
 * input resolution, then per resolution two 3×3 convs and a 2×2 average-pool; at r₀, minibatch stddev (group 4), a
 * 3×3 conv, a dense layer and a linear output (gain 1). While `fading`, the input is also average-pooled into the
 * previous resolution's fromRGB, and the two paths are blended by `ctx.alpha` after the new block.
 */
function discriminatorBody(o: Required<ProganOptions>, stage: number, fading: boolean): Layer {
  const res = proganResolutions(o.imageSize);
  const w = o.widths;
  const r0 = res[0]!;
  const fromRgb = (i: number): Part => ({
    name: `from${res[i]}`,
    input: [res[i]!, res[i]!, o.channels],
    layer: sequential([conv(w[i]!, 1), lrelu()]),
  });
  const fades = fading && stage > 0;
  const parts: Part[] = [fromRgb(stage)];
  if (fades) parts.push(fromRgb(stage - 1));
  for (let i = stage; i >= 1; i--)
    parts.push({
      name: `b${res[i]}`,
      input: [res[i]!, res[i]!, w[i]!],
      layer: sequential([conv(w[i]!, 3), lrelu(), conv(w[i - 1]!, 3), lrelu(), downsample(2)]),
    });
  parts.push({
    name: `b${r0}`,
    input: [r0, r0, w[0]!],
    layer: sequential([
      minibatchStdDev({ groupSize: 4 }),
      conv(w[0]!, 3),
      lrelu(),
      flatten(),
      dense({ units: w[0]!, equalized: { gain: GAIN } }),
      lrelu(),
      dense({ units: 1, equalized: { gain: 1 }, name: 'logit' }),
    ]),
  });
  return grown('ProGANDiscriminator', parts, [1], (run, x, ctx) => {
    let h = run(`from${res[stage]}`, x, ctx);
    if (stage > 0) h = run(`b${res[stage]}`, h, ctx);
    const alpha = fades ? fadingAlpha(ctx) : undefined;
    if (alpha != null) {
      const old = run(`from${res[stage - 1]}`, tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'), ctx);
      h = fadeIn(old, h, alpha);
    }
    for (let i = stage - 1; i >= 1; i--) h = run(`b${res[i]}`, h, ctx);
    return run(`b${r0}`, h, ctx);
  });
}

function networks(
  o: Required<ProganOptions>,
  stage: number,
  fading: boolean,
): { generator: NetworkDef; discriminator: NetworkDef } {
  const res = proganResolutions(o.imageSize);
  const r = res[stage]!;
  const architecture = `progan-${o.imageSize}`;
  const at = `${r}×${r}${fading ? ', fading in' : ''}`;
  const generator: NetworkDef = {
    name: 'generator',
    role: 'generator',
    architecture: `${architecture} at ${at}`,
    source: SOURCE,
    inputShape: [o.latentDim],
    body: generatorBody(o, stage, fading),
    main: 'images',
  };
  const discriminator: NetworkDef = {
    name: 'discriminator',
    role: 'discriminator',
    architecture: `${architecture} at ${at}`,
    source: SOURCE,
    inputShape: [r, r, o.channels],
    body: discriminatorBody(o, stage, fading),
    main: 'logits',
  };
  return { generator, discriminator };
}

/**
 * Progressive growing of GANs (ProGAN) at small scale: networks defined at every resolution, low to high, whose
 * parameters keep their paths as they grow (`b14/conv2d/kernel`, `rgb14/kernel`, …), so a
 * grown network takes over the smaller one's weights. `generator`/`discriminator` are the full-size networks (what
 * an exported generator reloads as); `stages` hold each resolution's networks and, from the second on, the
 * networks while it fades in. Equalized learning rate everywhere, pixel norm in G, minibatch stddev in D, linear
 * outputs (WGAN-GP with drift, as the paper); data in [−1, 1].
 *
 * @example
 * const gan = progan({ imageSize: 28 }); // 7 → 14 → 28
 * gan.stages!.map((s) => s.resolution); // [7, 14, 28]
 */
export function progan(options: ProganOptions = {}): GanDef {
  const o = resolveProgan(options);
  const res = proganResolutions(o.imageSize);
  const stages: GanStage[] = res.map((resolution, i) => ({
    resolution,
    ...networks(o, i, false),
    ...(i > 0 ? { fading: networks(o, i, true) } : {}),
  }));
  const last = stages.at(-1)!;
  return {
    architecture: `progan-${o.imageSize}`,
    source: SOURCE,
    generator: { ...last.generator, architecture: `progan-${o.imageSize}` },
    discriminator: { ...last.discriminator, architecture: `progan-${o.imageSize}` },
    latentDim: o.latentDim,
    dataShape: [o.imageSize, o.imageSize, o.channels],
    dataRange: [-1, 1],
    stages,
  };
}
