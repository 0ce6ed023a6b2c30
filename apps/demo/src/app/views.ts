/**
 * The demo's views, switched from the header. Each mounts into an element and hands back how to unmount it (stop
 * its loops, free its tensors).
 */
import { mountImagePlayground } from '../images/view.js';
import { mountPlayground } from '../playground/view.js';
import { mountPretrained } from '../pretrained/view.js';
import type { ViewContext } from '../shared/context.js';
import { mountTranslate } from '../translate/view.js';

export type { ViewContext };

export interface View {
  /** The `?view=` value. */
  id: string;
  label: string;
  mount(root: HTMLElement, context: ViewContext): { unmount(): Promise<void> };
}

export const VIEWS: readonly View[] = [
  { id: 'playground-2d', label: '2D playground', mount: (root) => mountPlayground(root) },
  { id: 'images', label: 'Image playground', mount: (root, context) => mountImagePlayground(root, context) },
  { id: 'pretrained', label: 'Pretrained', mount: (root, context) => mountPretrained(root, context) },
  { id: 'translate', label: 'Image-to-image', mount: (root, context) => mountTranslate(root, context) },
];

/** The view `?view=` names, or the first. */
export function viewFromSearch(search: string): View {
  const id = new URLSearchParams(search).get('view');
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}
