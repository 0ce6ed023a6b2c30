/**
 * The image playground's page: settings, play/pause/reset, the live sample grid (a row per class for a cGAN),
 * readouts and the loss chart, wired to an ImageController. Painting happens in animation frames from the
 * controller's latest numbers; nothing here waits on the backend.
 */
import { gridLayout, gridPixels, knownDataset } from '@gankit/datasets';
import { backendLines } from '../shared/backend.js';
import { drawChart } from '../shared/charts.js';
import type { ViewContext } from '../shared/context.js';
import { h, output, readoutList, select, setText } from '../shared/dom.js';
import { formatRate, formatSpeed, formatValue } from '../shared/format.js';
import { paintGrid } from '../shared/paint.js';
import {
  DEFAULT_IMAGE_CONFIG,
  IMAGE_BATCH_SIZES,
  IMAGE_DATASETS,
  IMAGE_LEARNING_RATES,
  IMAGE_MODELS,
  type ImageConfig,
  speedNote,
  WIDTHS,
} from './config.js';
import { ImageController } from './controller.js';
import { DataCache, loadTrainingData } from './data.js';

/** One cache for the page: switching views or settings does not fetch a dataset twice. */
let cache: DataCache | undefined;

export interface ImagePlaygroundHandle {
  controller: ImageController;
  unmount(): Promise<void>;
}

