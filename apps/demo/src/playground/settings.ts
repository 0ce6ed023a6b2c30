/** The 2D playground's settings panel: data (and the drawing's points), model and training. */
import { h, select, setText } from '../shared/dom.js';
import { formatRate } from '../shared/format.js';
import {
  D_STEPS,
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

export interface SettingsHandlers {
  /** A setting changed: start again from a new model with `patch` (a new distribution comes with its σ). */
  reset(patch: Partial<PlaygroundConfig>): void;
  /** The visitor cleared their drawing. */
  clearPoints(): void;
}

export interface Settings {
  element: HTMLElement;
  /** Shows how many points the drawing has. */
  showPoints(count: number): void;
}

const numbers = <T extends number>(values: readonly T[]) =>
  values.map((v) => ({ value: v, label: String(v) }));

export function playgroundSettings(initial: PlaygroundConfig, on: SettingsHandlers): Settings {
  const sigma = select('sigma', numbers(SIGMAS), initial.sigma, (s) => on.reset({ sigma: s }));
  const distribution = select(
    'distribution',
    DISTRIBUTIONS.map((d) => ({ value: d.value, label: d.label })),
    initial.distribution,
    (value: DistributionKind) => {
      const s = defaultSigma(value);
      sigma.value = String(s);
      on.reset({ distribution: value, sigma: s });
    },
  );
  const points = h('output', { testid: 'points' }, String(initial.points.length));
  const clear = h('button', { testid: 'clear-points', type: 'button', onclick: on.clearPoints }, 'clear');
  const label = (text: string, control: HTMLElement) => h('label', {}, text, control);
  const lr = LEARNING_RATES.map((v) => ({ value: v, label: formatRate(v) }));
  const element = h(
    'div',
    { class: 'settings' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'data'),
      label('distribution ', distribution),
      label('σ per mode ', sigma),
      h('div', { class: 'row draw-only' }, 'points ', points, ' ', clear),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'model (G and D)'),
      label(
        'hidden layers ',
        select('layers', numbers(HIDDEN_LAYERS), initial.hiddenLayers, (hiddenLayers) =>
          on.reset({ hiddenLayers }),
        ),
      ),
      label(
        '× units ',
        select('units', numbers(UNITS), initial.units, (units) => on.reset({ units })),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'training'),
      label(
        'loss ',
        select('loss', LOSSES, initial.loss, (loss) => on.reset({ loss })),
      ),
      label(
        'optimizer ',
        select(
          'optimizer',
          [
            { value: 'adam' as const, label: 'Adam (β₁ 0.5)' },
            { value: 'sgd' as const, label: 'SGD' },
          ],
          initial.optimizer,
          (optimizer) => on.reset({ optimizer }),
        ),
      ),
      label(
        'D learning rate ',
        select('lr-d', lr, initial.lrD, (lrD) => on.reset({ lrD })),
      ),
      label(
        'G learning rate ',
        select('lr-g', lr, initial.lrG, (lrG) => on.reset({ lrG })),
      ),
      label(
        'D steps per iteration (k) ',
        select('d-steps', numbers(D_STEPS), initial.dSteps, (dSteps) => on.reset({ dSteps })),
      ),
    ),
    h('p', { class: 'hint' }, 'Changing a setting starts training again from a new model.'),
  );
  return { element, showPoints: (count) => setText(points, String(count)) };
}
