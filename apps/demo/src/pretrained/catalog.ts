/**
 * The pretrained generators the demo ships: `public/generators/index.json`, checked entry by entry so that a
 * mistake in the file is a sentence on the page, not a blank one.
 */

export interface GeneratorEntry {
  /** Short name, also `?generator=` (lowercase letters, digits, dashes). */
  id: string;
  title: string;
  /** The safetensors file next to index.json (a plain file name). */
  file: string;
  /** The dataset it was trained on, e.g. `mnist`, `fashion-mnist`. */
  dataset: string;
  /** Whether it takes a class (a cGAN). The file's manifest has the final word. */
  conditional: boolean;
  description: string;
  /** The `gankit` commands that trained and exported it. */
  command: string;
  /**
   * A progressively grown generator's growth: its training run's last sample grid at each resolution (the trainer's
   * `samples/res-<r>.png`), PNG files next to index.json, smallest resolution first.
   */
  growth?: { resolution: number; file: string }[];
}

const FIELDS: readonly [keyof GeneratorEntry, 'string' | 'boolean'][] = [
  ['id', 'string'],
  ['title', 'string'],
  ['file', 'string'],
  ['dataset', 'string'],
  ['conditional', 'boolean'],
  ['description', 'string'],
  ['command', 'string'],
];

/** Reads index.json's contents: `{ "generators": [ … ] }`, each entry complete, ids and files unique. */
export function parseGeneratorIndex(json: unknown, source = 'generators/index.json'): GeneratorEntry[] {
  const list = (json as { generators?: unknown } | null)?.generators;
  if (json == null || typeof json !== 'object' || !Array.isArray(list))
    throw new Error(`${source}: expected an object with a "generators" list`);
  const seen = { id: new Set<string>(), file: new Set<string>() };
  return list.map((raw: unknown, i) => {
    const where = `${source}: generators[${i}]`;
    if (raw == null || typeof raw !== 'object' || Array.isArray(raw))
      throw new Error(`${where} is not an object`);
    const entry = raw as Record<string, unknown>;
    for (const [key, type] of FIELDS) {
      if (typeof entry[key] !== type)
        throw new Error(
          `${where}.${key} must be a ${type}, got ${entry[key] === undefined ? 'nothing' : JSON.stringify(entry[key])}`,
        );
      if (type === 'string' && key !== 'command' && (entry[key] as string).trim() === '')
        throw new Error(`${where}.${key} is empty`);
    }
    const e = entry as unknown as GeneratorEntry;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(e.id))
      throw new Error(`${where}.id '${e.id}' must be lowercase letters, digits and dashes`);
    if (!/^[\w.-]+\.safetensors$/.test(e.file) || e.file.startsWith('.'))
      throw new Error(`${where}.file '${e.file}' must be a .safetensors file name next to index.json`);
    for (const key of ['id', 'file'] as const) {
      if (seen[key].has(e[key])) throw new Error(`${where}.${key} '${e[key]}' appears twice`);
      seen[key].add(e[key]);
    }
    const picked: GeneratorEntry = {
      id: e.id,
      title: e.title,
      file: e.file,
      dataset: e.dataset,
      conditional: e.conditional,
      description: e.description,
      command: e.command,
    };
    if (entry.growth !== undefined) picked.growth = parseGrowth(entry.growth, `${where}.growth`);
    return picked;
  });
}

/** A growth strip: `[{ resolution, file }, …]`, resolutions rising, each file a PNG name next to index.json. */
function parseGrowth(raw: unknown, where: string): { resolution: number; file: string }[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new Error(`${where} must be a list of { "resolution", "file" }, smallest resolution first`);
  let last = 0;
  return raw.map((step: unknown, i) => {
    const { resolution, file } = (step ?? {}) as { resolution?: unknown; file?: unknown };
    if (typeof resolution !== 'number' || !Number.isInteger(resolution) || resolution <= last)
      throw new Error(
        `${where}[${i}].resolution must be an integer above the one before it (${last}), got ${JSON.stringify(resolution)}`,
      );
    if (typeof file !== 'string' || !/^[\w-][\w.-]*\.png$/.test(file))
      throw new Error(
        `${where}[${i}].file must be a .png file name next to index.json, got ${JSON.stringify(file)}`,
      );
    last = resolution;
    return { resolution, file };
  });
}
