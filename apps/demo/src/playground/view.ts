/**
 * The 2D playground's page: settings, buttons, the plane, readouts and charts, wired to a PlaygroundController.
 * Drawing happens in animation frames from the controller's latest numbers; nothing here waits on the backend.
 */
import { trainingButtons } from '../shared/controls.js';
import { h } from '../shared/dom.js';
import { DEFAULT_CONFIG, type PlaygroundConfig } from './config.js';
import { PlaygroundController } from './controller.js';
import { DRAW_EXTENT } from './distributions.js';
import { Drawing } from './drawing.js';
import { playgroundPlane } from './plane.js';
import { playgroundReadouts } from './readouts.js';
import { playgroundSettings } from './settings.js';

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
  const controller = new PlaygroundController(initial, {
    onChange: () => {
      dirty = true;
    },
  });
  const reset = (patch: Partial<PlaygroundConfig>) => {
    if (patch.distribution) root.classList.toggle('drawing', patch.distribution === 'draw');
    planeDirty = true;
    void controller.reset(patch);
  };

  const settings = playgroundSettings(initial, {
    reset,
    clearPoints: () => {
      drawing.clear();
      settings.showPoints(0);
      reset({ points: [] });
    },
  });
  const buttons = trainingButtons(controller, () => reset({}));
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
  const plane = playgroundPlane(() => {
    planeDirty = true;
  });
  const drawing = new Drawing(plane.canvas, initial.points, {
    active: () => controller.config.distribution === 'draw',
    viewport: () => plane.renderer.viewport(DRAW_EXTENT),
    added: (points) => {
      settings.showPoints(points.length);
      planeDirty = true;
    },
    settled: (points) => reset({ points }),
  });
  const readouts = playgroundReadouts();
  root.classList.toggle('drawing', initial.distribution === 'draw');
  root.append(
    h(
      'div',
      { class: 'playground' },
      h('aside', {}, settings.element),
      h(
        'div',
        { class: 'stage' },
        h('div', { class: 'buttons' }, buttons.play, buttons.pause, stepD, stepG, buttons.restart),
        plane.canvas,
        ...plane.below,
      ),
      readouts.element,
    ),
  );

  // painting, in animation frames
  let frame = 0;
  let lastCharts = 0;
  let lastSnapshot = controller.snapshot;
  const paint = (now: number) => {
    frame = requestAnimationFrame(paint);
    if (controller.snapshot !== lastSnapshot) {
      lastSnapshot = controller.snapshot;
      planeDirty = true;
    }
    if (planeDirty) {
      planeDirty = false;
      plane.draw(controller, drawing.points);
    }
    if (!dirty) return;
    dirty = false;
    readouts.show(controller);
    buttons.update();
    stepD.disabled = controller.session == null;
    stepG.disabled = controller.session == null;
    if (now - lastCharts > 250 || !controller.playing) {
      lastCharts = now;
      readouts.drawCharts(controller);
    }
  };
  frame = requestAnimationFrame(paint);
  void controller.reset({});

  return {
    controller,
    async unmount() {
      cancelAnimationFrame(frame);
      drawing.dispose();
      await controller.dispose();
      root.replaceChildren();
    },
  };
}
