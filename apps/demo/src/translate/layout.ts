/** The image-to-image view's page: the translator list, the pad and the images beside it, the controls, the manifest. */
import { h, setText } from '../shared/dom.js';
import type { TranslationTask, TranslatorEntry } from './catalog.js';
import { DISPLAY } from './pad.js';

const figure = (testid: string, caption: HTMLElement, canvas?: HTMLCanvasElement) =>
  h(
    'figure',
    { class: 'translate-figure', testid: `${testid}-figure` },
    canvas ?? h('canvas', { testid, width: DISPLAY, height: DISPLAY, role: 'img', 'aria-label': testid }),
    caption,
  );

/** What each task asks of the visitor and calls its images. */
export const TASK_WORDS: Record<
  TranslationTask,
  { pad: string; hint: string; pen: string; eraser: string; output: string; brush: string }
> = {
  edges: {
    pad: 'your edges',
    hint: 'Draw with the mouse — clear the pad and draw a shape of your own, or change the example’s edges. The edge maps it learned from are thick bands around each stroke (as in the examples), which the broad brush draws.',
    pen: 'Draw edges',
    eraser: 'Erase edges',
    output: 'pix2pix',
    brush: '1.6',
  },
  inpaint: {
    pad: 'the image with its hole (red)',
    hint: 'Rub out part of the image with the mouse: the red cells are the hole the generator fills in.',
    pen: 'Cut a hole',
    eraser: 'Restore pixels',
    output: 'inpainted',
    brush: '1.6',
  },
  downscale: {
    pad: 'the small image (draw on it)',
    hint: 'The example shrunk ×4 by averaging; paint on it with the mouse and see both upscalers follow.',
    pen: 'Paint white',
    eraser: 'Paint black',
    output: 'SRGAN ×4',
    brush: '0',
  },
};

export function translateLayout(root: HTMLElement, pad: HTMLCanvasElement) {
  const list = h('div', { class: 'generator-list', testid: 'translator-list' });
  const error = h('p', { class: 'error-box', testid: 'translate-error', role: 'alert', hidden: true });
  const status = h(
    'p',
    { class: 'status-line', testid: 'translate-status' },
    'loading the list of generators…',
  );
  const description = h('p', { class: 'description', testid: 'translator-description' });
  const hint = h('p', { class: 'hint', testid: 'translate-hint' });
  const caption = (testid: string, text = '') => h('figcaption', { testid: `${testid}-caption` }, text);
  const padCaption = caption('translate-pad');
  const outputCaption = caption('translate-output');
  const figures = {
    pad: figure('translate-pad', padCaption, pad),
    bicubic: figure('translate-bicubic', caption('translate-bicubic', 'bicubic ×4')),
    output: figure('translate-output', outputCaption),
    original: figure(
      'translate-original',
      caption('translate-original', 'the test image (never trained on)'),
    ),
  };
  const canvas = (f: HTMLElement) => f.querySelector('canvas') as HTMLCanvasElement;
  const exampleIndex = h('input', { type: 'number', testid: 'example-index', min: 0, step: 1, value: 0 });
  const exampleLabel = h('output', { testid: 'example-label' }, '—');
  const button = (testid: string, text: string, title?: string) =>
    h('button', { type: 'button', testid, ...(title ? { title } : {}) }, text);
  const prev = button('example-prev', 'Previous example');
  const next = button('example-next', 'Next example');
  const pen = button('brush-pen', 'Draw');
  const eraser = button('brush-eraser', 'Erase');
  const size = h(
    'select',
    { testid: 'brush-size', name: 'brush-size', 'aria-label': 'Brush size' },
    h('option', { value: '0' }, 'fine brush (1 cell)'),
    h('option', { value: '1' }, 'medium brush'),
    h('option', { value: '1.6' }, 'broad brush'),
  );
  const clear = button('pad-clear', 'Clear');
  const centre = button('centre-hole', 'Centre hole', 'a square hole in the middle, half the image’s side');
  const info = h('dl', { class: 'readouts', testid: 'translator-info' });
  const command = h('pre', { testid: 'translator-command' });

  root.replaceChildren(
    h(
      'section',
      { class: 'pretrained translate' },
      h(
        'aside',
        {},
        h('h2', {}, 'Image-to-image'),
        list,
        h('p', { class: 'hint' }, 'Examples are the datasets’ test images, which the generators never saw.'),
      ),
      h(
        'div',
        {},
        error,
        status,
        hint,
        h('div', { class: 'translate-figures' }, ...Object.values(figures)),
        h(
          'div',
          { class: 'controls' },
          h('span', {}, 'example ', exampleIndex, ' ', exampleLabel),
          prev,
          next,
        ),
        h('div', { class: 'controls' }, pen, eraser, size, clear, centre),
        h(
          'div',
          { class: 'translate-about' },
          h('h2', {}, 'This generator'),
          description,
          info,
          h('details', { class: 'command' }, h('summary', {}, 'how it was trained'), command),
        ),
      ),
    ),
  );
  return {
    list,
    error,
    status,
    description,
    hint,
    padCaption,
    outputCaption,
    figures,
    output: canvas(figures.output),
    bicubic: canvas(figures.bicubic),
    original: canvas(figures.original),
    exampleIndex,
    exampleLabel,
    prev,
    next,
    pen,
    eraser,
    size,
    clear,
    centre,
    info,
    command,
  };
}

export type TranslateElements = ReturnType<typeof translateLayout>;

/** A translator's button in the list. */
export function translatorButton(entry: TranslatorEntry, onclick: () => void): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', testid: `translator-${entry.id}`, title: entry.description, onclick },
    h('strong', {}, entry.title),
    h('span', {}, `${entry.file} · ${entry.task}`),
  );
}

/** Fits the page to a task: captions, which figures and buttons show, the brush's names. */
export function showTask(els: TranslateElements, task: TranslationTask): void {
  const words = TASK_WORDS[task];
  setText(els.padCaption, words.pad);
  setText(els.outputCaption, words.output);
  setText(els.hint, words.hint);
  setText(els.pen, words.pen);
  setText(els.eraser, words.eraser);
  els.figures.bicubic.hidden = task !== 'downscale';
  els.centre.hidden = task !== 'inpaint';
  els.size.value = words.brush;
}
