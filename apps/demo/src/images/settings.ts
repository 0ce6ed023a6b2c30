/** The image playground's settings panel: the dataset, the model and its width, batch size and learning rate. */
import { h, select } from '../shared/dom.js';
import { formatRate } from '../shared/format.js';
import {
  IMAGE_BATCH_SIZES,
  IMAGE_DATASETS,
  IMAGE_LEARNING_RATES,
  IMAGE_MODELS,
  type ImageConfig,
  WIDTHS,
} from './config.js';

/** `reset`: a setting changed; start again from a new model with `patch`. */
export function imageSettings(
  initial: ImageConfig,
  reset: (patch: Partial<ImageConfig>) => void,
): HTMLElement {
  const label = (text: string, control: HTMLElement) => h('label', {}, text, control);
  return h(
    'div',
    { class: 'settings' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'data'),
      label(
        'dataset ',
        select('dataset', IMAGE_DATASETS, initial.dataset, (dataset) => reset({ dataset })),
      ),
      h('p', { class: 'hint' }, '60,000 training images, served by the demo as gzipped IDX files.'),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'model (28 × 28 DCGAN)'),
      label(
        'model ',
        select('model', IMAGE_MODELS, initial.model, (model) => reset({ model })),
      ),
      label(
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
      label(
        'batch size ',
        select(
          'batch-size',
          IMAGE_BATCH_SIZES.map((v) => ({ value: v, label: String(v) })),
          initial.batchSize as (typeof IMAGE_BATCH_SIZES)[number],
          (batchSize) => reset({ batchSize }),
        ),
      ),
      label(
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
}
