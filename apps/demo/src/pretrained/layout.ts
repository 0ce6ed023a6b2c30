/** The pretrained view's page: the generator list, the controls, the canvases and the manifest panel. */
import { h, setText } from '../shared/dom.js';
import type { GeneratorEntry } from './catalog.js';
import { describeGenerator, type LoadedGenerator } from './generator.js';
import { growthLayout } from './growth-view.js';
import { TRUNCATION_MIN, TRUNCATION_OFF, TRUNCATION_STEP } from './latent.js';
import { styleLayout } from './style-layout.js';

/** Builds the page into `root` and hands back the elements the view reads and writes. */
export function pretrainedLayout(
  root: HTMLElement,
  initial: { seed: number; walkA: number; walkB: number; walkT: number; walkFrames: number },
) {
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
  const truncationLabel = h('span', {}, 'truncation ');
  const style = styleLayout();
  const growth = growthLayout();
  const seedInput = h('input', { type: 'number', testid: 'seed', min: 0, step: 1, value: initial.seed });
  const reseed = h('button', { type: 'button', testid: 'reseed' }, 'new samples');
  const grid = h('canvas', { testid: 'generator-grid', class: 'generator-grid', width: 484, height: 242 });
  const gridLegend = h('p', { class: 'legend' });
  const walkA = h('input', { type: 'number', testid: 'walk-seed-a', min: 0, step: 1, value: initial.walkA });
  const walkB = h('input', { type: 'number', testid: 'walk-seed-b', min: 0, step: 1, value: initial.walkB });
  const walkHint = h('span', { class: 'hint' }, `${initial.walkFrames} frames by spherical interpolation`);
  const walkRow = h('canvas', { testid: 'walk-row', class: 'walk-row', width: 484, height: 64 });
  const walkPosition = h('input', {
    type: 'range',
    testid: 'walk-position',
    min: 0,
    max: 1,
    step: 0.01,
    value: initial.walkT,
  });
  const walkT = h('output', { testid: 'walk-t' }, initial.walkT.toFixed(2));
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
      h('label', {}, truncationLabel, truncation, ' ', truncationOut),
      h('label', {}, 'seed ', seedInput),
      reseed,
    ),
    grid,
    gridLegend,
    style.section,
    growth.section,
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
  return {
    list,
    fileInput,
    error,
    status,
    classSelect,
    truncation,
    truncationOut,
    truncationLabel,
    style,
    growth,
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
  };
}

/** The class picker's options: all classes (a row each) and each class, or none for unconditional generators. */
export function classOptions(gen: LoadedGenerator): HTMLOptionElement[] {
  if (gen.classes == null) return [h('option', { value: 'none' }, '— (unconditional)')];
  return [
    h('option', { value: 'all' }, 'all classes (a row each)'),
    ...gen.classNames.map((name, i) =>
      h('option', { value: String(i) }, name === String(i) ? name : `${i}: ${name}`),
    ),
  ];
}

/** A generator of the list, as its button. */
export function entryButton(entry: GeneratorEntry, onclick: () => void): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', testid: `generator-${entry.id}`, title: entry.description, onclick },
    h('strong', {}, entry.title),
    h('span', {}, `${entry.file}${entry.conditional ? ' · conditional' : ''}`),
  );
}

/** The manifest panel: what the file says about itself, the catalog's description and how it was made. */
export function showManifest(
  els: { info: HTMLElement; description: HTMLElement; command: HTMLElement; commandBox: HTMLElement },
  gen: LoadedGenerator,
  entry: GeneratorEntry | undefined,
): void {
  const rows = describeGenerator(gen.manifest, {
    fileName: gen.fileName,
    byteLength: gen.byteLength,
    ...(entry ? { dataset: entry.dataset } : {}),
  });
  els.info.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  setText(
    els.description,
    entry?.description ?? 'Your own generator, loaded from your disk (it stays in this tab).',
  );
  const made = entry?.command ?? '';
  els.commandBox.hidden = made === '';
  setText(els.command, made);
}
