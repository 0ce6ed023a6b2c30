/**
 * The demo's views, switched from the header. Each mounts into an element and hands back how to unmount it (stop
 * its loops, free its tensors). The image playground and the pretrained generators join this list later.
 */
import { mountPlayground } from '../playground/view.js';

export interface View {
  /** The `?view=` value. */
  id: string;
  label: string;
  mount(root: HTMLElement): { unmount(): Promise<void> };
}

export const VIEWS: readonly View[] = [
  { id: 'playground-2d', label: '2D playground', mount: (root) => mountPlayground(root) },
  // { id: 'images', label: 'image playground', mount: ... },          — next: issue 9, second half
  // { id: 'generators', label: 'pretrained generators', mount: ... },
];

/** The view `?view=` names, or the first. */
export function viewFromSearch(search: string): View {
  const id = new URLSearchParams(search).get('view');
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
}