export function mountImagePlayground(
  root: HTMLElement,
  context: ViewContext,
  initial: ImageConfig = DEFAULT_IMAGE_CONFIG,
): ImagePlaygroundHandle {
  let dirty = true;
  let lastChart = 0;
  cache ??= new DataCache((name, onProgress) => loadTrainingData(name, { base: context.base, onProgress }));
  const data = cache;
  const controller = new ImageController(initial, {
    loadData: (name, onProgress) => data.get(name, onProgress),
    onChange: () => {
      dirty = true;
    },
  });
  const reset = (patch: Partial<ImageConfig>) => void controller.reset(patch);

  // settings
  const settings = h(
    'div',
    { class: 'settings' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'data'),
      h(
        'label',
        {},
        'dataset ',
        select('dataset', IMAGE_DATASETS, initial.dataset, (dataset) => reset({ dataset })),
      ),
      h('p', { class: 'hint' }, '60,000 training images, served by the demo as gzipped IDX files.'),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'model (28 × 28 DCGAN)'),
      h(
        'label',
        {},
        'model ',
        select('model', IMAGE_MODELS, initial.model, (model) => reset({ model })),
      ),
      h(
        'label',
        {},
        'width ',
        select(
          'width',
          WIDTHS.map((v) => ({ value: v, label: String(v) })),
          initial.width as (typeof WIDTHS)[number],
          (width) => reset({ width }),
        ),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'training'),
      h(
        'label',
        {},
        'batch size ',
        select(
          'batch-size',
          IMAGE_BATCH_SIZES.map((v) => ({ value: v, label: String(v) })),
          initial.batchSize as (typeof IMAGE_BATCH_SIZES)[number],
          (batchSize) => reset({ batchSize }),
        ),
      ),
      h(
        'label',
        {},
        'learning rate ',
        select(
          'lr',
          IMAGE_LEARNING_RATES.map((v) => ({ value: v, label: formatRate(v) })),
          initial.lr as (typeof IMAGE_LEARNING_RATES)[number],
          (lr) => reset({ lr }),
        ),
      ),
      h('p', { class: 'hint' }, 'Non-saturating loss, Adam (β₁ 0.5) for G and D, one D step per G step.'),
    ),
    h('p', { class: 'hint' }, 'Changing a setting starts training again from a new model.'),
  );

  // buttons
  const play = h('button', { testid: 'play', type: 'button', onclick: () => controller.play() }, '▶ play');
  const pause = h(
    'button',
    { testid: 'pause', type: 'button', onclick: () => void controller.pause() },
    '▮▮ pause',
  );
  const restart = h(
    'button',
    { testid: 'reset', type: 'button', title: 'a new model', onclick: () => reset({}) },
    '↺ reset',
  );
  const { name: backend, slow } = backendLines(context.backend);
  const note = speedNote(backend, slow);
  const speedHint = h(
    'p',
    { class: note.slow ? 'note slow-note' : 'note', testid: 'images-speed-note' },
    note.text,
    ...(note.slow ? [' ', h('a', { href: '?view=images&backend=wasm' }, 'Train on WebAssembly')] : []),
  );

  // the grid
  const canvas = h('canvas', { testid: 'sample-grid', class: 'sample-grid', width: 500, height: 500 });
  const legend = h('p', { class: 'legend' });

  // readouts

  const r = {
    step: output('step'),
    seen: output('images-seen'),
    dLoss: output('d-loss'),
    gLoss: output('g-loss'),
    dReal: output('d-real'),
    dFake: output('d-fake'),
    speed: output('speed'),
    state: output('state'),
    data: output('data-status'),
  };
  const status = h('p', { testid: 'status', class: 'status' });
  const readouts = readoutList([
    ['iteration', r.step],
    ['real images seen', r.seen],
    ['D loss', r.dLoss],
    ['G loss', r.gLoss],
    ['D(real)', r.dReal],
    ['D(fake)', r.dFake],
    ['iterations / s', r.speed],
    ['state', r.state],
    ['data', r.data],
  ]);
  const chart = h('canvas', { testid: 'chart-loss', class: 'chart', width: 300, height: 120 });

  root.append(
    h(
      'div',
      { class: 'playground images' },
      h('aside', {}, settings),
      h(
        'div',
        { class: 'stage' },
        h('div', { class: 'buttons' }, play, pause, restart),
        speedHint,
        canvas,
        legend,
      ),
      h('div', { class: 'side' }, readouts, status, chart),
    ),
  );

  // painting, in animation frames
  let frame = 0;
  let painted: unknown;
  const paint = (now: number) => {
    frame = requestAnimationFrame(paint);
    const samples = controller.samples;
    if (samples !== painted) {
      painted = samples;
      if (samples) {
        const layout = gridLayout(samples.grid.count, samples.grid.cols, samples.shape.slice(1));
        const pixels = gridPixels(samples.values, samples.shape, samples.range, layout);
        const classes = knownDataset(controller.session?.dataset.name ?? controller.config.dataset).classes;
        paintGrid(canvas, pixels, layout, {
          scale: 2,
          ...(samples.grid.labels ? { rowLabels: classes } : {}),
        });
        canvas.dataset.step = String(samples.step);
        setText(
          legend,
          samples.grid.labels
            ? `G at iteration ${samples.step} on fixed noise: a row per class, the same noise down each column.`
            : `G at iteration ${samples.step} on ${samples.grid.count} fixed noise vectors.`,
        );
      }
    }
    if (!dirty) return;
    dirty = false;
    const step = controller.step;
    setText(r.step, String(step));
    setText(r.seen, (step * controller.config.batchSize).toLocaleString('en'));
    setText(r.dLoss, formatValue(controller.last.dLoss));
    setText(r.gLoss, formatValue(controller.last.gLoss));
    setText(r.dReal, formatValue(controller.last.dReal, 3));
    setText(r.dFake, formatValue(controller.last.dFake, 3));
    setText(r.speed, formatSpeed(controller.speed));
    setText(
      r.state,
      controller.playing ? 'training' : controller.busy ? 'busy' : controller.session ? 'paused' : 'waiting',
    );
    setText(r.data, controller.dataStatus || '—');
    setText(status, controller.status || controller.problem || '');
    play.disabled = controller.playing || controller.session == null;
    pause.disabled = !controller.playing;
    if (now - lastChart > 250 || !controller.playing) {
      lastChart = now;
      drawChart(chart, {
        title: 'losses',
        lines: [
          { series: controller.history.get('dLoss'), color: '#2c7fb8', label: 'D' },
          { series: controller.history.get('gLoss'), color: '#e6550d', label: 'G' },
        ],
      });
    }
  };
  frame = requestAnimationFrame(paint);
  void controller.reset({});

  return {
    controller,
    async unmount() {
      cancelAnimationFrame(frame);
      await controller.dispose();
      root.replaceChildren();
    },
  };
}
