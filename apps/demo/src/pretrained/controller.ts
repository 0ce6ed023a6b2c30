/**
 * The pretrained view's behaviour without the DOM: the list of generators and their files (fetched), the current
 * generator (freeing the one it replaces), what is asked of it (class, truncation, seed, the walk's seeds and
 * position; for style generators ψ in W, the noise's seed and the mixing grid's crossover), and its tensor work one
 * task at a time — a grid, a walk, a frame or a mixing grid superseded by a newer request of its kind before it
 * started is skipped (resolving to `undefined`), so dragging a slider never piles up work.
 */
import { SerialQueue } from '../shared/scheduler.js';
import { type GeneratorEntry, parseGeneratorIndex } from './catalog.js';
import { LoadedGenerator } from './generator.js';
import type { ClassChoice } from './latent.js';
import {
  frameAt,
  type GridSamples,
  gridSamples,
  type Images,
  latentOf,
  mixingSamples,
  type WalkEnds,
  walkSamples,
} from './samples.js';
import type { MixingCell, StyleDraw } from './style.js';

const COLS = 8;
/** Rows of the grid for one class (or an unconditional generator). */
const ROWS = 4;
export const WALK_FRAMES = 8;
/** The style-mixing grid: rows of coarse-style latents × columns of fine-style latents. */
export const MIX_ROWS = 3;
export const MIX_COLS = 6;

export interface Current {
  gen: LoadedGenerator;
  /** The catalog id, or the name of the visitor's file. */
  source: string;
  entry?: GeneratorEntry;
}

/** What the visitor asks for. */
export interface Asked {
  /** A class, `all` (a row per class), or `undefined` for an unconditional generator. */
  choice: ClassChoice;
  truncation: number | undefined;
  seed: number;
  walkA: number;
  walkB: number;
  /** The position along the walk, in [0, 1]. */
  walkT: number;
  /** Style generators: truncation ψ in W, in [0, 1] (1: none); `truncation` is for the others. */
  psi: number;
  /** Style generators: the seed of the per-layer noise. */
  noiseSeed: number;
  /** Style generators: the mixing grid's first layer taken from the columns (fitted to each generator). */
  crossover: number;
}

export interface Painted {
  /** The generator that made the images (still the current one). */
  current: Current;
  images: Images;
}

export interface GridPainted extends Painted {
  latents: GridSamples['latents'];
  /** What the grid shows, the class as asked of this generator: `null` for an unconditional one. */
  choice: 'all' | number | null;
  seed: number;
  truncation: number | undefined;
  /** How a style generator drew it (ψ, noise seed); undefined for the others. */
  style: StyleDraw | undefined;
  /** `source|choice|truncation|seed` (a style generator: `source|none|ψ<psi>|seed|noise <seed>`), for the page's tests. */
  key: string;
}

export interface MixingPainted extends Painted {
  cells: MixingCell[];
  rows: number;
  cols: number;
  crossover: number;
  /** Rows' latents come from `seed`, columns' from `seed + 1`. */
  seed: number;
  /** Of the styles in all (the crossover's range is 1 … count − 1). */
  count: number;
  style: StyleDraw;
  /** `source|crossover|ψ<psi>|seed|noise <seed>`, for the page's tests. */
  key: string;
}

export interface WalkPainted extends Painted {
  /** The class of the walk (conditional generators). */
  label: number | undefined;
}

type Fetch = (url: string) => Promise<Response>;

export class PretrainedController {
  readonly asked: Asked = {
    choice: 'all',
    truncation: undefined,
    seed: 1,
    walkA: 1,
    walkB: 2,
    walkT: 0.5,
    psi: 1,
    noiseSeed: 1,
    crossover: 4,
  };
  current: Current | undefined;
  private walkEnds: WalkEnds | undefined;
  private disposed = false;
  private readonly queue = new SerialQueue();
  private readonly versions = { grid: 0, walk: 0, frame: 0, mixing: 0 };

