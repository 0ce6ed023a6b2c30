/**
 * The image-to-image view's behaviour without the DOM: the list of translators and their files (fetched), the
 * current one (freeing the one it replaces), the visitor's input — an edge drawing, an image and its hole, or a
 * low-resolution image — started from an example of the dataset's test split (which no generator trained on), and
 * the translation, one at a time: a request superseded by a newer one before it started resolves to `undefined`, so
 * a drag of the pen never piles up work.
 */
import { areaDownscale, bicubicUpscale, holeMask, type ImageDataset, sobelEdges } from '@gankit/datasets';
import { SerialQueue } from '../shared/scheduler.js';
import { parseTranslatorIndex, type TranslatorEntry } from './catalog.js';
import { LoadedTranslator, type UnitImage } from './translator.js';

type Fetch = (url: string) => Promise<Response>;
type Examples = (entry: TranslatorEntry) => Promise<ImageDataset>;

export interface Current {
  entry: TranslatorEntry;
  translator: LoadedTranslator;
  byteLength: number;
}

/** What the visitor works on. */
export interface Input {
  /** The pad's image: the edge drawing, the image to inpaint, or the low-resolution image. */
  image: UnitImage;
  /** Inpainting: the hole `[h, w]`, 1 in the hole. */
  mask?: Float32Array;
  /** The example's full image (the target), while the pad still holds what was made from it (inpaint: always). */
  original?: UnitImage;
  example: number;
  /** The example's class name. */
  label: string;
  /** Changes to the pad since the example was set (each drag movement that changed a cell, each button). */
  edits: number;
}

export interface Translated {
  current: Current;
  input: Input;
  output: UnitImage;
  /** Super-resolution's baseline: the pad's low-resolution image upscaled bicubically. */
  bicubic?: UnitImage;
  /** `id|example|edits`, for the page's tests. */
  key: string;
}

export class TranslateController {
  current: Current | undefined;
  input: Input | undefined;
  private disposed = false;
  private version = 0;
  private readonly queue = new SerialQueue();
  private data: ImageDataset | undefined;
  /** Loads started: a load that finishes after a newer one started is dropped. */
  private loads = 0;

  /** `base`: where translators.json and the files are (ending in `/`); `examples`: a dataset's test images. */
  constructor(
    private readonly base: string,
    private readonly examples: Examples,
    private readonly fetchFn: Fetch = (url) => fetch(url),
  ) {}

