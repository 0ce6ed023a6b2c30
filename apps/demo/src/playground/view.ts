/**
 * The 2D playground's page: settings, buttons, the plane, readouts and charts, wired to a PlaygroundController.
 * Drawing happens in animation frames from the controller's latest numbers; nothing here waits on the backend.
 */

import { drawChart } from '../shared/charts.js';
import { h, output, readoutList, select, setText } from '../shared/dom.js';
import { formatRate, formatShare, formatSpeed, formatValue } from '../shared/format.js';
import { debounce } from '../shared/scheduler.js';
import {
  D_STEPS,
  DEFAULT_CONFIG,
  DISTRIBUTIONS,
  type DistributionKind,
  defaultSigma,
  HIDDEN_LAYERS,
  LEARNING_RATES,
  LOSSES,
  type PlaygroundConfig,
  SIGMAS,
  UNITS,
} from './config.js';
import { PlaygroundController } from './controller.js';
import { DRAW_EXTENT, makeData } from './distributions.js';
import { DEFAULT_LAYERS, type LayerToggles, PlaneRenderer } from './render.js';

/** Drawn points closer than this (world units) to the previous one of a drag are not added. */
const DRAG_SPACING = 0.12;
const MAX_POINTS = 64;

export interface PlaygroundHandle {
  controller: PlaygroundController;
  unmount(): Promise<void>;
}

