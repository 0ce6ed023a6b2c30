import { discardState, keyFor, replaceState, type StateTree, splitRng } from '@gankit/layers';
import { instanceNoise, instanceNoiseSigma } from '@gankit/losses';
import { type Network, styleSpaceOf } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import { diffAugment } from './augment.js';
import { growReals } from './growth.js';
import { latent } from './latents.js';
import type { Batch, DrawnCodes, Forward, GanProblem, Stream, ValueDef } from './problem.js';
import type { ReplayPool } from './replay.js';

export interface ForwardContext {
  problem: GanProblem;
  networks: Readonly<Record<string, Network>>;
  replay: Readonly<Record<string, ReplayPool>>;
  group: string;
  step: number;
  k: number;
  update: number;
  alpha: number | undefined;
  batch: Batch;
  /** Rows of random values (latents, class ids). */
  n: number;
  /** Prefix of every random purpose (updates outside the schedule draw from their own streams). */
  prefix?: string;
}

type Computed = { tensor: tf.Tensor; out?: Record<string, tf.Tensor>; codes?: DrawnCodes };

/**
 * The values of one update. Networks of the trained group thread their state through their calls and keep the
 * last one (`finish`); every other network is frozen: applied with its state as it was, its new state dropped.
 */
export type { Batch, DrawnCodes, Forward };

export class UpdateForward implements Forward {
  readonly group: string;
  readonly step: number;
  readonly k: number;
  readonly update: number;
  readonly alpha: number | undefined;
  private readonly memo = new Map<string, Computed>();
  private readonly pending = new Set<string>();
  private readonly states = new Map<string, StateTree[]>();
  private readonly dropped: [Network, StateTree][] = [];
  private readonly trained: Set<string>;

  constructor(private readonly c: ForwardContext) {
    this.group = c.group;
    this.step = c.step;
    this.k = c.k;
    this.update = c.update;
    this.alpha = c.alpha;
    this.trained = new Set(
      Object.entries(c.problem.networks)
        .filter(([, slot]) => slot.group === c.group)
        .map(([name]) => name),
    );
  }

  key(purpose: string): number {
    return keyFor(this.c.problem.seed, this.c.step, `${this.c.prefix ?? ''}${purpose}`, this.c.k);
  }

  value(name: string): tf.Tensor {
    return this.get(name).tensor;
  }

  /** Whether the update has computed `name` (scores are read only from values the terms asked for). */
  has(name: string): boolean {
    return this.memo.has(name);
  }

  /** A value, or undefined for an optional data value the batch does not have. */
  maybe(name: string): tf.Tensor | undefined {
    const def = this.def(name);
    if (def.kind === 'data' && def.optional && this.c.batch[def.key] == null) return undefined;
    return this.value(name);
  }

  output(name: string, head: string): tf.Tensor {
    const out = this.get(name).out;
    if (out == null)
      throw new Error(`value '${name}' is not a network's output, so it has no head '${head}'`);
    const t = out[head];
    if (t == null)
      throw new Error(`value '${name}' has no head '${head}' (it has: ${Object.keys(out).join(', ')})`);
    return t;
  }

  codes(name: string): DrawnCodes {
    const codes = this.get(name).codes;
    if (codes == null) throw new Error(`value '${name}' was not drawn with InfoGAN codes`);
    return codes;
  }

  critic(network: string, labels?: string): (x: tf.Tensor) => tf.Tensor {
    const net = this.network(network);
    const y = labels == null ? undefined : (this.maybe(labels) as tf.Tensor1D | undefined);
    // as the network is applied in this update: faded by the phase's α
    const alpha = this.alpha != null ? { alpha: this.alpha } : {};
    return (x) =>
      net.apply(net.params, net.state, x, { training: false, labels: y, ...alpha }).out[net.def.main]!;
  }

  get rows(): number {
    return this.c.n;
  }

  styles(
    network: string,
    n: number,
    purpose: string,
  ): { ws: tf.Tensor3D; synthesize: (ws: tf.Tensor) => tf.Tensor } {
    const net = this.network(network);
    const space = styleSpaceOf(net.def);
    if (space == null)
      throw new Error(
        `network '${network}' (${net.def.architecture} ${net.def.role}) has no W space: path-length regularisation needs a style-based generator (e.g. model stylegan)`,
      );
    const state = this.trained.has(network) ? (this.states.get(network)?.at(-1) ?? net.state) : net.state;
    const [rZ, rStyle, rSynth] = splitRng(this.key(purpose), 3);
    const z = tf.randomNormal([n, net.def.inputShape[0]!], 0, 1, 'float32', rZ);
    const ctx = { training: true, ...(this.alpha != null ? { alpha: this.alpha } : {}) };
    const r = space.styles(net.params, state, z, { ...ctx, rng: rStyle });
    this.dropped.push([net, r.state]); // w̄ moves with G's own batches only
    const synthesize = (ws: tf.Tensor) => {
      const out = net.apply(net.params, state, tf.zeros([ws.shape[0]!, net.def.inputShape[0]!]), {
        ...ctx,
        rng: rSynth,
        style: ws,
      });
      this.dropped.push([net, out.state]);
      return out.out[net.def.main]!;
    };
    return { ws: r.ws, synthesize };
  }

