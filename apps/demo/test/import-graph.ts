/**
 * The demo's module graph, read from its sources (static `import … from`, `export … from`, side-effect imports and
 * `import('…')` with a literal), for the house rules: no import cycles, and each folder imports only the layers
 * below it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Each module (a path relative to the root, without `.ts`) and the local modules it imports. */
export type ImportGraph = Map<string, string[]>;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/** The relative `.js`/`.ts` specifiers of a module's source, comments stripped. */
export function localSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(SPECIFIER)].map((m) => m[1]!).filter((s) => /^\.\.?\//.test(s));
}

/** The graph of the `.ts` modules under `root` (test files left out: they sit beside what they test). */
export function importGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const id = relative(root, path).slice(0, -3);
        const imports = localSpecifiers(readFileSync(path, 'utf8'))
          .filter((s) => /\.(js|ts)$/.test(s))
          .map((s) => relative(root, resolve(dirname(path), s)).replace(/\.(js|ts)$/, ''));
        graph.set(id, imports);
      }
    }
  };
  walk(root);
  return graph;
}

/** The import cycles of `graph`: each strongly connected component of more than one module, or a self-import. */
export function findCycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The folder a module is in (`main` for a module at the root). */
const folderOf = (id: string) => (id.includes('/') ? id.slice(0, id.indexOf('/')) : id);

/**
 * The imports that break `allowed`: for each folder, the folders its modules may import (their own folder always).
 * A folder missing from `allowed` is itself a violation, so that a new folder is placed on purpose.
 */
export function layerViolations(graph: ImportGraph, allowed: Record<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [from, imports] of graph) {
    const folder = folderOf(from);
    const may = allowed[folder];
    if (may == null) {
      out.push(`${from}: its folder ${folder} has no place in the layers`);
      continue;
    }
    for (const to of imports)
      if (folderOf(to) !== folder && !may.includes(folderOf(to))) out.push(`${from} imports ${to}`);
  }
  return out.sort();
}
