/**
 * The page around the views: the title, the view switcher, the active backend (always shown; the reasons for
 * skipped backends on hover and in its details) and a debug readout of live tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendLines, type StartedBackend } from '../shared/backend.js';
import { h, setText } from '../shared/dom.js';
import { VIEWS, type View } from './views.js';

export interface Shell {
  main: HTMLElement;
  /** Marks `view` as the current one in the switcher. */
  select(view: View): void;
  dispose(): void;
}

export function mountShell(
  root: HTMLElement,
  started: StartedBackend,
  onSwitch: (view: View) => void,
): Shell {
  const { name, lines, slow } = backendLines(started);
  const title = lines.join('\n');
  const badge = h('strong', { testid: 'backend', class: `backend backend-${name}`, title }, name);
  const details = h(
    'details',
    { testid: 'backend-details', class: 'backend-details' },
    h('summary', { title }, 'backend ', badge),
    h('ul', {}, ...lines.map((l) => h('li', {}, l))),
  );
  const tensors = h('output', { testid: 'tensors', title: 'tf.memory().numTensors' }, '—');
  const buttons = VIEWS.map((v) =>
    h('button', { type: 'button', testid: `view-${v.id}`, onclick: () => onSwitch(v) }, v.label),
  );
  const hint =
    slow && name !== 'wasm'
      ? h(
          'p',
          { class: 'slow', testid: 'slow-hint' },
          `Training on ${name} is slow here (${started.active.detail}). `,
          h('a', { href: '?backend=wasm' }, 'Try WebAssembly'),
          ' — or open the page in a browser with a GPU.',
        )
      : undefined;
  const main = h('main', { class: 'view' });
  root.replaceChildren(
    h(
      'header',
      {},
      h('h1', {}, 'gankit ', h('span', {}, 'GANs training live in your browser')),
      h('nav', {}, ...buttons),
      h('div', { class: 'debug' }, details, h('span', { class: 'tensors' }, 'tensors ', tensors)),
    ),
    ...(hint ? [hint] : []),
    main,
  );
  // `data-reads` counts the readings, so that a test can wait for one taken after training stopped
  let reads = 0;
  const timer = setInterval(() => {
    setText(tensors, String(tf.memory().numTensors));
    tensors.dataset.reads = String(++reads);
  }, 500);
  return {
    main,
    select(view) {
      buttons.forEach((b, i) => {
        b.classList.toggle('active', VIEWS[i] === view);
        b.setAttribute('aria-pressed', String(VIEWS[i] === view));
      });
    },
    dispose: () => clearInterval(timer),
  };
}
