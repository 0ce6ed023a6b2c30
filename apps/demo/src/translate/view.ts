/**
 * The image-to-image view: pick a generator trained by `gankit train` on an image-to-image preset (pix2pix from
 * edges, inpainting, SRGAN ×4); draw on its pad — edges, a hole, a small image — starting from a test image, and see
 * the generator's answer live beside the test image itself (and, for super-resolution, beside bicubic upscaling).
 * Anything wrong with a file is said in the page (`translate-error`), never a blank page.
 */

import type { ViewContext } from '../shared/context.js';
import { loadExamples } from '../shared/data.js';
import { h, setText } from '../shared/dom.js';
import type { TranslatorEntry } from './catalog.js';
import { TranslateController, type Translated } from './controller.js';
import { showTask, translateLayout, translatorButton } from './layout.js';
import { DrawingPad, paintImage } from './pad.js';
import { describeTranslator, type UnitImage } from './translator.js';

/** What the page's tests read of the latest translation. */
export interface TranslationRecord {
  key: string;
  translator: string;
  task: string;
  example: number;
  label: string;
  edits: number;
  /** `[h, w, c]` and values in [0, 1]. */
  input: UnitImage;
  mask: Float32Array | null;
  output: UnitImage;
  original: UnitImage | null;
  bicubic: UnitImage | null;
}

declare global {
  interface Window {
    __gankitTranslation?: TranslationRecord;
  }
}

export function mountTranslate(root: HTMLElement, context: ViewContext): { unmount(): Promise<void> } {
  const params = new URLSearchParams(context.search);
  const base = `${context.base}generators/`;
  const controller = new TranslateController(base, (entry) =>
    loadExamples(entry.dataset, { base: context.base }),
  );
  const pad = new DrawingPad(
    'the drawing pad: draw on it with the mouse',
    () => {
      const input = controller.input;
      if (input == null) return undefined;
      const [h, w] = input.image.shape;
      return { values: input.mask ?? input.image.values, h, w };
    },
    (done) => {
      if (done) return; // every change was rendered as it came
      controller.edited();
      showInput();
      render();
    },
  );
  const els = translateLayout(root, pad.canvas);

  const showError = (err: unknown) => {
    els.error.hidden = false;
    setText(els.error, err instanceof Error ? err.message : String(err));
  };
  const clearError = () => {
    els.error.hidden = true;
    setText(els.error, '');
  };

  /** The pad and the original as they are now (before the generator answers). */
  const showInput = () => {
    const input = controller.input;
    if (input == null) return;
    paintImage(pad.canvas, input.image, input.mask);
    els.figures.original.hidden = input.original == null;
    if (input.original) paintImage(els.original, input.original);
    els.exampleIndex.value = String(input.example);
    setText(
      els.exampleLabel,
      input.original ? `(a test ${input.label})` : `(edited from a test ${input.label})`,
    );
  };

  const show = (t: Translated) => {
    paintImage(els.output, t.output);
    if (t.bicubic) paintImage(els.bicubic, t.bicubic);
    els.output.dataset.key = t.key;
    els.output.dataset.renders = String(Number(els.output.dataset.renders ?? 0) + 1);
    const { input } = t;
    window.__gankitTranslation = {
      key: t.key,
      translator: t.current.entry.id,
      task: t.current.translator.task,
      example: input.example,
      label: input.label,
      edits: input.edits,
      input: input.image,
      mask: input.mask ?? null,
      output: t.output,
      original: input.original ?? null,
      bicubic: t.bicubic ?? null,
    };
  };
  const render = () => void controller.translate().then((t) => t && show(t), showError);

  const setExample = (i: number) => {
    if (controller.setExample(i) == null) return;
    showInput();
    render();
  };

  const load = async (entry: TranslatorEntry, example: number) => {
    clearError();
    setText(els.status, `loading ${entry.file} and ${entry.dataset}'s test images…`);
    try {
      if (!(await controller.load(entry, example))) return;
    } catch (err) {
      showError(err);
      setText(
        els.status,
        controller.current ? `still showing ${controller.current.entry.id}` : 'no generator loaded',
      );
      return;
    }
    const { translator, byteLength } = controller.current!;
    els.list.querySelectorAll('button').forEach((b) => {
      b.classList.toggle('active', b.dataset.testid === `translator-${entry.id}`);
    });
    showTask(els, translator.task);
    pad.brush = { ...pad.brush, radius: Number(els.size.value) };
    setText(els.description, entry.description);
    setText(els.command, entry.command);
    els.info.replaceChildren(
      ...describeTranslator(translator.manifest, entry.file, byteLength).flatMap(([k, v]) => [
        h('dt', {}, k),
        h('dd', {}, v),
      ]),
    );
    els.exampleIndex.max = String(controller.exampleCount - 1);
    setText(
      els.status,
      `${entry.id}: ${translator.manifest.architecture}, ${translator.manifest.steps} steps`,
    );
    const url = new URL(location.href);
    url.searchParams.set('translator', entry.id);
    history.replaceState(null, '', url);
    showInput();
    render();
  };

  // the controls
  const brush = (value: 1 | 0) => {
    pad.brush = { ...pad.brush, value };
    els.pen.setAttribute('aria-pressed', String(value === 1));
    els.eraser.setAttribute('aria-pressed', String(value === 0));
  };
  brush(1);
  els.pen.addEventListener('click', () => brush(1));
  els.eraser.addEventListener('click', () => brush(0));
  els.size.addEventListener('change', () => {
    pad.brush = { ...pad.brush, radius: Number(els.size.value) };
  });
  els.prev.addEventListener('click', () => setExample((controller.input?.example ?? 0) - 1));
  els.next.addEventListener('click', () => setExample((controller.input?.example ?? 0) + 1));
  els.exampleIndex.addEventListener('change', () => {
    const v = Math.floor(Number(els.exampleIndex.value));
    if (els.exampleIndex.value.trim() !== '' && Number.isFinite(v)) setExample(v);
    else els.exampleIndex.value = String(controller.input?.example ?? 0);
  });
  els.clear.addEventListener('click', () => {
    controller.clear();
    showInput();
    render();
  });
  els.centre.addEventListener('click', () => {
    controller.centreHole();
    showInput();
    render();
  });

  // the list
  void (async () => {
    let entries: TranslatorEntry[];
    try {
      entries = await controller.loadIndex();
    } catch (err) {
      showError(err);
      setText(els.status, 'no list of image-to-image generators');
      return;
    }
    els.list.replaceChildren(
      ...entries.map((entry) =>
        translatorButton(entry, () => void load(entry, controller.input?.example ?? 0)),
      ),
    );
    const wanted = entries.find((e) => e.id === params.get('translator')) ?? entries[0];
    const example = Math.max(0, Math.floor(Number(params.get('example') ?? 0)) || 0);
    if (wanted) await load(wanted, example);
  })();

  return {
    async unmount() {
      await controller.dispose();
      root.replaceChildren();
    },
  };
}
