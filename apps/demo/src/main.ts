/** The demo's entry: start the backend, draw the shell, mount the view the URL asks for. */
import './style.css';
import { tuneForSoftwareAdapter, useBackend } from '@gankit/backends';
import * as tf from '@tensorflow/tfjs-core';
import { mountShell } from './app/shell.js';
import { type View, viewFromSearch } from './app/views.js';
import { WASM_PATHS } from './app/wasm-paths.js';
import { startBackend } from './shared/backend.js';
import { h } from './shared/dom.js';

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  let started: Awaited<ReturnType<typeof startBackend>>;
  try {
    started = await startBackend(location.search, useBackend, { paths: WASM_PATHS });
  } catch (err) {
    root.replaceChildren(
      h(
        'p',
        { class: 'error', testid: 'fatal' },
        `No TensorFlow.js backend could start: ${(err as Error).message}`,
      ),
    );
    return;
  }
  tuneForSoftwareAdapter(started.active, tf.env());
  let current: { view: View; unmount(): Promise<void> } | undefined;
  const show = async (view: View) => {
    if (current?.view === view) return;
    await current?.unmount();
    shell.select(view);
    const url = new URL(location.href);
    url.searchParams.set('view', view.id);
    history.replaceState(null, '', url);
    current = {
      view,
      ...view.mount(shell.main, {
        backend: started,
        search: location.search,
        base: import.meta.env.BASE_URL,
      }),
    };
  };
  const shell = mountShell(root, started, (view) => void show(view));
  await show(viewFromSearch(location.search));
  document.body.dataset.ready = 'true';
}

void main();
