/** The 2D playground's readouts (counters, losses, modes, JS, speed, state, status) and its three charts. */
import { drawChart } from '../shared/charts.js';
import { chartCanvas, drawLossChart } from '../shared/controls.js';
import { h, output, readoutList, setText } from '../shared/dom.js';
import { formatShare, formatSpeed, formatValue } from '../shared/format.js';
import type { PlaygroundController } from './controller.js';

export interface Readouts {
  /** The readouts, the status line and the charts. */
  element: HTMLElement;
  /** Writes the controller's numbers into the readouts. */
  show(controller: PlaygroundController): void;
  /** Repaints the charts from the controller's history. */
  drawCharts(controller: PlaygroundController): void;
}

export function playgroundReadouts(): Readouts {
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
  const charts = {
    loss: chartCanvas('chart-loss'),
    modes: chartCanvas('chart-modes'),
    js: chartCanvas('chart-js'),
  };
  const element = h(
    'div',
    { class: 'side' },
    readoutList([
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
    ]),
    status,
    charts.loss,
    charts.modes,
    charts.js,
  );
  return {
    element,
    show(controller) {
      const c = controller.counters;
      const q = controller.quality;
      setText(r.step, String(c.iterations));
      setText(r.dUpdates, String(c.dUpdates));
      setText(r.gUpdates, String(c.gUpdates));
      setText(r.dLoss, formatValue(controller.last.dLoss));
      setText(r.gLoss, formatValue(controller.last.gLoss));
      setText(r.modes, q ? String(q.modesCovered) : '—');
      setText(r.modesTotal, q ? String(q.modes) : '—');
      setText(r.hq, formatShare(q?.highQuality));
      setText(r.js, formatValue(q?.js, 3));
      setText(r.speed, formatSpeed(controller.speed));
      setText(r.state, controller.state);
      setText(status, controller.status || controller.problem || '');
    },
    drawCharts(controller) {
      const hist = controller.history;
      const modes = controller.quality?.modes;
      drawLossChart(charts.loss, hist);
      drawChart(charts.modes, {
        title: `modes covered (of ${modes ?? '—'})`,
        lines: [{ series: hist.get('modes'), color: '#31a354', label: 'modes' }],
        y: { min: 0, max: modes ?? 1 },
        steps: true,
      });
      drawChart(charts.js, {
        title: 'JS divergence (2-D histograms)',
        lines: [{ series: hist.get('js'), color: '#756bb1', label: 'JS' }],
        y: { min: 0 },
      });
    },
  };
}