export function mountPlayground(
  root: HTMLElement,
  initial: PlaygroundConfig = DEFAULT_CONFIG,
): PlaygroundHandle {
  let dirty = true;
  let planeDirty = true;
  let lastCharts = 0;
  const controller = new PlaygroundController(initial, {
    onChange: () => {
      dirty = true;
    },
  });
  const layers: LayerToggles = { ...DEFAULT_LAYERS };
  /** The drawing as the visitor sees it (ahead of the session, which restarts after a pause in drawing). */
  let points: number[][] = [...initial.points];

  const reset = (patch: Partial<PlaygroundConfig>) => {
    planeDirty = true;
    void controller.reset(patch);
  };

  // settings
  const distribution = select(
    'distribution',
    DISTRIBUTIONS.map((d) => ({ value: d.value, label: d.label })),
    initial.distribution,
    (value: DistributionKind) => {
      const sigma = defaultSigma(value);
      sigmaSelect.value = String(sigma);
      updateDrawUi(value);
      reset({ distribution: value, sigma });
    },
  );
  const sigmaSelect = select(
    'sigma',
    SIGMAS.map((s) => ({ value: s, label: String(s) })),
    initial.sigma,
    (sigma) => reset({ sigma }),
  );
  const pointsOut = h('output', { testid: 'points' }, String(points.length));
  const clearPoints = h(
    'button',
    {
      testid: 'clear-points',
      type: 'button',
      onclick: () => {
        points = [];
        setText(pointsOut, '0');
        applyPoints.cancel();
        reset({ points: [] });
      },
    },
    'clear',
  );
  const drawRow = h('div', { class: 'row draw-only' }, 'points ', pointsOut, ' ', clearPoints);
  const lr = LEARNING_RATES.map((v) => ({ value: v, label: formatRate(v) }));
  const settings = h(
    'div',
    { class: 'settings' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'data'),
      h('label', {}, 'distribution ', distribution),
      h('label', {}, 'σ per mode ', sigmaSelect),
      drawRow,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'model (G and D)'),
      h(
        'label',
        {},
        'hidden layers ',
        select(
          'layers',
          HIDDEN_LAYERS.map((v) => ({ value: v, label: String(v) })),
          initial.hiddenLayers,
          (hiddenLayers) => reset({ hiddenLayers }),
        ),
      ),
      h(
        'label',
        {},
        '× units ',
        select(
          'units',
          UNITS.map((v) => ({ value: v, label: String(v) })),
          initial.units,
          (units) => reset({ units }),
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
        'loss ',
        select('loss', LOSSES, initial.loss, (loss) => reset({ loss })),
      ),
      h(
        'label',
        {},
        'optimizer ',
        select(
          'optimizer',
          [
            { value: 'adam' as const, label: 'Adam (β₁ 0.5)' },
            { value: 'sgd' as const, label: 'SGD' },
          ],
          initial.optimizer,
          (optimizer) => reset({ optimizer }),
        ),
      ),
      h(
        'label',
        {},
        'D learning rate ',
        select('lr-d', lr, initial.lrD, (lrD) => reset({ lrD })),
      ),
      h(
        'label',
        {},
        'G learning rate ',
        select('lr-g', lr, initial.lrG, (lrG) => reset({ lrG })),
      ),
      h(
        'label',
        {},
        'D steps per iteration (k) ',
        select(
          'd-steps',
          D_STEPS.map((v) => ({ value: v, label: String(v) })),
          initial.dSteps,
          (dSteps) => reset({ dSteps }),
        ),
      ),
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
  const stepD = h(
    'button',
    {
      testid: 'step-d',
      type: 'button',
      title: 'one discriminator update (G frozen)',
      onclick: () => void controller.stepDiscriminator(),
    },
    'step D',
  );
  const stepG = h(
    'button',
    {
      testid: 'step-g',
      type: 'button',
      title: 'one generator update (D frozen)',
      onclick: () => void controller.stepGenerator(),
    },
    'step G',
  );
  const restart = h(
    'button',
    { testid: 'reset', type: 'button', title: 'a new model', onclick: () => reset({}) },
    '↺ reset',
  );
  const buttons = h('div', { class: 'buttons' }, play, pause, stepD, stepG, restart);

  // the plane
  const canvas = h('canvas', { testid: 'plane', class: 'plane', width: 480, height: 480 });
  const renderer = new PlaneRenderer(canvas);
  const toggles = h(
    'div',
    { class: 'layers' },
    ...(
      [
        ['heatmap', 'D heatmap'],
        ['manifold', 'G manifold'],
        ['reals', 'real'],
        ['fakes', 'fake'],
        ['arrows', 'gradients on fakes'],
      ] as const
    ).map(([key, label]) => {
      const box = h('input', { type: 'checkbox', testid: `layer-${key}`, checked: layers[key] });
      box.addEventListener('change', () => {
        layers[key] = box.checked;
        planeDirty = true;
      });
      return h('label', { class: `layer layer-${key}` }, box, ` ${label}`);
    }),
  );

  // readouts

  const r = {
    step: output('step'),
    dUpdates: output('d-updates'),
    gUpdates: output('g-updates'),
    dLoss: output('d-loss'),
    gLoss: output('g-loss'),
    modes: output('modes-covered'),
    modesTotal: output('modes-total'),
    hq: output('high-quality'),
    js: output('js'),
    speed: output('speed'),
    state: output('state'),
  };
  const status = h('p', { testid: 'status', class: 'status' });
  const readouts = readoutList([
    ['iteration', r.step],
    ['D updates', r.dUpdates],
    ['G updates', r.gUpdates],
    ['D loss', r.dLoss],
    ['G loss', r.gLoss],
    ['modes covered', h('span', {}, r.modes, ' / ', r.modesTotal)],
    ['high quality (≤ 3σ)', r.hq],
    ['JS divergence', r.js],
    ['iterations / s', r.speed],
    ['state', r.state],
  ]);

  // charts
  const chart = (testid: string) => h('canvas', { testid, class: 'chart', width: 300, height: 120 });
  const charts = { loss: chart('chart-loss'), modes: chart('chart-modes'), js: chart('chart-js') };

  root.append(
    h(
      'div',
      { class: 'playground' },
      h('aside', {}, settings),
      h(
        'div',
        { class: 'stage' },
        buttons,
        canvas,
        toggles,
        h(
          'p',
          { class: 'legend' },
          'green: real data · purple: generated · background: D(x), green where D says real · lines: G applied to a grid of z · red arrows: −∂L_G/∂x, where D pushes each fake',
        ),
      ),
      h('div', { class: 'side' }, readouts, status, charts.loss, charts.modes, charts.js),
    ),
  );

  // drawing your own distribution
  const applyPoints = debounce(() => reset({ points: [...points] }), 350);
  let dragging = false;
  const addPoint = (ev: PointerEvent, force: boolean) => {
    if (controller.config.distribution !== 'draw' || points.length >= MAX_POINTS) return;
    const rect = canvas.getBoundingClientRect();
    const view = renderer.viewport(DRAW_EXTENT);
    const [x, y] = view.toWorld(ev.clientX - rect.left, ev.clientY - rect.top);
    if (!view.contains(x, y)) return;
    const lastPoint = points[points.length - 1];
    if (!force && lastPoint && Math.hypot(x - lastPoint[0]!, y - lastPoint[1]!) < DRAG_SPACING) return;
    points.push([Number(x.toFixed(3)), Number(y.toFixed(3))]);
    setText(pointsOut, String(points.length));
    planeDirty = true;
    applyPoints();
  };
  canvas.addEventListener('pointerdown', (ev) => {
    dragging = true;
    canvas.setPointerCapture?.(ev.pointerId);
    addPoint(ev, true);
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (dragging) addPoint(ev, false);
  });
  const stopDrag = () => {
    dragging = false;
  };
  canvas.addEventListener('pointerup', stopDrag);
  canvas.addEventListener('pointercancel', stopDrag);

  const updateDrawUi = (kind: DistributionKind) => {
    root.classList.toggle('drawing', kind === 'draw');
  };
  updateDrawUi(initial.distribution);

  // painting, in animation frames
  let frame = 0;
  let lastSnapshot = controller.snapshot;
  const paint = (now: number) => {
    frame = requestAnimationFrame(paint);
    if (controller.snapshot !== lastSnapshot) {
      lastSnapshot = controller.snapshot;
      planeDirty = true;
    }
    if (planeDirty) {
      planeDirty = false;
      const session = controller.session;
      const drawing = controller.config.distribution === 'draw';
      const extent = session?.data.extent ?? (drawing ? DRAW_EXTENT : safeExtent(controller.config));
      renderer.draw({
        extent,
        snapshot: controller.snapshot,
        reals: session?.reals,
        realsShown: 1024,
        points: drawing ? points : [],
        layers,
        hint: drawing
          ? points.length === 0
            ? 'click or drag here to place points'
            : undefined
          : controller.problem,
      });
    }
    if (!dirty) return;
    dirty = false;
    const c = controller.counters;
    setText(r.step, String(c.iterations));
    setText(r.dUpdates, String(c.dUpdates));
    setText(r.gUpdates, String(c.gUpdates));
    setText(r.dLoss, formatValue(controller.last.dLoss));
    setText(r.gLoss, formatValue(controller.last.gLoss));
    setText(r.modes, controller.quality ? String(controller.quality.modesCovered) : '—');
    setText(r.modesTotal, controller.quality ? String(controller.quality.modes) : '—');
    setText(r.hq, formatShare(controller.quality?.highQuality));
    setText(r.js, formatValue(controller.quality?.js, 3));
    setText(r.speed, formatSpeed(controller.speed));
    setText(
      r.state,
      controller.playing ? 'training' : controller.busy ? 'busy' : controller.session ? 'paused' : 'waiting',
    );
    setText(status, controller.status || controller.problem || '');
    play.disabled = controller.playing || controller.session == null;
    pause.disabled = !controller.playing;
    stepD.disabled = controller.session == null;
    stepG.disabled = controller.session == null;
    if (now - lastCharts > 250 || !controller.playing) {
      lastCharts = now;
      const hist = controller.history;
      drawChart(charts.loss, {
        title: 'losses',
        lines: [
          { series: hist.get('dLoss'), color: '#2c7fb8', label: 'D' },
          { series: hist.get('gLoss'), color: '#e6550d', label: 'G' },
        ],
      });
      drawChart(charts.modes, {
        title: `modes covered (of ${controller.quality?.modes ?? '—'})`,
        lines: [{ series: hist.get('modes'), color: '#31a354', label: 'modes' }],
        y: { min: 0, max: controller.quality?.modes ?? 1 },
        steps: true,
      });
      drawChart(charts.js, {
        title: 'JS divergence (2-D histograms)',
        lines: [{ series: hist.get('js'), color: '#756bb1', label: 'JS' }],
        y: { min: 0 },
      });
    }
  };
  frame = requestAnimationFrame(paint);
  void controller.reset({});

  return {
    controller,
    async unmount() {
      cancelAnimationFrame(frame);
      applyPoints.cancel();
      await controller.dispose();
      root.replaceChildren();
    },
  };
}

function safeExtent(config: PlaygroundConfig): number {
  try {
    return makeData(config).extent;
  } catch {
    return DRAW_EXTENT;
  }
}
