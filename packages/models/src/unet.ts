/** pix2pix's U-Net generator (Isola et al. 2017), at any image size. */
import {
  batchNorm,
  conv2d,
  conv2dTranspose,
  dropout,
  instanceNorm,
  type Layer,
  leakyRelu,
  type ParamTree,
  randomNormal,
  relu,
  type Shape,
  type StateTree,
  type SummaryRow,
  sequential,
  splitRng,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';

export interface UnetOptions {
  /** Filters of each 4×4 stride-2 encoder convolution, outermost first (the decoder mirrors them). */
  filters: readonly number[];
  /** Output channels. */
  channels: number;
  /** Normalisation after every convolution but the first encoder one and the innermost (default `batch`). */
  norm?: 'batch' | 'instance' | 'none';
  /** Decoder layers next to the innermost one with dropout 0.5 — pix2pix's noise (default 3, as the paper). */
  dropoutLayers?: number;
  /** `tanh` (images in [−1, 1], default) or `linear`. */
  output?: 'tanh' | 'linear';
}

/** pix2pix's initialisation: N(0, 0.02²). */
const w002 = randomNormal(0.02);

const normLayer = (norm: UnetOptions['norm']): Layer[] =>
  norm === 'none' ? [] : [norm === 'instance' ? instanceNorm() : batchNorm({ momentum: 0.9, epsilon: 1e-5 })];

/** Crops `[n, h, w, c]` to `h × w` from the top left (a decoder output of an odd-sized level is one pixel larger). */
const cropTo = (x: tf.Tensor, h: number, w: number) =>
  x.shape[1] === h && x.shape[2] === w ? x : tf.slice(x, [0, 0, 0, 0], [-1, h, w, -1]);

/**
 * The U-Net: an encoder of 4×4 stride-2 convolutions (LeakyReLU 0.2 before each but the first, normalisation after
 * each but the first and the innermost), a decoder of 4×4 stride-2 transposed convolutions (ReLU before each,
 * normalisation after, dropout 0.5 in the `dropoutLayers` next to the innermost), every decoder level concatenated with the
 * encoder level of its size (skip connections) — cropped when an odd size rounded up — and a tanh output. 28×28
 * with 5 levels runs 28 → 14 → 7 → 4 → 2 → 1 and back.
 */
export function unet(options: UnetOptions): Layer {
  const { filters, channels, norm = 'batch', dropoutLayers = 3, output = 'tanh' } = options;
  const depth = filters.length;
  if (depth < 1 || filters.some((f) => !(Number.isInteger(f) && f > 0)))
    throw new Error(`unet: filters must be positive whole numbers, one per level, got [${filters}]`);
  const down = filters.map((f, i) =>
    sequential([
      ...(i === 0 ? [] : [leakyRelu(0.2)]),
      conv2d({
        filters: f,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        useBias: i === 0 || i === depth - 1 || norm === 'none',
        kernelInitializer: w002,
      }),
      ...(i === 0 || i === depth - 1 ? [] : normLayer(norm)),
    ]),
  );
  // decoder level i makes the size of encoder level i − 1 (the image for i = 0), from the level below it
  const up = filters.map((_, i) => {
    const last = i === 0;
    const f = last ? channels : filters[i - 1]!;
    return sequential([
      relu(),
      conv2dTranspose({
        filters: f,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        useBias: last || norm === 'none',
        kernelInitializer: w002,
      }),
      ...(last ? [] : normLayer(norm)),
      ...(!last && i < depth - 1 && depth - 1 - i <= dropoutLayers ? [dropout(0.5)] : []),
    ]);
  });
  const name = (kind: 'down' | 'up', i: number) => `${kind}${i}`;
  return {
    kind: 'UNet',
    name: 'unet',
    init(rng, inputShape, path) {
      const rngs = splitRng(rng, 2 * depth);
      const params: ParamTree = {};
      const state: StateTree = {};
      const rows: SummaryRow[] = [];
      const shapes: Shape[] = [inputShape];
      const put = (key: string, r: { params: ParamTree; state: StateTree; rows: SummaryRow[] }) => {
        if (Object.keys(r.params).length) params[key] = r.params;
        if (Object.keys(r.state).length) state[key] = r.state;
        rows.push(...r.rows);
      };
      for (let i = 0; i < depth; i++) {
        const r = down[i]!.init(rngs[i]!, shapes[i]!, `${path}/${name('down', i)}`);
        put(name('down', i), r);
        shapes.push(r.outputShape);
      }
      let shape = shapes[depth]!;
      for (let i = depth - 1; i >= 0; i--) {
        const r = up[i]!.init(rngs[depth + i]!, shape, `${path}/${name('up', i)}`);
        put(name('up', i), r);
        const [h, w] = shapes[i]!;
        const c = r.outputShape[2]!;
        // concatenated with encoder level i (not at the image level)
        shape = i === 0 ? [h!, w!, c] : [h!, w!, c + shapes[i]![2]!];
      }
      return { params, state, outputShape: shape, rows };
    },
    apply(params, state, x, ctx) {
      const rngs = ctx.rng == null ? [] : splitRng(ctx.rng, 2 * depth);
      const next: StateTree = {};
      const run = (layer: Layer, key: string, input: tf.Tensor, r: number | undefined) => {
        const out = layer.apply((params[key] ?? {}) as ParamTree, (state[key] ?? {}) as StateTree, input, {
          ...ctx,
          rng: r,
        });
        if (Object.keys(out.state).length) next[key] = out.state;
        return out.y;
      };
      const levels: tf.Tensor[] = [x];
      for (let i = 0; i < depth; i++) levels.push(run(down[i]!, name('down', i), levels[i]!, rngs[i]));
      let y = levels[depth]!;
      for (let i = depth - 1; i >= 0; i--) {
        const skip = levels[i]!;
        const decoded = cropTo(
          run(up[i]!, name('up', i), y, rngs[depth + i]),
          skip.shape[1]!,
          skip.shape[2]!,
        );
        y = i === 0 ? decoded : tf.concat([decoded, skip], -1);
      }
      return { y: output === 'tanh' ? tf.tanh(y) : y, state: next };
    },
  };
}
