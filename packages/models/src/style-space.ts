/**
 * The W space of a style-based generator: what a sampler needs to truncate, mix and interpolate its per-layer
 * styles (StyleGAN's mixing regularisation, the running average w̄, the truncation trick), and images from styles.
 */
import { type ApplyCtx, type ParamTree, type Rng, type StateTree, uniformStream } from '@gankit/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Network, NetworkDef } from './network.js';

/**
 * A generator with a W space: how its per-layer styles are made, so that sampling can truncate, mix and
 * interpolate them. The network reads them back through `ctx.style` (`[batch, count, dim]`, or `[batch, dim]` for
 * one w everywhere), which then replaces the mapping of its input.
 */
export interface StyleSpace {
  /** Per-layer styles of the synthesis network (two per resolution). */
  count: number;
  /** Length of w. */
  dim: number;
  /** Styles of the coarse resolutions (4×4 and the next): the rows of a style-mixing grid take these. */
  coarse: number;
  /** Probability of style mixing in training. */
  mixing: number;
  /** Decay of w̄. */
  decay: number;
  /**
   * z `[batch, latentDim]` → per-layer styles `[batch, count, dim]`, with the network state handed back: in
   * training, w̄ moves towards the batch's mean w and, with probability `mixing` (drawn from `ctx.rng`), a second
   * latent's w takes over from a random crossover layer.
   */
  styles(
    params: ParamTree,
    state: StateTree,
    z: tf.Tensor,
    ctx: ApplyCtx,
  ): { ws: tf.Tensor3D; state: StateTree };
}

/** A generator definition with a W space. */
export interface StyleNetworkDef extends NetworkDef {
  styles: StyleSpace;
}

/** The W space of a generator definition, or undefined for generators without one. */
export function styleSpaceOf(def: NetworkDef): StyleSpace | undefined {
  return (def as Partial<StyleNetworkDef>).styles;
}

/**
 * Whether training mixes styles in this call, and from which layer: one draw per batch from `rng` (StyleGAN's
 * `style_mixing_prob`), the crossover uniform in 1 … count − 1; `count` means no mixing.
 */
export function mixingCrossover(rng: Rng, probability: number, count: number): number {
  const u = uniformStream(rng);
  if (count < 2 || !(u() < probability)) return count;
  return 1 + Math.floor(u() * (count - 1));
}

/** Per-layer styles `[batch, count, dim]`: layers before `crossover` take `a`, the rest `b` (each `[batch, dim]` or per layer). */
export function mixStyles(a: tf.Tensor, b: tf.Tensor, count: number, crossover: number): tf.Tensor3D {
  if (!Number.isInteger(crossover) || crossover < 0 || crossover > count)
    throw new Error(`mixStyles: crossover must be an integer from 0 to ${count}, got ${crossover}`);
  return tf.tidy(() => {
    const perLayer = (w: tf.Tensor) => (w.rank === 3 ? w : tf.tile(tf.expandDims(w, 1), [1, count, 1]));
    const wa = perLayer(a);
    const wb = perLayer(b);
    if (crossover === count) return wa as tf.Tensor3D;
    if (crossover === 0) return wb as tf.Tensor3D;
    const [batch, , dim] = wa.shape as [number, number, number];
    return tf.concat(
      [
        tf.slice(wa, [0, 0, 0], [batch, crossover, dim]),
        tf.slice(wb, [0, crossover, 0], [batch, count - crossover, dim]),
      ],
      1,
    ) as tf.Tensor3D;
  });
}

/** The running average of w: `w̄ ← decay·w̄ + (1 − decay)·mean_batch(w)` (StyleGAN's `dlatent_avg`). */
export function updateAverage(wAvg: tf.Tensor, w: tf.Tensor, decay: number): tf.Tensor1D {
  return tf.tidy(() => tf.add(tf.mul(wAvg, decay), tf.mul(tf.mean(w, 0), 1 - decay))) as tf.Tensor1D;
}