  /** Adopts the trained networks' last states and drops the frozen networks' new ones. */
  finish(): void {
    for (const [name, chain] of this.states) {
      const net = this.c.networks[name]!;
      net.state = chain.reduce((prev, next) => replaceState(prev, next), net.state);
    }
    for (const [net, state] of this.dropped) discardState(net.state, state);
    this.states.clear();
    this.dropped.length = 0;
  }

  private def(name: string): ValueDef {
    const def = this.c.problem.values[name];
    if (def == null)
      throw new Error(
        `no value '${name}' in problem ${this.c.problem.name} (values: ${Object.keys(this.c.problem.values).join(', ')})`,
      );
    return def;
  }

  private network(name: string): Network {
    const net = this.c.networks[name];
    if (net == null) throw new Error(`no network '${name}' in problem ${this.c.problem.name}`);
    return net;
  }

  private stream(stream: Stream | undefined, fallback: string): string | undefined {
    if (stream == null) return fallback;
    return typeof stream === 'string' ? stream : stream[this.group];
  }

  private get(name: string): Computed {
    const hit = this.memo.get(name);
    if (hit) return hit;
    if (this.pending.has(name)) throw new Error(`value '${name}' depends on itself`);
    this.pending.add(name);
    const computed = this.compute(name, this.def(name));
    this.pending.delete(name);
    this.memo.set(name, computed);
    return computed;
  }

  private compute(name: string, def: ValueDef): Computed {
    const { n } = this.c;
    switch (def.kind) {
      case 'data': {
        const t = this.c.batch[def.key];
        if (t == null)
          throw new Error(
            `the batch has no '${def.key}' for value '${name}' (it has: ${Object.keys(this.c.batch).join(', ')})`,
          );
        return { tensor: t };
      }
      case 'latent':
        return latent(n, def.dim, def.codes, this.key(this.stream(def.stream, name) ?? name));
      case 'classes': {
        const key = this.key(this.stream(def.stream, name) ?? name);
        return {
          tensor: tf.tidy(() =>
            tf.cast(tf.floor(tf.randomUniform([n], 0, def.classes, 'float32', key)), 'int32'),
          ),
        };
      }
      case 'apply':
        return this.apply(name, def);
      case 'present':
        return { tensor: this.present(def) };
      case 'concat':
        return {
          tensor: tf.concat(
            def.inputs.map((v) => this.value(v)),
            def.axis ?? -1,
          ),
        };
      case 'resize':
        return { tensor: growReals(this.value(def.input), def.size, def.fade ? this.alpha : undefined) };
    }
  }

  private apply(name: string, def: Extract<ValueDef, { kind: 'apply' }>): Computed {
    const net = this.network(def.network);
    const x = this.value(def.input);
    const labels = def.labels == null ? undefined : (this.maybe(def.labels) as tf.Tensor1D | undefined);
    const trained = this.trained.has(def.network);
    const chain = this.states.get(def.network);
    const state = trained ? (chain?.at(-1) ?? net.state) : net.state;
    const rng = this.stream(def.rng, name);
    const r = net.apply(net.params, state, x, {
      training: true,
      labels,
      ...(rng != null ? { rng: this.key(rng) } : {}),
      ...(this.alpha != null ? { alpha: this.alpha } : {}),
    });
    if (trained) this.states.set(def.network, [...(chain ?? []), r.state]);
    else this.dropped.push([net, r.state]);
    const head = def.output ?? net.def.main;
    const tensor = r.out[head];
    if (tensor == null)
      throw new Error(
        `network '${def.network}' has no output '${head}' (it has: ${Object.keys(r.out).join(', ')})`,
      );
    return { tensor, out: r.out };
  }

  private present(def: Extract<ValueDef, { kind: 'present' }>): tf.Tensor {
    const { problem } = this.c;
    let y = this.value(def.input);
    if (def.replay && problem.replay?.in.includes(this.group)) {
      const pool = this.c.replay[def.input];
      if (pool == null) throw new Error(`no replay pool for '${def.input}'`);
      y = pool.mix(y, this.key('replay'));
    }
    const pack = problem.pack ?? 1;
    if (pack > 1) {
      const rows = y.shape[0]!;
      if (rows % pack !== 0)
        throw new Error(`batch of ${rows} is not divisible by the PacGAN packing degree ${pack}`);
      y = tf.reshape(y, [rows / pack, -1]);
    }
    const stream = def.prepare == null ? undefined : this.stream(def.prepare, '');
    if (stream == null || stream === '') return y;
    const which = `${this.c.prefix ?? ''}${stream}-${this.k}`;
    const seed = problem.seed;
    if (problem.instanceNoise) {
      const sigma = instanceNoiseSigma(this.step, problem.instanceNoise);
      y = instanceNoise(y, sigma, keyFor(seed, this.step, `noise-${which}`));
    }
    if (problem.augment?.length)
      y = diffAugment(y as tf.Tensor4D, [...problem.augment], keyFor(seed, this.step, `augment-${which}`));
    return y;
  }
}
