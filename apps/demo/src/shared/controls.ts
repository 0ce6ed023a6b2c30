/** What the playgrounds' pages share: play, pause and reset, the state readout's buttons, and the loss chart. */
import { drawChart } from './charts.js';
import { h } from './dom.js';
import type { MetricHistory } from './history.js';

/** What the buttons drive (a LiveTraining). */
export interface Playable {
  readonly playing: boolean;
  readonly session: unknown;
  play(): void;
  pause(): Promise<void>;
}

export interface TrainingButtons {
  play: HTMLButtonElement;
  pause: HTMLButtonElement;
  restart: HTMLButtonElement;
  /** Enables play while there is something to train and it is not playing, pause while it plays. */
  update(): void;
}

/** ▶ play, ▮▮ pause and ↺ reset (`onReset`: start again from a new model). */
export function trainingButtons(controller: Playable, onReset: () => void): TrainingButtons {
  const play = h('button', { testid: 'play', type: 'button', onclick: () => controller.play() }, '▶ play');
  const pause = h(
    'button',
    { testid: 'pause', type: 'button', onclick: () => void controller.pause() },
    '▮▮ pause',
  );
  const restart = h(
    'button',
    { testid: 'reset', type: 'button', title: 'a new model', onclick: onReset },
    '↺ reset',
  );
  return {
    play,
    pause,
    restart,
    update() {
      play.disabled = controller.playing || controller.session == null;
      pause.disabled = !controller.playing;
    },
  };
}

/** A chart canvas (CSS size 300 × 120). */
export const chartCanvas = (testid: string) =>
  h('canvas', { testid, class: 'chart', width: 300, height: 120 });

/** D's and G's losses over the iterations. */
export function drawLossChart(canvas: HTMLCanvasElement, history: MetricHistory): void {
  drawChart(canvas, {
    title: 'losses',
    lines: [
      { series: history.get('dLoss'), color: '#2c7fb8', label: 'D' },
      { series: history.get('gLoss'), color: '#e6550d', label: 'G' },
    ],
  });
}