  /** `base`: where index.json and the generator files are (ending in `/`). */
  constructor(
    private readonly base: string,
    private readonly fetchFn: Fetch = (url) => fetch(url),
  ) {}

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The list in index.json; throws a sentence for a missing or malformed list. */
  async loadIndex(): Promise<GeneratorEntry[]> {
    const res = await this.fetchFn(`${this.base}index.json`);
    if (!res.ok) throw new Error(`generators/index.json: HTTP ${res.status}`);
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new Error('generators/index.json is not valid JSON');
    }
    return parseGeneratorIndex(json);
  }

  /** Fetches and reads an entry's file, then makes it the current generator (false when unmounted meanwhile). */
  async loadEntry(entry: GeneratorEntry): Promise<boolean> {
    const res = await this.fetchFn(`${this.base}${entry.file}`);
    if (!res.ok)
      throw new Error(
        `${entry.file}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} — this generator's file is not on the server (it belongs in public/generators/)`,
      );
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (this.disposed) return false;
    return this.use(new LoadedGenerator(bytes, entry.file), entry.id, entry);
  }

  /** Reads a file of the visitor's own and makes it the current generator. */
  async loadFile(bytes: Uint8Array, name: string): Promise<boolean> {
    return this.use(new LoadedGenerator(bytes, name), name);
  }

  /**
   * Makes `gen` the current generator, freeing the previous one, and fits the asked class to it (`all` for a
   * conditional one unless a class it has was asked; none for an unconditional one). False, and `gen` freed, when
   * the controller was disposed meanwhile.
   */
  async use(gen: LoadedGenerator, source: string, entry?: GeneratorEntry): Promise<boolean> {
    await this.queue.run(() => {
      if (this.disposed) return;
      this.current?.gen.dispose();
      this.current = { gen, source, ...(entry ? { entry } : {}) };
      this.walkEnds = undefined;
    });
    if (this.disposed) {
      gen.dispose();
      return false;
    }
    const { choice, crossover } = this.asked;
    if (gen.classes == null) this.asked.choice = undefined;
    else if (typeof choice !== 'number' || choice >= gen.classes) this.asked.choice = 'all';
    const styles = gen.styles;
    if (styles != null && !(crossover >= 1 && crossover < styles.count)) this.asked.crossover = styles.coarse;
    return true;
  }

  /** How the current generator draws: ψ and the noise's seed for a style generator, else undefined. */
  private styleDraw(current: Current): StyleDraw | undefined {
    return current.gen.styles == null ? undefined : { psi: this.asked.psi, noiseSeed: this.asked.noiseSeed };
  }

  /** New per-layer noise for the same latents (style generators): the next noise seed. */
  resampleNoise(): number {
    this.asked.noiseSeed += 1;
    return this.asked.noiseSeed;
  }

  /** The sample grid of what is asked. */
  grid(): Promise<GridPainted | undefined> {
    return this.schedule('grid', async (current) => {
      const { gen, source } = current;
      const style = this.styleDraw(current);
      const { seed, choice: asked } = this.asked;
      // a style generator truncates in W (ψ), not z
      const truncation = style ? undefined : this.asked.truncation;
      const req = { cols: COLS, rows: ROWS, seed, truncation, choice: asked };
      const { images, latents } = await gridSamples(gen, req, style);
      const choice = gen.classes == null ? null : asked === 'all' ? 'all' : (asked as number);
      const cut = style ? `ψ${style.psi}` : (truncation ?? 'off');
      const key = `${source}|${choice ?? 'none'}|${cut}|${seed}${style ? `|noise ${style.noiseSeed}` : ''}`;
      return { current, images, latents, choice, seed, truncation, style, key };
    });
  }

  /** The style-mixing grid of the asked seed, crossover, ψ and noise (undefined for generators without W). */
  mixing(): Promise<MixingPainted | undefined> {
    return this.schedule('mixing', async (current) => {
      const { gen, source } = current;
      const style = this.styleDraw(current);
      if (style == null || gen.styles == null) return undefined;
      const { seed, crossover } = this.asked;
      const req = { rows: MIX_ROWS, cols: MIX_COLS, seed, crossover };
      const { images, cells } = await mixingSamples(gen, req, style);
      const key = `${source}|${crossover}|ψ${style.psi}|${seed}|noise ${style.noiseSeed}`;
      return {
        current,
        images,
        cells,
        rows: MIX_ROWS,
        cols: MIX_COLS,
        crossover,
        seed,
        count: gen.styles.count,
        style,
        key,
      };
    });
  }

  /** The walk's frames between the latents of the two seeds (of the asked class, or class 0 for `all`). */
  walk(): Promise<WalkPainted | undefined> {
    return this.schedule('walk', async (current) => {
      const { gen } = current;
      const style = this.styleDraw(current);
      const { walkA, walkB, choice } = this.asked;
      const truncation = style ? undefined : this.asked.truncation;
      const label = gen.classes != null ? (typeof choice === 'number' ? choice : 0) : undefined;
      const ends: WalkEnds = {
        a: await latentOf(gen, walkA, label, truncation),
        b: await latentOf(gen, walkB, label, truncation),
        ...(label != null ? { label } : {}),
      };
      const images = await walkSamples(gen, ends, WALK_FRAMES, style);
      if (this.current === current) this.walkEnds = ends;
      return { current, images, label };
    });
  }

  /** The frame at the asked position along the last walk (nothing before a walk). */
  frame(): Promise<Painted | undefined> {
    return this.schedule('frame', async (current) => {
      const ends = this.walkEnds;
      if (ends == null) return undefined;
      return { current, images: await frameAt(current.gen, ends, this.asked.walkT, this.styleDraw(current)) };
    });
  }

  /** Waits for the work in hand, then frees the generator; later requests resolve to `undefined`. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue.idle();
    this.current?.gen.dispose();
    this.current = undefined;
  }

  /**
   * Runs `task` on the current generator in the queue, unless a newer request of its kind came first, the
   * controller was disposed, or there is no generator; its result is dropped when the generator changed meanwhile.
   */
  private schedule<T extends Painted>(
    kind: keyof PretrainedController['versions'],
    task: (current: Current) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const v = ++this.versions[kind];
    return this.queue.run(async () => {
      const current = this.current;
      if (v !== this.versions[kind] || this.disposed || current == null) return undefined;
      const out = await task(current);
      return this.disposed || this.current !== current ? undefined : out;
    });
  }
}

/** The status line for `current`: its source, architecture and steps, and where index.json and the file disagree. */
export function statusLine({ gen, source, entry }: Current): string {
  const notes: string[] = [];
  if (entry && entry.conditional !== (gen.classes != null))
    notes.push(
      `index.json calls ${entry.file} ${entry.conditional ? 'conditional' : 'unconditional'}, its manifest ${gen.classes != null ? `has ${gen.classes} classes` : 'has no classes'}: the file wins`,
    );
  return [`${source}: ${gen.manifest.architecture}, ${gen.manifest.steps} steps`, ...notes].join(' — ');
}