  /** The list in translators.json; throws a sentence for a missing or malformed list. */
  async loadIndex(): Promise<TranslatorEntry[]> {
    const res = await this.fetchFn(`${this.base}translators.json`);
    if (!res.ok) throw new Error(`generators/translators.json: HTTP ${res.status}`);
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new Error('generators/translators.json is not valid JSON');
    }
    return parseTranslatorIndex(json);
  }

  /**
   * Fetches and reads an entry's file and its examples, makes it the current translator with example `example`
   * (false when disposed meanwhile, or when a newer load started). A file whose task disagrees with the list is
   * refused.
   */
  async load(entry: TranslatorEntry, example = 0): Promise<boolean> {
    const load = ++this.loads;
    const res = await this.fetchFn(`${this.base}${entry.file}`);
    if (!res.ok)
      throw new Error(
        `${entry.file}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} — this generator's file is not on the server (it belongs in public/generators/)`,
      );
    const bytes = new Uint8Array(await res.arrayBuffer());
    const translator = new LoadedTranslator(bytes, entry.file);
    let data: ImageDataset;
    try {
      data = await this.examples(entry);
    } catch (err) {
      translator.dispose();
      throw err;
    }
    const problem = mismatch(entry, translator, data);
    // dropped when unmounted meanwhile, or when the visitor picked another generator while this one loaded
    if (problem || this.disposed || load !== this.loads) {
      translator.dispose();
      if (problem) throw new Error(problem);
      return false;
    }
    await this.queue.run(() => {
      this.current?.translator.dispose();
      this.current = { entry, translator, byteLength: bytes.length };
      this.data = data;
    });
    this.setExample(example);
    return true;
  }

  /** How many examples there are (the served test images). */
  get exampleCount(): number {
    return this.data?.count ?? 0;
  }

  /** Starts the pad again from example `i` (wrapped into range): its edges, its image and a centre hole, or its ×f copy. */
  setExample(i: number): Input | undefined {
    const { current, data } = this;
    if (current == null || data == null) return undefined;
    const n = data.count;
    const example = ((Math.trunc(i) % n) + n) % n;
    const [h, w, c] = data.shape;
    const per = h * w * c;
    const values = Float32Array.from(
      data.images.subarray(example * per, (example + 1) * per),
      (v) => v / 255,
    );
    const original: UnitImage = { values, shape: [h, w, c] };
    const label = data.classes[data.labels?.[example] ?? -1] ?? '?';
    const { translator } = current;
    const options = translator.taskOptions;
    let image: UnitImage = original;
    let mask: Float32Array | undefined;
    if (translator.task === 'edges') {
      const edges = sobelEdges(values, h, w, c, options as { threshold?: number; thickness?: number });
      image = { values: edges, shape: [h, w, 1] };
    } else if (translator.task === 'downscale') {
      const f = Number(options.factor);
      image = { values: areaDownscale(values, h, w, c, f), shape: [h / f, w / f, c] };
    } else {
      image = { values: values.slice(), shape: [h, w, c] };
      mask = holeMask('centre', h, w, () => 0, options.size as number | undefined);
    }
    this.input = { image, ...(mask ? { mask } : {}), original, example, label, edits: 0 };
    return this.input;
  }

  /** After the pad changed its cells: the example's original no longer matches (inpainting keeps it). */
  edited(): void {
    const input = this.input;
    if (input == null) return;
    input.edits += 1;
    if (this.current?.translator.task !== 'inpaint') delete input.original;
  }

  /** Empties the pad: no edges, no hole, or a black low-resolution image. */
  clear(): void {
    const input = this.input;
    if (input == null) return;
    if (input.mask) input.mask.fill(0);
    else input.image.values.fill(0);
    this.edited();
  }

  /** Inpainting: a centre square hole, half the image's side (over the hole drawn so far). */
  centreHole(): void {
    const input = this.input;
    const options = this.current?.translator.taskOptions;
    if (input?.mask == null || options == null) return;
    const [h, w] = input.image.shape;
    const square = holeMask('centre', h, w, () => 0, options.size as number | undefined);
    square.forEach((v, p) => {
      if (v === 1) input.mask![p] = 1;
    });
    this.edited();
  }

  /** The pad's input through the translator (and bicubic beside super-resolution), latest request first. */
  translate(): Promise<Translated | undefined> {
    const v = ++this.version;
    return this.queue.run(async () => {
      const { current, input } = this;
      if (v !== this.version || this.disposed || current == null || input == null) return undefined;
      const key = `${current.entry.id}|${input.example}|${input.edits}`;
      const snapshot: Input = {
        ...input,
        image: { ...input.image, values: input.image.values.slice() },
        ...(input.mask ? { mask: input.mask.slice() } : {}),
      };
      const output = await current.translator.translate(snapshot.image, snapshot.mask);
      if (this.disposed || this.current !== current) return undefined;
      const out: Translated = { current, input: snapshot, output, key };
      if (current.translator.task === 'downscale') {
        const [h, w, c] = snapshot.image.shape;
        const f = output.shape[0] / h;
        out.bicubic = { values: bicubicUpscale(snapshot.image.values, h, w, c, f), shape: output.shape };
      }
      return out;
    });
  }

  /** Waits for the work in hand, then frees the translator; later requests resolve to `undefined`. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue.idle();
    this.current?.translator.dispose();
    this.current = undefined;
  }
}

/** Where the list, the file and the examples disagree, as a sentence (undefined when they agree). */
function mismatch(entry: TranslatorEntry, t: LoadedTranslator, data: ImageDataset): string | undefined {
  if (t.task !== entry.task)
    return `${entry.file} was trained on the '${t.task}' task, but translators.json says '${entry.task}': fix the list`;
  const size = t.task === 'downscale' ? t.targetShape : t.sourceShape;
  const [h, w] = data.shape;
  if (size[0] !== h || size[1] !== w || t.targetShape[2] !== data.shape[2])
    return `${entry.file} works on ${t.targetShape.join('×')} images; ${entry.dataset}'s are ${data.shape.join('×')}`;
  if (t.task === 'downscale' && t.channels !== 1)
    return `${entry.file} makes colour images; the low-resolution pad draws grey ones`;
  return undefined;
}
