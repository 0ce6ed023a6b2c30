/**
 * The pretrained generators' page: the list from generators/index.json (or a file of the visitor's own), a grid of
 * samples for a class or a row per class, the truncation slider, a latent walk between two seeds, and the
 * generator's manifest. Anything wrong with a file is said in the page (`generator-error`), never a blank page.
 */

import { gridLayout, gridPixels } from '@gankit/datasets';
import { interpolateLatent, latentBatch, noiseDimOf, walkLatents } from '@gankit/models';
import * as tf from '@tensorflow/tfjs-core';
import type { ViewContext } from '../app/context.js';
import { h, setText } from '../dom.js';
import { paintGrid } from '../images/paint.js';
import { SerialQueue } from '../playground/scheduler.js';
import { type GeneratorEntry, parseGeneratorIndex } from './catalog.js';
import { describeGenerator, LoadedGenerator } from './generator.js';
import {
  type ClassChoice,
  formatTruncation,
  gridLatents,
  sliderToTruncation,
  TRUNCATION_MIN,
  TRUNCATION_OFF,
  TRUNCATION_STEP,
  truncationToSlider,
} from './latent.js';

/** The latest grid, for tests: the values G made and what was asked for. */
export interface SampleRecord {
  /** The catalog id, or the name of the visitor's file. */
  source: string;
  choice: 'all' | number | null;
  truncation: number | null;
  seed: number;
  /** `[n, height, width, channels]`, row-major in `range`. */
  shape: number[];
  range: [number, number];
  /** The class each sample was asked for (conditional generators). */
  classes: number[] | null;
  values: Float32Array;
}

declare global {
  interface Window {
    __gankitLastSamples?: SampleRecord;
  }
}

const COLS = 8;
/** Rows of the grid for one class (or an unconditional generator). */
const ROWS = 4;
const WALK_FRAMES = 8;

