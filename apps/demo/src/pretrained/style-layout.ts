/**
 * The pretrained view's controls for style generators (StyleGAN): the noise button and the style-mixing grid with
 * its crossover layer, shown only when the current generator has a W space; and the truncation slider's two
 * meanings (σ of z for the others, ψ in W here).
 */
import { h, setText } from '../shared/dom.js';
import type { LoadedGenerator } from './generator.js';
import {
  formatTruncation,
  TRUNCATION_MIN,
  TRUNCATION_OFF,
  TRUNCATION_STEP,
  truncationToSlider,
} from './latent.js';
import { formatPsi, PSI_MAX, PSI_MIN, PSI_STEP } from './style.js';

/** The style section's elements, hidden until a style generator is shown. */
export function styleLayout() {
  const noise = h(
    'button',
    {
      type: 'button',
      testid: 'resample-noise',
      title: 'Draw new per-layer noise for the same latents: what changes is what the noise decides',
    },
    'resample noise',
  );
  const noiseSeed = h('output', { testid: 'noise-seed' }, '1');
  const crossover = h('select', { testid: 'crossover', name: 'crossover' });
  const grid = h('canvas', { testid: 'mixing-grid', class: 'mixing-grid', width: 420, height: 240 });
  const legend = h('p', { class: 'legend', testid: 'mixing-legend' });
  const section = h(
    'section',
    { class: 'style-controls', testid: 'style-controls', hidden: true },
    h('h3', {}, 'Style mixing'),
    h(
      'div',
      { class: 'controls' },
      h('label', {}, 'crossover ', crossover),
      noise,
      h('span', { class: 'hint' }, 'noise seed ', noiseSeed),
    ),
    grid,
    legend,
  );
  return { section, noise, noiseSeed, crossover, grid, legend };
}

/**
 * The crossover choices for `count` styles: layer k sends styles 0 … k − 1 to the rows and k … count − 1 to the
 * columns; `coarse` (the generator's coarse styles: 4×4 and the next resolution) is marked as the paper's split.
 */
export function crossoverOptions(count: number, coarse: number): HTMLOptionElement[] {
  return Array.from({ length: count - 1 }, (_, i) => {
    const k = i + 1;
    const note = k === coarse ? ' — coarse from rows, fine from columns' : '';
    return h('option', { value: String(k) }, `rows: styles 0–${k - 1}, columns: ${k}–${count - 1}${note}`);
  });
}

/**
 * Gives the truncation slider the current generator's meaning: ψ in W from 0 to 1 for a style generator (its
 * label says "in W"), a cut of z in σ otherwise, with "off" as its last notch.
 */
export function configureTruncation(
  els: { truncation: HTMLInputElement; truncationOut: HTMLElement; truncationLabel: HTMLElement },
  gen: LoadedGenerator,
  asked: { psi: number; truncation: number | undefined },
): void {
  const style = gen.styles != null;
  const [min, max, step, value] = style
    ? [PSI_MIN, PSI_MAX, PSI_STEP, asked.psi]
    : [TRUNCATION_MIN, TRUNCATION_OFF, TRUNCATION_STEP, truncationToSlider(asked.truncation)];
  Object.assign(els.truncation, { min: String(min), max: String(max), step: String(step) });
  els.truncation.value = String(value);
  els.truncation.dataset.space = style ? 'w' : 'z';
  els.truncation.title = style
    ? "ψ in W: w' = w̄ + ψ(w − w̄), towards the generator's average w (1: none)"
    : 'redraw every z value beyond this many σ';
  setText(els.truncationLabel, style ? 'truncation in W ' : 'truncation ');
  setText(els.truncationOut, style ? formatPsi(asked.psi) : formatTruncation(asked.truncation));
}
