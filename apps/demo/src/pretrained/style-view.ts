/**
 * The pretrained view's style-generator part, wired to the controller: the style-mixing grid (drawn with a blank
 * corner, the sources along the top and the left), its crossover layer, and the noise button, which redraws
 * everything with new per-layer noise for the same latents.
 */
import { gridLayout, gridPixels } from '@gankit/datasets';
import { setText } from '../shared/dom.js';
import { paintGrid } from '../shared/paint.js';
import type { MixingPainted, PretrainedController } from './controller.js';
import type { LoadedGenerator } from './generator.js';
import { crossoverOptions, type styleLayout } from './style-layout.js';

/** The latest mixing grid, for tests: its key and what each cell is. */
export interface MixingRecord {
  key: string;
  crossover: number;
  kinds: string[];
  /** Per cell (corner: null), the latent each layer's style comes from. */
  styles: (number[] | null)[];
}

declare global {
  interface Window {
    __gankitLastMixing?: MixingRecord;
  }
}

export function styleView(
  els: ReturnType<typeof styleLayout>,
  controller: PretrainedController,
  on: { renderAll(): void; showError(err: unknown): void },
) {
  const asked = controller.asked;
  const renderMixing = () => void controller.mixing().then((m) => m && showMixing(els, m), on.showError);
  els.crossover.addEventListener('change', () => {
    asked.crossover = Number(els.crossover.value);
    renderMixing();
  });
  els.noise.addEventListener('click', () => {
    setText(els.noiseSeed, String(controller.resampleNoise()));
    on.renderAll();
  });
  return {
    renderMixing,
    /** Shows the section for a style generator (fitting the crossover choices to it), hides it for the others. */
    shown(gen: LoadedGenerator) {
      const styles = gen.styles;
      els.section.hidden = styles == null;
      if (styles == null) return;
      els.crossover.replaceChildren(...crossoverOptions(styles.count, styles.coarse));
      els.crossover.value = String(asked.crossover);
      setText(els.noiseSeed, String(asked.noiseSeed));
    },
  };
}

function showMixing(els: ReturnType<typeof styleLayout>, m: MixingPainted): void {
  const { gen } = m.current;
  const [lo, hi] = gen.range;
  const per = gen.imageShape.reduce((a, b) => a * b, 1);
  // the corner holds no image: it is painted in the grid's background grey
  const values = new Float32Array(per * m.cells.length).fill(lo + (110 / 255) * (hi - lo));
  values.set(m.images.values, per);
  const layout = gridLayout(m.cells.length, m.cols + 1, gen.imageShape);
  const shape = [m.cells.length, ...gen.imageShape];
  paintGrid(els.grid, gridPixels(values, shape, gen.range, layout), layout, { scale: 2 });
  window.__gankitLastMixing = {
    key: m.key,
    crossover: m.crossover,
    kinds: m.cells.map((c) => c.kind),
    styles: m.cells.map((c) => c.styles),
  };
  els.grid.dataset.key = m.key;
  els.grid.dataset.renders = String(Number(els.grid.dataset.renders ?? 0) + 1);
  const k = m.crossover;
  const last = m.count - 1;
  setText(
    els.legend,
    `top row: ${m.cols} latents (seed ${m.seed + 1}); left column: ${m.rows} latents (seed ${m.seed}); ` +
      `each cell takes styles 0–${k - 1} (coarse) from its row and ${k}–${last} (fine) from its column · ` +
      `ψ ${m.style.psi} in W · noise seed ${m.style.noiseSeed}, the same for every image`,
  );
}
