/**
 * The pretrained generators' page: the list from generators/index.json (or a file of the visitor's own), a grid of
 * samples for a class or a row per class, the truncation slider (ψ in W for style generators), a latent walk between
 * two seeds, the generator's manifest and, for style generators, the style-mixing grid and the noise button (in
 * style-view.ts), wired to a PretrainedController. Anything wrong with a file is said in the page
 * (`generator-error`), never a blank page.
 */
import { gridLayout, gridPixels } from '@gankit/datasets';
import type { ViewContext } from '../shared/context.js';
import { setText } from '../shared/dom.js';
import { paintGrid } from '../shared/paint.js';
import type { GeneratorEntry } from './catalog.js';
import {
  type GridPainted,
  type Painted,
  PretrainedController,
  statusLine,
  WALK_FRAMES,
} from './controller.js';
import { showGrowth } from './growth-view.js';
import { formatTruncation, sliderToTruncation } from './latent.js';
import { classOptions, entryButton, pretrainedLayout, showManifest } from './layout.js';
import { formatPsi, sliderToPsi } from './style.js';
import { configureTruncation } from './style-layout.js';
import { styleView } from './style-view.js';

export function mountPretrained(root: HTMLElement, context: ViewContext): { unmount(): Promise<void> } {
  const params = new URLSearchParams(context.search);
  const generatorsBase = `${context.base}generators/`;
  const controller = new PretrainedController(generatorsBase);
  const asked = controller.asked;
  const els = pretrainedLayout(root, { ...asked, walkFrames: WALK_FRAMES });

  const showError = (err: unknown) => {
    els.error.hidden = false;
    setText(els.error, err instanceof Error ? err.message : String(err));
  };
  const clearError = () => {
    els.error.hidden = true;
    setText(els.error, '');
  };
  const failedLoad = (err: unknown) => {
    showError(err);
    setText(
      els.status,
      controller.current ? `still showing ${controller.current.source}` : 'no generator loaded',
    );
  };
  /** Paints `painted`'s images on `canvas`, `cols` a row (`gap` between them: the layout's default if unset). */
  const paint = (
    canvas: HTMLCanvasElement,
    { current: { gen }, images }: Painted,
    grid: { count: number; cols: number; scale: number; gap?: number; rowLabels?: readonly string[] },
  ) => {
    const layout = gridLayout(grid.count, grid.cols, gen.imageShape, grid.gap);
    paintGrid(canvas, gridPixels(images.values, images.shape, gen.range, layout), layout, {
      scale: grid.scale,
      ...(grid.rowLabels ? { rowLabels: grid.rowLabels } : {}),
    });
  };

  const renderGrid = () => void controller.grid().then((g) => g && showGrid(g), showError);
  const renderFrame = () =>
    void controller
      .frame()
      .then((f) => f && paint(els.walkFrame, f, { count: 1, cols: 1, scale: 6, gap: 0 }), showError);
  const renderWalk = () =>
    void controller.walk().then((w) => {
      if (w == null) return;
      const { gen } = w.current;
      const of = w.label != null ? `, class ${gen.classNames[w.label]}` : '';
      setText(els.walkHint, `${WALK_FRAMES} frames by spherical interpolation${of}`);
      paint(els.walkRow, w, { count: WALK_FRAMES, cols: WALK_FRAMES, scale: 2 });
      renderFrame();
    }, showError);
  const renderAll = () => {
    renderGrid();
    renderWalk();
    style.renderMixing();
  };
  const style = styleView(els.style, controller, { renderAll, showError });

  const showGrid = (g: GridPainted) => {
    const { gen, source } = g.current;
    const { count, cols, classes } = g.latents;
    paint(els.grid, g, {
      count,
      cols,
      scale: 2,
      ...(g.choice === 'all' ? { rowLabels: gen.classNames } : {}),
    });
    window.__gankitLastSamples = {
      source,
      choice: g.choice,
      truncation: g.truncation ?? null,
      psi: g.style?.psi ?? null,
      noiseSeed: g.style?.noiseSeed ?? null,
      seed: g.seed,
      shape: g.images.shape,
      range: gen.range,
      classes: classes ?? null,
      values: g.images.values,
    };
    els.grid.dataset.key = g.key;
    els.grid.dataset.renders = String(Number(els.grid.dataset.renders ?? 0) + 1);
    const what =
      g.choice == null
        ? `${count} samples`
        : g.choice === 'all'
          ? 'a row per class, the same noise down each column'
          : `${count} samples of class ${gen.classNames[g.choice]}`;
    const cut = g.style
      ? `truncation ${formatPsi(g.style.psi)} · noise seed ${g.style.noiseSeed}`
      : `truncation ${formatTruncation(g.truncation)}`;
    setText(els.gridLegend, `${what} · seed ${g.seed} · ${cut}`);
  };

  /** After a generator was loaded: the list's highlight, the class picker, the manifest, the status, the samples. */
  const shown = (loaded: boolean) => {
    const current = controller.current;
    if (!loaded || current == null) return;
    const { gen, entry } = current;
    els.list.querySelectorAll('button').forEach((b) => {
      b.classList.toggle('active', entry != null && b.dataset.testid === `generator-${entry.id}`);
    });
    els.classSelect.replaceChildren(...classOptions(gen));
    els.classSelect.disabled = gen.classes == null;
    els.classSelect.value = asked.choice == null ? 'none' : String(asked.choice);
    configureTruncation(els, gen, asked);
    style.shown(gen);
    showGrowth(els.growth, entry, generatorsBase);
    showManifest(els, gen, entry);
    setText(els.status, statusLine(current));
    renderAll();
  };

  const loadEntry = async (entry: GeneratorEntry) => {
    clearError();
    setText(els.status, `loading ${entry.file}…`);
    try {
      const loaded = await controller.loadEntry(entry);
      shown(loaded);
      if (loaded) {
        const url = new URL(location.href);
        url.searchParams.set('generator', entry.id); // a reload (or coming back) shows this one again
        history.replaceState(null, '', url);
      }
    } catch (err) {
      failedLoad(err);
    }
  };

  const renderSeeded = () => {
    renderGrid();
    style.renderMixing();
  };
  listen(els, controller, {
    renderAll,
    renderSeeded,
    renderWalk,
    renderFrame,
    clearError,
    failedLoad,
    shown,
  });

  // the list
  void (async () => {
    let entries: GeneratorEntry[];
    try {
      entries = await controller.loadIndex();
    } catch (err) {
      showError(err);
      setText(els.status, 'no list of generators; load your own file');
      return;
    }
    if (controller.isDisposed) return;
    els.list.replaceChildren(...entries.map((entry) => entryButton(entry, () => void loadEntry(entry))));
    const wanted = entries.find((e) => e.id === params.get('generator')) ?? entries[0];
    const initialClass = params.get('class');
    if (initialClass != null && /^\d+$/.test(initialClass)) asked.choice = Number(initialClass);
    if (wanted) await loadEntry(wanted);
  })();

  return {
    async unmount() {
      await controller.dispose();
      root.replaceChildren();
    },
  };
}