/**
 * The truncation trick in W (StyleGAN §3.1 / Appendix B): `w' = w̄ + ψ(w − w̄)` on the first `layers` styles (all
 * when absent; StyleGAN 1's figures use the first 8 of 18). ψ in [0, 1]: 1 leaves w as it is, 0 gives w̄.
 */
export function truncateStyles(ws: tf.Tensor3D, wAvg: tf.Tensor, psi: number, layers?: number): tf.Tensor3D {
  if (!(psi >= 0 && psi <= 1)) throw new Error(`truncation ψ must be in [0, 1], got ${psi}`);
  const count = ws.shape[1];
  if (layers != null && !(Number.isInteger(layers) && layers >= 1))
    throw new Error(`truncation layers must be a positive integer, got ${layers}`);
  const cut = Math.min(layers ?? count, count);
  return tf.tidy(() => {
    const mask = tf.reshape(tf.tensor1d(Array.from({ length: count }, (_, i) => (i < cut ? 1 : 0))), [
      1,
      count,
      1,
    ]);
    const avg = tf.reshape(wAvg, [1, 1, -1]);
    const pulled = tf.add(avg, tf.mul(tf.sub(ws, avg), psi)); // exactly w̄ at ψ = 0
    // a 0/1 mask picks exactly: the pulled styles on the first layers, w on the rest
    return tf.add(tf.mul(mask, pulled), tf.mul(tf.sub(1, mask), ws)) as tf.Tensor3D;
  });
}

/** Options of sampling from a style generator. */
export interface StyleSampleOptions {
  /** Truncation ψ in W, in [0, 1] (default 1: none). */
  psi?: number;
  /** Truncate only the first `layers` styles (default: all). */
  layers?: number;
}

/** The w̄ in a style generator's state. */
export function averageStyle(network: Pick<Network, 'def' | 'state'>): tf.Tensor1D {
  requireStyleSpace(network.def);
  const w = network.state.wAvg;
  if (!(w instanceof tf.Tensor)) throw new Error('this style generator has no w̄ in its state');
  return w as tf.Tensor1D;
}

function requireStyleSpace(def: NetworkDef): StyleSpace {
  const space = styleSpaceOf(def);
  if (space == null)
    throw new Error(`${def.architecture} ${def.role} has no W space (only style-based generators do)`);
  return space;
}

/** Per-layer styles `[n, count, dim]` of latents `z`, in inference mode, truncated by ψ towards w̄. */
export function stylesOf(
  network: Pick<Network, 'def' | 'state'>,
  params: ParamTree,
  z: tf.Tensor,
  options: StyleSampleOptions = {},
): tf.Tensor3D {
  const space = requireStyleSpace(network.def);
  return tf.tidy(() => {
    const { ws } = space.styles(params, network.state, z, { training: false });
    return options.psi == null || options.psi === 1
      ? ws
      : truncateStyles(ws, averageStyle(network), options.psi, options.layers);
  });
}

/**
 * Images from per-layer styles `[n, count, dim]` (or one w `[n, dim]`), with noise from `rng`: a map per image, or
 * with `sharedNoise` one map for all (StyleGAN's constant noise, so that images differ by their styles only; each
 * image then gets what it would get drawn alone).
 */
export function synthesize(
  network: Network,
  params: ParamTree,
  ws: tf.Tensor,
  rng: Rng = 0,
  options: { sharedNoise?: boolean } = {},
): tf.Tensor4D {
  requireStyleSpace(network.def);
  return tf.tidy(() => {
    const z = tf.zeros([ws.shape[0]!, network.def.inputShape[0]!]);
    const ctx = { training: false, rng, style: ws, sharedNoise: options.sharedNoise === true };
    return network.apply(params, network.state, z, ctx).out[network.def.main] as tf.Tensor4D;
  });
}
