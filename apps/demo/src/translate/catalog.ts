/**
 * The image-to-image generators the demo ships: `public/generators/translators.json`, checked entry by entry so that
 * a mistake in the file is a sentence on the page, not a blank one.
 */
import { DATA_DATASETS, type DataDatasetName } from '../shared/data-files.js';

/** What a pad asks of the visitor, by the task the generator was trained on. */
export const TRANSLATION_TASKS = ['edges', 'inpaint', 'downscale'] as const;
export type TranslationTask = (typeof TRANSLATION_TASKS)[number];

export interface TranslatorEntry {
  /** Short name, also `?translator=` (lowercase letters, digits, dashes). */
  id: string;
  title: string;
  /** The safetensors file next to translators.json (a plain file name). */
  file: string;
  /** The dataset it was trained on: its test images are the examples. */
  dataset: DataDatasetName;
  /** The training task; the file's manifest has the final word. */
  task: TranslationTask;
  description: string;
  /** The `gankit` commands that trained and exported it. */
  command: string;
}

const STRINGS = ['id', 'title', 'file', 'dataset', 'task', 'description', 'command'] as const;

/** Reads translators.json's contents: `{ "translators": [ … ] }`, each entry complete, ids and files unique. */
export function parseTranslatorIndex(
  json: unknown,
  source = 'generators/translators.json',
): TranslatorEntry[] {
  const list = (json as { translators?: unknown } | null)?.translators;
  if (json == null || typeof json !== 'object' || !Array.isArray(list))
    throw new Error(`${source}: expected an object with a "translators" list`);
  const ids = new Set<string>();
  const files = new Set<string>();
  return list.map((raw: unknown, i) => {
    const where = `${source}: translators[${i}]`;
    if (raw == null || typeof raw !== 'object' || Array.isArray(raw))
      throw new Error(`${where} is not an object`);
    const entry = raw as Record<string, unknown>;
    for (const key of STRINGS) {
      const v = entry[key];
      if (typeof v !== 'string' || (key !== 'command' && v.trim() === ''))
        throw new Error(
          `${where}.${key} must be a non-empty string, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`,
        );
    }
    const e = entry as unknown as TranslatorEntry;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(e.id))
      throw new Error(`${where}.id '${e.id}' must be lowercase letters, digits and dashes`);
    if (!/^[\w-][\w.-]*\.safetensors$/.test(e.file))
      throw new Error(`${where}.file '${e.file}' must be a .safetensors file name next to translators.json`);
    if (!(DATA_DATASETS as readonly string[]).includes(e.dataset))
      throw new Error(
        `${where}.dataset '${e.dataset}' must be one the demo serves: ${DATA_DATASETS.join(', ')}`,
      );
    if (!(TRANSLATION_TASKS as readonly string[]).includes(e.task))
      throw new Error(`${where}.task '${e.task}' must be one of ${TRANSLATION_TASKS.join(', ')}`);
    if (ids.has(e.id)) throw new Error(`${where}.id '${e.id}' appears twice`);
    if (files.has(e.file)) throw new Error(`${where}.file '${e.file}' appears twice`);
    ids.add(e.id);
    files.add(e.file);
    const { id, title, file, dataset, task, description, command } = e;
    return { id, title, file, dataset, task, description, command };
  });
}
