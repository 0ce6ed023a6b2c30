import type { StartedBackend } from './backend.js';

/** What a view may want to know about the page it is on. */
export interface ViewContext {
  backend: StartedBackend;
  /** The page's query string (e.g. `?view=pretrained&generator=mnist-cgan`). */
  search: string;
  /** The site's base URL (Vite's `base`), ending in `/`. */
  base: string;
}
