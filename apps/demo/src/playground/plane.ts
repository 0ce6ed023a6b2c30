/**
 * The 2D playground's stage: the plane (a canvas painted by PlaneRenderer), its layer switches and legend, and the
 * scene it shows — the session's data and snapshot, or the visitor's drawing.
 */
import { h } from '../shared/dom.js';
import type { PlaygroundConfig } from './config.js';
import type { PlaygroundController } from './controller.js';
import { DRAW_EXTENT, makeData } from './distributions.js';
import { DEFAULT_LAYERS, type LayerToggles, PlaneRenderer, type Scene } from './render.js';

const LAYER_LABELS = [
  ['heatmap', 'D heatmap'],
  ['manifold', 'G manifold'],
  ['reals', 'real'],
  ['fakes', 'fake'],
  ['arrows', 'gradients on fakes'],
] as const;

const LEGEND =
  'green: real data · purple: generated · background: D(x), green where D says real · lines: G applied to a grid of z · red arrows: −∂L_G/∂x, where D pushes each fake';

export interface Plane {
  canvas: HTMLCanvasElement;
  renderer: PlaneRenderer;
  /** The layer switches and the legend, to go under the canvas. */
  below: HTMLElement[];
  /** Paints what `controller` has, and `points` when drawing. */
  draw(controller: PlaygroundController, points: number[][]): void;
}

/** `changed`: a layer was switched on or off (repaint). */
export function playgroundPlane(changed: () => void): Plane {
  const canvas = h('canvas', { testid: 'plane', class: 'plane', width: 480, height: 480 });
  const renderer = new PlaneRenderer(canvas);
  const layers: LayerToggles = { ...DEFAULT_LAYERS };
  const toggles = h(
    'div',
    { class: 'layers' },
    ...LAYER_LABELS.map(([key, label]) => {
      const box = h('input', { type: 'checkbox', testid: `layer-${key}`, checked: layers[key] });
      box.addEventListener('change', () => {
        layers[key] = box.checked;
        changed();
      });
      return h('label', { class: `layer layer-${key}` }, box, ` ${label}`);
    }),
  );
  return {
    canvas,
    renderer,
    below: [toggles, h('p', { class: 'legend' }, LEGEND)],
    draw: (controller, points) => renderer.draw(scene(controller, points, layers)),
  };
}

function scene(controller: PlaygroundController, points: number[][], layers: LayerToggles): Scene {
  const session = controller.session;
  const drawing = controller.config.distribution === 'draw';
  return {
    extent: session?.data.extent ?? (drawing ? DRAW_EXTENT : safeExtent(controller.config)),
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
  };
}

/** The view square of the settings' distribution, or the drawing's when the settings make none. */
function safeExtent(config: PlaygroundConfig): number {
  try {
    return makeData(config).extent;
  } catch {
    return DRAW_EXTENT;
  }
}
