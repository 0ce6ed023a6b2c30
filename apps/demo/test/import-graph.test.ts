/**
 * The demo's source has no import cycles and keeps its layers: `main` → `app` (the shell, the list of views) → the
 * views (`playground`, `images`, `pretrained`, `translate`, none importing another) → `shared` (what more than one view uses).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findCycles,
  type ImportGraph,
  importGraph,
  layerViolations,
  localSpecifiers,
} from './import-graph.js';

const LAYERS: Record<string, readonly string[]> = {
  main: ['app', 'shared'],
  app: ['playground', 'images', 'pretrained', 'translate', 'shared'],
  playground: ['shared'],
  images: ['shared'],
  pretrained: ['shared'],
  translate: ['shared'],
  shared: [],
};

const graph = importGraph(resolve(import.meta.dirname, '../src'));

describe('the import graph of src/', () => {
  it('is read from the sources: every view is reached from main, and shared/ is used', () => {
    expect(graph.get('main')).toEqual(expect.arrayContaining(['app/views', 'app/shell', 'shared/backend']));
    expect(graph.get('app/views')).toEqual(
      expect.arrayContaining(['playground/view', 'images/view', 'pretrained/view', 'translate/view']),
    );
    expect(graph.get('playground/view')).toContain('shared/dom');
    expect(graph.size).toBeGreaterThan(30);
    for (const imports of graph.values()) for (const to of imports) expect(graph.has(to), to).toBe(true);
  });

  it('has no import cycles', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('keeps its layers: main → app → the views (not each other) → shared', () => {
    expect(layerViolations(graph, LAYERS)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const g = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('reads imports, re-exports, side-effect and dynamic imports, not comments or packages', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "import './style.css';",
      "const d = await import('./d.js');",
      "import * as tf from '@tensorflow/tfjs-core';",
      "// import { e } from './e.js';",
      "/* import { f } from './f.js'; */",
    ].join('\n');
    expect(localSpecifiers(source)).toEqual(['./a.js', '../b/b.js', './c.js', './style.css', './d.js']);
  });

  it('finds a cycle through three modules and a self-import, and nothing in a tree', () => {
    expect(findCycles(g({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [] }))).toEqual([['a', 'b', 'c']]);
    expect(findCycles(g({ a: ['a'] }))).toEqual([['a']]);
    expect(findCycles(g({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('reports a view importing another view, shared importing a view, and an unplaced folder', () => {
    const bad = g({
      'images/view': ['playground/format'],
      'shared/dom': ['app/shell'],
      'extra/x': [],
      'playground/format': [],
      'app/shell': [],
    });
    expect(layerViolations(bad, LAYERS)).toEqual([
      'extra/x: its folder extra has no place in the layers',
      'images/view imports playground/format',
      'shared/dom imports app/shell',
    ]);
  });
});