export function mountPretrained(root: HTMLElement, context: ViewContext): { unmount(): Promise<void> } {
  const params = new URLSearchParams(context.search);
  const base = `${context.base}generators/`;
  const queue = new SerialQueue();
  let unmounted = false;
  let entries: GeneratorEntry[] = [];
  let current: { gen: LoadedGenerator; source: string; entry?: GeneratorEntry } | undefined;
  const initialClass = params.get('class');
  const state = {
    choice: 'all' as ClassChoice,
    truncation: undefined as number | undefined,
    seed: 1,
    walkA: 1,
    walkB: 2,
    walkT: 0.5,
  };
  let walkEnds: { a: Float32Array; b: Float32Array; label?: number } | undefined;

  // the list and the file input
  const list = h('div', { class: 'generator-list', testid: 'generator-list' });
  const fileInput = h('input', { type: 'file', accept: '.safetensors', testid: 'generator-file' });
  const side = h(
    'aside',
    {},
    h('h2', {}, 'Generators'),
    list,
    h(
      'label',
      { class: 'file' },
      'Load your own generator ',
      h('span', { class: 'hint' }, '(a .safetensors file from `gankit export`)'),
      fileInput,
    ),
  );

  // controls
  const error = h('p', { class: 'error-box', testid: 'generator-error', role: 'alert', hidden: true });
  const status = h(
    'p',
    { class: 'status-line', testid: 'generator-status' },
    'loading the list of generators…',
  );
  const classSelect = h('select', { testid: 'class-select', name: 'class-select' });
  const truncation = h('input', {
    type: 'range',
    testid: 'truncation',
    min: TRUNCATION_MIN,
    max: TRUNCATION_OFF,
    step: TRUNCATION_STEP,
    value: TRUNCATION_OFF,
  });
  const truncationOut = h('output', { testid: 'truncation-value' }, 'off');
  const seedInput = h('input', { type: 'number', testid: 'seed', min: 0, step: 1, value: state.seed });
  const reseed = h('button', { type: 'button', testid: 'reseed' }, 'new samples');
  const grid = h('canvas', { testid: 'generator-grid', class: 'generator-grid', width: 484, height: 242 });
  const gridLegend = h('p', { class: 'legend' });
  const walkA = h('input', { type: 'number', testid: 'walk-seed-a', min: 0, step: 1, value: state.walkA });
  const walkB = h('input', { type: 'number', testid: 'walk-seed-b', min: 0, step: 1, value: state.walkB });
  const walkHint = h('span', { class: 'hint' }, `${WALK_FRAMES} frames by spherical interpolation`);
  const walkRow = h('canvas', { testid: 'walk-row', class: 'walk-row', width: 484, height: 64 });
  const walkPosition = h('input', {
    type: 'range',
    testid: 'walk-position',
    min: 0,
    max: 1,
    step: 0.01,
    value: state.walkT,
  });
  const walkT = h('output', { testid: 'walk-t' }, state.walkT.toFixed(2));
  const walkFrame = h('canvas', { testid: 'walk-frame', class: 'walk-frame', width: 176, height: 176 });
  const stage = h(
    'div',
    { class: 'stage' },
    error,
    status,
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'class ', classSelect),
      h('label', {}, 'truncation ', truncation, ' ', truncationOut),
      h('label', {}, 'seed ', seedInput),
      reseed,
    ),
    grid,
    gridLegend,
    h('h3', {}, 'Latent walk'),
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'from seed ', walkA),
      h('label', {}, 'to seed ', walkB),
      walkHint,
    ),
    walkRow,
    h('label', { class: 'walk-slider' }, 'move along it ', walkPosition, ' t = ', walkT),
    walkFrame,
  );

  // the manifest
  const info = h('dl', { class: 'readouts', testid: 'generator-info' });
  const description = h('p', { class: 'description', testid: 'generator-description' });
  const command = h('code', { testid: 'generator-command' });
  const commandBox = h(
    'details',
    { class: 'command' },
    h('summary', {}, 'how it was made'),
    h('pre', {}, command),
  );
  root.append(
    h(
      'div',
      { class: 'pretrained' },
      side,
      stage,
      h('div', { class: 'side' }, info, description, commandBox),
    ),
  );

  const showError = (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    error.hidden = false;
    setText(error, msg);
  };
  const clearError = () => {
    error.hidden = true;
    setText(error, '');
  };

  /** Runs tensor work one task at a time; a task superseded by a newer one of its kind is skipped. */
  const versions = { grid: 0, walk: 0, frame: 0 };
  const schedule = (kind: keyof typeof versions, task: (gen: LoadedGenerator) => Promise<void>) => {
    const v = ++versions[kind];
    void queue
      .run(async () => {
        if (v !== versions[kind] || unmounted || current == null) return;
        await task(current.gen);
      })
      .catch(showError);
  };

  const conditionalLabel = () => (typeof state.choice === 'number' ? state.choice : 0);

  const renderGrid = () =>
    schedule('grid', async (gen) => {
      const source = current!.source;
      const req = {
        cols: COLS,
        rows: ROWS,
        seed: state.seed,
        truncation: state.truncation,
        choice: state.choice,
      };
      const latents = gridLatents(gen.gan, gen.classes == null ? { ...req, choice: undefined } : req);
      let out: Awaited<ReturnType<LoadedGenerator['generate']>>;
      try {
        out = await gen.generate(latents.z, latents.labels);
      } finally {
        tf.dispose([latents.z, ...(latents.labels ? [latents.labels] : [])]);
      }
      if (unmounted || current?.gen !== gen) return;
      const layout = gridLayout(latents.count, latents.cols, gen.imageShape);
      const all = gen.classes != null && state.choice === 'all';
      paintGrid(grid, gridPixels(out.values, out.shape, gen.range, layout), layout, {
        scale: 2,
        ...(all ? { rowLabels: gen.classNames } : {}),
      });
      const choice = gen.classes == null ? null : state.choice === 'all' ? 'all' : (state.choice as number);
      const key = `${source}|${choice ?? 'none'}|${state.truncation ?? 'off'}|${state.seed}`;
      window.__gankitLastSamples = {
        source,
        choice,
        truncation: state.truncation ?? null,
        seed: state.seed,
        shape: out.shape,
        range: gen.range,
        classes: latents.classes ?? null,
        values: out.values,
      };
      grid.dataset.key = key;
      grid.dataset.renders = String(Number(grid.dataset.renders ?? 0) + 1);
      const what =
        gen.classes == null
          ? `${latents.count} samples`
          : all
            ? 'a row per class, the same noise down each column'
            : `${latents.count} samples of class ${gen.classNames[choice as number]}`;
      setText(gridLegend, `${what} · seed ${state.seed} · truncation ${formatTruncation(state.truncation)}`);
    });

  const latentOf = async (gen: LoadedGenerator, seed: number, label: number | undefined) => {
    const { z, labels } = latentBatch(gen.gan, 1, seed, {
      truncation: state.truncation,
      ...(label != null ? { label } : {}),
    });
    try {
      return (await z.data()) as Float32Array;
    } finally {
      tf.dispose([z, ...(labels ? [labels] : [])]);
    }
  };

  const renderWalk = () =>
    schedule('walk', async (gen) => {
      const label = gen.classes != null ? conditionalLabel() : undefined;
      const a = await latentOf(gen, state.walkA, label);
      const b = await latentOf(gen, state.walkB, label);
      const noiseDim = noiseDimOf(gen.gan);
      const frames = walkLatents(a, b, WALK_FRAMES, noiseDim);
      const z = tf.tensor2d(frames, [WALK_FRAMES, gen.gan.latentDim]);
      const labels = label != null ? tf.fill([WALK_FRAMES], label, 'int32') : undefined;
      let out: Awaited<ReturnType<LoadedGenerator['generate']>>;
      try {
        out = await gen.generate(z, labels as tf.Tensor1D | undefined);
      } finally {
        tf.dispose([z, ...(labels ? [labels] : [])]);
      }
      if (unmounted || current?.gen !== gen) return;
      walkEnds = { a, b, ...(label != null ? { label } : {}) };
      setText(
        walkHint,
        `${WALK_FRAMES} frames by spherical interpolation${label != null ? `, class ${gen.classNames[label]}` : ''}`,
      );
      const layout = gridLayout(WALK_FRAMES, WALK_FRAMES, gen.imageShape);
      paintGrid(walkRow, gridPixels(out.values, out.shape, gen.range, layout), layout, { scale: 2 });
      renderFrame();
    });

  const renderFrame = () =>
    schedule('frame', async (gen) => {
      const ends = walkEnds;
      if (ends == null) return;
      const zValues = interpolateLatent(ends.a, ends.b, state.walkT, noiseDimOf(gen.gan));
      const z = tf.tensor2d(zValues, [1, gen.gan.latentDim]);
      const labels = ends.label != null ? tf.tensor1d([ends.label], 'int32') : undefined;
      let out: Awaited<ReturnType<LoadedGenerator['generate']>>;
      try {
        out = await gen.generate(z, labels);
      } finally {
        tf.dispose([z, ...(labels ? [labels] : [])]);
      }
      if (unmounted || current?.gen !== gen) return;
      const layout = gridLayout(1, 1, gen.imageShape, 0);
      paintGrid(walkFrame, gridPixels(out.values, out.shape, gen.range, layout), layout, { scale: 6 });
    });

  const renderAll = () => {
    renderGrid();
    renderWalk();
  };

  const fillClasses = (gen: LoadedGenerator) => {
    const options =
      gen.classes == null
        ? [h('option', { value: 'none' }, '— (unconditional)')]
        : [
            h('option', { value: 'all' }, 'all classes (a row each)'),
            ...gen.classNames.map((name, i) =>
              h('option', { value: String(i) }, name === String(i) ? name : `${i}: ${name}`),
            ),
          ];
    classSelect.replaceChildren(...options);
    classSelect.disabled = gen.classes == null;
    if (gen.classes == null) state.choice = undefined;
    else if (typeof state.choice !== 'number' || state.choice >= gen.classes) state.choice = 'all';
    classSelect.value = state.choice == null ? 'none' : String(state.choice);
  };

  const showInfo = (gen: LoadedGenerator, entry: GeneratorEntry | undefined) => {
    const rows = describeGenerator(gen.manifest, {
      fileName: gen.fileName,
      byteLength: gen.byteLength,
      ...(entry ? { dataset: entry.dataset } : {}),
    });
    info.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    setText(
      description,
      entry?.description ?? 'Your own generator, loaded from your disk (it stays in this tab).',
    );
    const made = entry?.command ?? '';
    commandBox.hidden = made === '';
    setText(command, made);
  };

  /** Makes `gen` the current generator (freeing the previous one) and draws it. */
  const use = async (gen: LoadedGenerator, source: string, entry?: GeneratorEntry) => {
    await queue.run(() => {
      current?.gen.dispose();
      current = { gen, source, ...(entry ? { entry } : {}) };
    });
    if (unmounted) {
      gen.dispose();
      return;
    }
    list.querySelectorAll('button').forEach((b) => {
      b.classList.toggle('active', entry != null && b.dataset.testid === `generator-${entry.id}`);
    });
    fillClasses(gen);
    showInfo(gen, entry);
    const notes: string[] = [];
    if (entry && entry.conditional !== (gen.classes != null))
      notes.push(
        `index.json calls ${entry.file} ${entry.conditional ? 'conditional' : 'unconditional'}, its manifest ${gen.classes != null ? `has ${gen.classes} classes` : 'has no classes'}: the file wins`,
      );
    setText(
      status,
      [`${source}: ${gen.manifest.architecture}, ${gen.manifest.steps} steps`, ...notes].join(' — '),
    );
    renderAll();
  };

  const loadEntry = async (entry: GeneratorEntry) => {
    clearError();
    setText(status, `loading ${entry.file}…`);
    try {
      const res = await fetch(`${base}${entry.file}`);
      if (!res.ok)
        throw new Error(
          `${entry.file}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} — this generator's file is not on the server (it belongs in public/generators/)`,
        );
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (unmounted) return;
      await use(new LoadedGenerator(bytes, entry.file), entry.id, entry);
      if (!unmounted) {
        const url = new URL(location.href);
        url.searchParams.set('generator', entry.id); // a reload (or coming back) shows this one again
        history.replaceState(null, '', url);
      }
    } catch (err) {
      showError(err);
      setText(status, current ? `still showing ${current.source}` : 'no generator loaded');
    }
  };

  // events
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file == null) return;
    clearError();
    setText(status, `reading ${file.name}…`);
    void file
      .arrayBuffer()
      .then((buffer) => use(new LoadedGenerator(new Uint8Array(buffer), file.name), file.name))
      .catch((err: unknown) => {
        showError(err);
        setText(status, current ? `still showing ${current.source}` : 'no generator loaded');
      })
      .finally(() => {
        fileInput.value = '';
      });
  });
  classSelect.addEventListener('change', () => {
    const v = classSelect.value;
    state.choice = v === 'all' ? 'all' : v === 'none' ? undefined : Number(v);
    renderAll();
  });
  truncation.addEventListener('input', () => {
    state.truncation = sliderToTruncation(Number(truncation.value));
    setText(truncationOut, formatTruncation(state.truncation));
    renderAll();
  });
  const seedOf = (input: HTMLInputElement, fallback: number) => {
    const v = Math.floor(Number(input.value));
    return Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  seedInput.addEventListener('change', () => {
    state.seed = seedOf(seedInput, state.seed);
    renderGrid();
  });
  reseed.addEventListener('click', () => {
    state.seed += 1;
    seedInput.value = String(state.seed);
    renderGrid();
  });
  for (const input of [walkA, walkB])
    input.addEventListener('change', () => {
      state.walkA = seedOf(walkA, state.walkA);
      state.walkB = seedOf(walkB, state.walkB);
      renderWalk();
    });
  walkPosition.addEventListener('input', () => {
    state.walkT = Number(walkPosition.value);
    setText(walkT, state.walkT.toFixed(2));
    renderFrame();
  });

  // the list
  void (async () => {
    try {
      const res = await fetch(`${base}index.json`);
      if (!res.ok) throw new Error(`generators/index.json: HTTP ${res.status}`);
      let json: unknown;
      try {
        json = await res.json();
      } catch {
        throw new Error('generators/index.json is not valid JSON');
      }
      entries = parseGeneratorIndex(json);
    } catch (err) {
      showError(err);
      setText(status, 'no list of generators; load your own file');
      return;
    }
    if (unmounted) return;
    list.replaceChildren(
      ...entries.map((entry) =>
        h(
          'button',
          {
            type: 'button',
            testid: `generator-${entry.id}`,
            title: entry.description,
            onclick: () => void loadEntry(entry),
          },
          h('strong', {}, entry.title),
          h('span', {}, `${entry.file}${entry.conditional ? ' · conditional' : ''}`),
        ),
      ),
    );
    const wanted = entries.find((e) => e.id === params.get('generator')) ?? entries[0];
    if (initialClass != null && /^\d+$/.test(initialClass)) state.choice = Number(initialClass);
    if (wanted) await loadEntry(wanted);
  })();

  truncation.value = String(truncationToSlider(state.truncation));
  return {
    async unmount() {
      unmounted = true;
      await queue.idle();
      current?.gen.dispose();
      current = undefined;
      root.replaceChildren();
    },
  };
}