/** The controls' events: each changes what is asked and redraws what depends on it. */
function listen(
  els: ReturnType<typeof pretrainedLayout>,
  controller: PretrainedController,
  on: {
    renderAll(): void;
    /** What the seed decides: the grid (and a style generator's mixing grid). */
    renderSeeded(): void;
    renderWalk(): void;
    renderFrame(): void;
    clearError(): void;
    failedLoad(err: unknown): void;
    shown(loaded: boolean): void;
  },
): void {
  const asked = controller.asked;
  els.fileInput.addEventListener('change', () => {
    const file = els.fileInput.files?.[0];
    if (file == null) return;
    on.clearError();
    setText(els.status, `reading ${file.name}…`);
    void file
      .arrayBuffer()
      .then((buffer) => controller.loadFile(new Uint8Array(buffer), file.name))
      .then(on.shown, on.failedLoad)
      .finally(() => {
        els.fileInput.value = '';
      });
  });
  els.classSelect.addEventListener('change', () => {
    const v = els.classSelect.value;
    asked.choice = v === 'all' ? 'all' : v === 'none' ? undefined : Number(v);
    on.renderAll();
  });
  els.truncation.addEventListener('input', () => {
    const value = Number(els.truncation.value);
    if (controller.current?.gen.styles != null) {
      asked.psi = sliderToPsi(value);
      setText(els.truncationOut, formatPsi(asked.psi));
    } else {
      asked.truncation = sliderToTruncation(value);
      setText(els.truncationOut, formatTruncation(asked.truncation));
    }
    on.renderAll();
  });
  const seedOf = (input: HTMLInputElement, fallback: number) => {
    const v = Math.floor(Number(input.value));
    return Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  els.seedInput.addEventListener('change', () => {
    asked.seed = seedOf(els.seedInput, asked.seed);
    on.renderSeeded();
  });
  els.reseed.addEventListener('click', () => {
    asked.seed += 1;
    els.seedInput.value = String(asked.seed);
    on.renderSeeded();
  });
  for (const input of [els.walkA, els.walkB])
    input.addEventListener('change', () => {
      asked.walkA = seedOf(els.walkA, asked.walkA);
      asked.walkB = seedOf(els.walkB, asked.walkB);
      on.renderWalk();
    });
  els.walkPosition.addEventListener('input', () => {
    asked.walkT = Number(els.walkPosition.value);
    setText(els.walkT, asked.walkT.toFixed(2));
    on.renderFrame();
  });
}
