import {
  type ApplyCtx,
  build,
  disposeTree,
  type Layer,
  type ParamTree,
  type Shape,
  type StateTree,
  type SummaryRow,
  splitRng,
  summary,
  variablesOf,
} from '@gankit/layers';
import type * as tf from '@tensorflow/tfjs-core';

/** What a generator or discriminator is: layers plus what they take and give. Pure data; `instantiate` builds it. */
export interface NetworkDef {
  /** Root of variable names and the summary title, e.g. `generator`. */
  name: string;
  role: 'generator' | 'discriminator';
  /** The architecture, e.g. `dcgan-32`, and where it comes from. */
  architecture: string;
  source: string;
  /** One example's input: `[latentDim]` for generators, the image or point shape for discriminators. */
  inputShape: Shape;
  /** Layers from the input to the main output (or to the features the heads read). */
  body: Layer;
  /**
   * Extra outputs computed from the body's output (AC-GAN's class logits, InfoGAN's Q), each a layer. When there
   * are heads, `main` names the head that gives the main output; otherwise the body gives it.
   */
  heads?: Record<string, Layer>;
  /** Name of the main output: `images` for generators, `logits` for discriminators (pre-sigmoid scores). */
  main: string;
  /** Number of classes when the network reads `ctx.labels`. */
  classes?: number;
}

export interface NetworkOutputs {
  out: Record<string, tf.Tensor>;
  state: StateTree;
}

/** A built network: its parameters and state, and a pure `apply`. */
export interface Network {
  def: NetworkDef;
  /** Root of this instance's variable names (`generator`, or `generator_1` when one exists). */
  path: string;
  params: ParamTree;
  state: StateTree;
  rows: SummaryRow[];
  outputShapes: Record<string, Shape>;
  /** Trainable variables, for the optimizer of this network only. */
  variables(): tf.Variable[];
  summary(): string;
  /** Runs the network on a batch; conditional networks need `ctx.labels`. */
  apply(params: ParamTree, state: StateTree, x: tf.Tensor, ctx: ApplyCtx): NetworkOutputs;
  dispose(): void;
}

/**
 * Builds a network from its definition with seeded weights.
 *
 * @example
 * const { generator } = dcgan({ imageSize: 32, channels: 3 });
 * const g = instantiate(generator, 1);
 * const { out } = g.apply(g.params, g.state, z, { training: false });
 * out.images; // [batch, 32, 32, 3] in [−1, 1]
 */
export function instantiate(def: NetworkDef, seed: number, name = def.name): Network {
  const heads = def.heads ?? {};
  const body = build(def.body, { name, inputShape: def.inputShape, seed });
  const params: ParamTree = { ...body.params };
  const state: StateTree = { ...body.state };
  const rows = [...body.rows];
  const outputShapes: Record<string, Shape> = {};
  if (Object.keys(heads).length === 0) outputShapes[def.main] = body.outputShape;
  const headRngs = splitRng(seed ^ 0x5bd1e995, Object.keys(heads).length);
  Object.entries(heads).forEach(([key, head], i) => {
    if (key in params || key in state)
      throw new Error(`${def.architecture}: head '${key}' collides with a body layer of that name`);
    const r = head.init(headRngs[i]!, body.outputShape, `${body.path}/${key}`);
    if (Object.keys(r.params).length > 0) params[key] = r.params;
    if (Object.keys(r.state).length > 0) state[key] = r.state;
    rows.push(...r.rows.map((row, j) => (j === 0 && r.rows.length === 1 ? { ...row, name: key } : row)));
    outputShapes[key] = r.outputShape;
  });
  if (!(def.main in outputShapes))
    throw new Error(`${def.architecture}: main output '${def.main}' is not one of its heads`);
  const network: Network = {
    def,
    path: body.path,
    params,
    state,
    rows,
    outputShapes,
    variables: () => variablesOf(network.params),
    summary: () => summary(name, rows),
    apply(p, s, x, ctx) {
      if (def.classes != null && ctx.labels == null) {
        throw new Error(
          `${def.architecture} ${def.role} is conditional: pass ctx.labels (int32 class ids, shape [batch])`,
        );
      }
      const headNames = Object.keys(heads);
      const bodyParams = headNames.length ? omit(p, headNames) : p;
      const bodyState = headNames.length ? omit(s, headNames) : s;
      const r = def.body.apply(bodyParams, bodyState, x, ctx);
      if (headNames.length === 0) return { out: { [def.main]: r.y }, state: r.state };
      const out: Record<string, tf.Tensor> = {};
      const nextState: StateTree = { ...r.state };
      for (const key of headNames) {
        const h = heads[key]!.apply((p[key] as ParamTree) ?? {}, (s[key] as StateTree) ?? {}, r.y, ctx);
        out[key] = h.y;
        if (Object.keys(h.state).length > 0) nextState[key] = h.state;
      }
      return { out, state: nextState };
    },
    dispose() {
      disposeTree(network.params);
      disposeTree(network.state);
    },
  };
  return network;
}

function omit<T extends object>(tree: T, keys: string[]): T {
  const out = { ...tree } as Record<string, unknown>;
  for (const k of keys) delete out[k];
  return out as T;
}

/** A generator and a discriminator that belong together, with what a trainer needs to know to feed them. */
export interface GanDef {
  architecture: string;
  source: string;
  generator: NetworkDef;
  discriminator: NetworkDef;
  /** Size of the noise vector z. */
  latentDim: number;
  /** Shape of one data example (and of one generated sample). */
  dataShape: Shape;
  /** Range of the generator's output, which real data must be scaled to; absent when unbounded (toy data). */
  dataRange?: [number, number];
  /** Classes for conditional models (labels go to G and D through `ctx.labels`). */
  classes?: number;
  /** InfoGAN latent codes appended to z: categorical (one-hot) and continuous (uniform in [−1, 1]). */
  codes?: { categorical: number[]; continuous: number };
  /** PacGAN packing: D sees this many samples concatenated as one (1 = no packing). */
  pack?: number;
  /**
   * Progressive growing (ProGAN): the networks at each resolution, low to high — the last are `generator` and
   * `discriminator`. Parameters keep their paths from one stage to the next, so a grown network takes them over.
   */
  stages?: readonly GanStage[];
}

/** One resolution of a progressively grown GAN. */
export interface GanStage {
  /** Height and width of the images at this stage. */
  resolution: number;
  generator: NetworkDef;
  discriminator: NetworkDef;
  /** The networks while this resolution fades in (both paths, blended by `ctx.alpha`); absent at the first. */
  fading?: { generator: NetworkDef; discriminator: NetworkDef };
}

/**
 * An image-to-image GAN (pix2pix, inpainting, SRGAN): G maps a source image to a target image; D judges targets —
 * with their source beside them on the channel axis when `pairedD` (pix2pix's conditional D), alone otherwise.
 */
export interface TranslationDef {
  architecture: string;
  source: string;
  generator: NetworkDef;
  discriminator: NetworkDef;
  /** A second discriminator of the targets (inpainting: a PatchGAN beside the global D). */
  localDiscriminator?: NetworkDef;
  /** One source example, e.g. `[28, 28, 1]` edges, `[7, 7, 1]` for ×4 super-resolution, `[28, 28, 2]` masked. */
  sourceShape: Shape;
  /** One target example. */
  targetShape: Shape;
  /** D sees `concat(source, target)` (same size), or the target alone. */
  pairedD: boolean;
  /** Range of G's output and of the data. */
  dataRange: [number, number];
}
