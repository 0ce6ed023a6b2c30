/**
 * The pretrained generators' page: the list from generators/index.json (or a file of the visitor's own), a grid of
 * samples for a class or a row per class, the truncation slider, a latent walk between two seeds, and the
 * generator's manifest. Anything wrong with a file is said in the page (`generator-error`), never a blank page.
 */

import { gridLayout, gridPixels } from '@gankit/datasets';
import type { ViewContext } from '../shared/context.js';
import { setText } from '../shared/dom.js';
import { paintGrid } from '../shared/paint.js';
import { SerialQueue } from '../shared/scheduler.js';
import { type GeneratorEntry, parseGeneratorIndex } from './catalog.js';
import { LoadedGenerator } from './generator.js';
import { type ClassChoice, formatTruncation, sliderToTruncation, truncationToSlider } from './latent.js';
import { classOptions, entryButton, pretrainedLayout, showManifest } from './layout.js';
import { frameAt, gridSamples, latentOf, type WalkEnds, walkSamples } from './samples.js';

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
  let walkEnds: WalkEnds | undefined;

  const {
    list,
    fileInput,
    error,
    status,
    classSelect,
    truncation,
    truncationOut,
    seedInput,
    reseed,
    grid,
    gridLegend,
    walkA,
    walkB,
    walkHint,
    walkRow,
    walkPosition,
    walkT,
    walkFrame,
    info,
    description,
    command,
    commandBox,
  } = pretrainedLayout(root, { ...state, walkFrames: WALK_FRAMES });

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
      const { images: out, latents } = await gridSamples(gen, req);
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

  const renderWalk = () =>
    schedule('walk', async (gen) => {
      const label = gen.classes != null ? conditionalLabel() : undefined;
      const ends: WalkEnds = {
        a: await latentOf(gen, state.walkA, label, state.truncation),
        b: await latentOf(gen, state.walkB, label, state.truncation),
        ...(label != null ? { label } : {}),
      };
      const out = await walkSamples(gen, ends, WALK_FRAMES);
      if (unmounted || current?.gen !== gen) return;
      walkEnds = ends;
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
      const out = await frameAt(gen, ends, state.walkT);
      if (unmounted || current?.gen !== gen) return;
      const layout = gridLayout(1, 1, gen.imageShape, 0);
      paintGrid(walkFrame, gridPixels(out.values, out.shape, gen.range, layout), layout, { scale: 6 });
    });

  const renderAll = () => {
    renderGrid();
    renderWalk();
  };

  const fillClasses = (gen: LoadedGenerator) => {
    classSelect.replaceChildren(...classOptions(gen));
    classSelect.disabled = gen.classes == null;
    if (gen.classes == null) state.choice = undefined;
    else if (typeof state.choice !== 'number' || state.choice >= gen.classes) state.choice = 'all';
    classSelect.value = state.choice == null ? 'none' : String(state.choice);
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
    showManifest({ info, description, command, commandBox }, gen, entry);
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
    list.replaceChildren(...entries.map((entry) => entryButton(entry, () => void loadEntry(entry))));
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
