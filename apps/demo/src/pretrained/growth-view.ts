/**
 * The pretrained view's growth strip: a progressively grown generator (ProGAN) drawn by its training run at each
 * resolution it passed through — the run's last sample grid at 7×7, 14×14, 28×28 — shown only for entries of
 * index.json that list their `growth`.
 */
import { h, setText } from '../shared/dom.js';
import type { GeneratorEntry } from './catalog.js';

/** The strip's elements, hidden until a grown generator is shown. */
export function growthLayout() {
  const strip = h('div', { class: 'growth-strip', testid: 'growth-strip' });
  const legend = h('p', { class: 'legend', testid: 'growth-legend' });
  const section = h(
    'section',
    { class: 'growth', testid: 'growth', hidden: true },
    h('h3', {}, 'Growth'),
    strip,
    legend,
  );
  return { section, strip, legend };
}

/** Shows `entry`'s growth strip (images next to index.json, under `base`), or hides the section. */
export function showGrowth(
  els: ReturnType<typeof growthLayout>,
  entry: GeneratorEntry | undefined,
  base: string,
): void {
  const growth = entry?.growth;
  els.section.hidden = growth == null;
  if (growth == null) {
    els.strip.replaceChildren();
    return;
  }
  els.strip.replaceChildren(
    ...growth.map(({ resolution, file }) =>
      h(
        'figure',
        { testid: `growth-${resolution}` },
        h('img', { src: `${base}${file}`, alt: `samples at ${resolution}×${resolution}`, loading: 'lazy' }),
        h('figcaption', {}, `${resolution}×${resolution}`),
      ),
    ),
  );
  setText(
    els.legend,
    `samples of the training run as it grew: its last grid at each resolution (${growth
      .map((g) => `${g.resolution}×${g.resolution}`)
      .join(' → ')}), the same noise in every grid`,
  );
}
