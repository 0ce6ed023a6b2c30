/**
 * The image playground's page: settings, play/pause/reset, the live sample grid (a row per class for a cGAN),
 * readouts and the loss chart, wired to an ImageController. Painting happens in animation frames from the
 * controller's latest numbers; nothing here waits on the backend.
 */
import { gridLayout, gridPixels, knownDataset } from '@gankit/datasets';
import { backendLines } from '../shared/backend.js';
import type { ViewContext } from '../shared/context.js';
import { chartCanvas, drawLossChart, trainingButtons } from '../shared/controls.js';
import { DataCache, loadTrainingData } from '../shared/data.js';
import { h, output, readoutList, setText } from '../shared/dom.js';
import { formatSpeed, formatValue } from '../shared/format.js';
import { paintGrid } from '../shared/paint.js';
import { DEFAULT_IMAGE_CONFIG, type ImageConfig, speedNote } from './config.js';
import { ImageController } from './controller.js';
import type { SampleSnapshot } from './session.js';
import { imageSettings } from './settings.js';

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
  cache ??= new DataCache((name, onProgress) => loadTrainingData(name, { base: context.base, onProgress }));
  const data = cache;
  const controller = new ImageController(initial, {
    loadData: (name, onProgress) => data.get(name, onProgress),
    onChange: () => {
      dirty = true;
    },
  });
  const reset = (patch: Partial<ImageConfig>) => void controller.reset(patch);

  const buttons = trainingButtons(controller, () => reset({}));
  const { name: backend, slow } = backendLines(context.backend);
  const note = speedNote(backend, slow);
  const speedHint = h(
    'p',
    { class: note.slow ? 'note slow-note' : 'note', testid: 'images-speed-note' },
    note.text,
    ...(note.slow ? [' ', h('a', { href: '?view=images&backend=wasm' }, 'Train on WebAssembly')] : []),
  );
  const canvas = h('canvas', { testid: 'sample-grid', class: 'sample-grid', width: 500, height: 500 });
  const legend = h('p', { class: 'legend' });
  const readouts = imageReadouts();
  root.append(
    h(
      'div',
      { class: 'playground images' },
      h('aside', {}, imageSettings(initial, reset)),
      h(
        'div',
        { class: 'stage' },
        h('div', { class: 'buttons' }, buttons.play, buttons.pause, buttons.restart),
        speedHint,
        canvas,
        legend,
      ),
      readouts.element,
    ),
  );

  /** The grid of G's samples at the step they were read. */
  const paintSamples = (samples: SampleSnapshot) => {
    const layout = gridLayout(samples.grid.count, samples.grid.cols, samples.shape.slice(1));
    const pixels = gridPixels(samples.values, samples.shape, samples.range, layout);
    const classes = knownDataset(controller.session?.dataset.name ?? controller.config.dataset).classes;
    paintGrid(canvas, pixels, layout, { scale: 2, ...(samples.grid.labels ? { rowLabels: classes } : {}) });
    canvas.dataset.step = String(samples.step);
    setText(
      legend,
      samples.grid.labels
        ? `G at iteration ${samples.step} on fixed noise: a row per class, the same noise down each column.`
        : `G at iteration ${samples.step} on ${samples.grid.count} fixed noise vectors.`,
    );
  };

  // painting, in animation frames
  let frame = 0;
  let lastChart = 0;
  let painted: unknown;
  const paint = (now: number) => {
    frame = requestAnimationFrame(paint);
    if (controller.samples !== painted) {
      painted = controller.samples;
      if (controller.samples) paintSamples(controller.samples);
    }
    if (!dirty) return;
    dirty = false;
    readouts.show(controller);
    buttons.update();
    if (now - lastChart > 250 || !controller.playing) {
      lastChart = now;
      drawLossChart(readouts.chart, controller.history);
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

/** The readouts (iteration, images seen, losses, D's outputs, speed, state, data), the status line, the chart. */
function imageReadouts() {
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
  const chart = chartCanvas('chart-loss');
  const list = readoutList([
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
  return {
    element: h('div', { class: 'side' }, list, status, chart),
    chart,
    show(controller: ImageController) {
      const step = controller.step;
      setText(r.step, String(step));
      setText(r.seen, (step * controller.config.batchSize).toLocaleString('en'));
      setText(r.dLoss, formatValue(controller.last.dLoss));
      setText(r.gLoss, formatValue(controller.last.gLoss));
      setText(r.dReal, formatValue(controller.last.dReal, 3));
      setText(r.dFake, formatValue(controller.last.dFake, 3));
      setText(r.speed, formatSpeed(controller.speed));
      setText(r.state, controller.state);
      setText(r.data, controller.dataStatus || '—');
      setText(status, controller.status || controller.problem || '');
    },
  };
}
