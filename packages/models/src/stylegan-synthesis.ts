/** StyleGAN's synthesis network: a learned constant, per-resolution blocks of styled convolutions with noise, toRGBs. */
import {
  adain,
  constantInput,
  conv2d,
  dense,
  elementwise,
  type Layer,
  leaf,
  modulatedConv2d,
  noiseInjection,
  type ParamTree,
  requireStyle,
  type Shape,
  type StateTree,
  type SummaryRow,
  sequential,
  splitRng,
  styleAt,
} from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { StyleganOptions } from './stylegan.js';

const SQRT2 = Math.SQRT2;
/** Leaky ReLU (0.2) with StyleGAN 2's gain √2 (its weights carry gain 1). */
const scaledLeakyRelu = () => elementwise('ScaledLeakyReLU', (x) => tf.mul(tf.leakyRelu(x, 0.2), SQRT2), {});

/** Nearest-neighbour resize to `size × size` (4 → 7 as well as the ×2 steps). */
function resizeTo(size: number): Layer {
  return leaf({
    kind: 'Resize',
    init: (_rng, [, , c]) => ({ outputShape: [size, size, c!] }),
    apply: (_p, _s, x) =>
      x.shape[1] === size ? x : tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [size, size]),
  });
}

/**
 * The synthesis input made from w instead of learned: an equalized dense map of the first style to the 4×4
 * features — StyleGAN's "traditional input" ablation (Karras et al. 2019, Table 1, configs A–C, where z fed the
 * first layer), kept a function of the styles so that truncation, mixing and W interpolation still hold.
 */
function styleInput(shape: [number, number, number], styleDim: number): Layer {
  const map = dense({ units: shape[0] * shape[1] * shape[2], equalized: { gain: 1 } });
  return styleAt(
    0,
    leaf({
      kind: 'StyleInput',
      init: (rng, _inputShape, path) => ({
        params: map.init(rng, [styleDim], path).params,
        outputShape: shape,
      }),
      apply(params, _s, x, ctx) {
        const style = requireStyle(ctx, x.shape[0]!, styleDim, 'styleInput');
        return tf.reshape(map.apply(params, {}, style, ctx).y, [-1, ...shape]);
      },
    }),
  );
}

export const sub = <T extends ParamTree | StateTree>(tree: T, key: string): T => (tree[key] ?? {}) as T;

/**
 * The synthesis network: the learned 4×4 constant (or, with `input: 'style'`, a dense map of the first style), two
 * style layers per resolution, noise everywhere, and RGB out — StyleGAN 2: a 1×1 modulated toRGB per resolution
 * whose upsampled sum is the image (the skip generator), or with `output: 'last'` only the last one (the paper's
 * "orig" architecture, Fig. 7); StyleGAN 1: AdaIN after each noise, one toRGB at the end.
 */
export function synthesis(o: Required<StyleganOptions>, sizes: readonly number[]): Layer {
  const { styleDim, channels, gFilters } = o;
  const R = sizes.length;
  type Stage = { name: string; layer: Layer };
  const stages: Stage[][] = [];
  const input = (f: number): Stage => ({
    name: 'const',
    layer: o.input === 'style' ? styleInput([4, 4, f], styleDim) : constantInput({ shape: [4, 4, f] }),
  });
  const skip = o.variant === 'modulated' && o.output === 'skip';
  if (o.variant === 'modulated') {
    const conv = (i: number, filters: number) =>
      styleAt(
        i,
        sequential([
          modulatedConv2d({ filters, kernelSize: 3, styleDim }),
          noiseInjection({ name: 'noise' }),
          scaledLeakyRelu(),
        ]),
      );
    const toRgb = (i: number) =>
      styleAt(i, modulatedConv2d({ filters: channels, kernelSize: 1, styleDim, demodulate: false }));
    for (let r = 0; r < R; r++) {
      const f = gFilters[r]!;
      const body: Stage[] =
        r === 0
          ? [input(f), { name: 'conv', layer: conv(0, f) }]
          : [
              { name: 'up', layer: resizeTo(sizes[r]!) },
              { name: 'conv0', layer: conv(2 * r - 1, f) },
              { name: 'conv1', layer: conv(2 * r, f) },
            ];
      if (skip || r === R - 1) body.push({ name: 'torgb', layer: toRgb(2 * r + 1) });
      stages.push(body);
    }
  } else {
    const style = (i: number, f: number, first: boolean) =>
      styleAt(
        i,
        sequential([
          ...(first ? [] : [conv2d({ filters: f, kernelSize: 3, padding: 'same', equalized: true })]),
          noiseInjection({ name: 'noise' }),
          elementwise('LeakyReLU', (x) => tf.leakyRelu(x, 0.2)),
          adain({ styleDim }),
        ]),
      );
    for (let r = 0; r < R; r++) {
      const f = gFilters[r]!;
      stages.push(
        r === 0
          ? [
              input(f),
              { name: 'style0', layer: style(0, f, true) },
              { name: 'style1', layer: style(1, f, false) },
            ]
          : [
              { name: 'up', layer: resizeTo(sizes[r]!) },
              { name: 'style0', layer: style(2 * r, f, false) },
              { name: 'style1', layer: style(2 * r + 1, f, false) },
            ],
      );
    }
    stages[R - 1]!.push({
      name: 'torgb',
      layer: conv2d({ filters: channels, kernelSize: 1, equalized: { gain: 1 } }),
    });
  }
  const name = (r: number) => `b${sizes[r]}`;
  return {
    kind: 'Synthesis',
    name: 'synthesis',
    init(rng, inputShape, path) {
      const rngs = splitRng(rng, R);
      const params: ParamTree = {};
      const rows: SummaryRow[] = [];
      let shape: Shape = inputShape;
      for (let r = 0; r < R; r++) {
        const sr = splitRng(rngs[r]!, stages[r]!.length);
        const p: ParamTree = {};
        let rgbShape: Shape | undefined;
        stages[r]!.forEach((s, j) => {
          const res = s.layer.init(sr[j]!, shape, `${path}/${name(r)}/${s.name}`);
          if (Object.keys(res.params).length > 0) p[s.name] = res.params;
          rows.push(
            ...res.rows.map((row, k) =>
              k === 0 && res.rows.length === 1 ? { ...row, name: `${name(r)}/${s.name}` } : row,
            ),
          );
          if (s.name === 'torgb') rgbShape = res.outputShape;
          else shape = res.outputShape;
        });
        params[name(r)] = p;
        if (r === R - 1 && rgbShape) shape = rgbShape;
      }
      return { params, state: {}, outputShape: shape, rows };
    },
    apply(params, _state, x, ctx) {
      const rngs = ctx.rng == null ? [] : splitRng(ctx.rng, R * 4);
      let y = x;
      let rgb: tf.Tensor | undefined;
      for (let r = 0; r < R; r++) {
        stages[r]!.forEach((s, j) => {
          const c = { ...ctx, rng: rngs[r * 4 + j] };
          const out = s.layer.apply(sub(sub(params, name(r)), s.name), {}, y, c).y;
          if (s.name !== 'torgb') y = out;
          else if (skip && rgb != null)
            rgb = tf.add(tf.image.resizeNearestNeighbor(rgb as tf.Tensor4D, [sizes[r]!, sizes[r]!]), out);
          else rgb = out;
        });
      }
      return { y: rgb!, state: {} };
    },
  };
}
