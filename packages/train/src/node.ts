/**
 * `@gankit/train/node`: checkpoint storage on the file system (Node only; the package itself has no file system).
 *
 * @example
 * import { FileStorage } from '@gankit/train/node';
 * await trainLoop(trainer, data, { steps: 1000, storage: new FileStorage('runs/a/checkpoints'), checkpointEvery: 100 });
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@gankit/datasets';
import type { CheckpointStorage } from './loop.js';

/**
 * Checkpoints as files in a folder: each written to a temporary name and renamed into place, so a crash or Ctrl-C
 * mid-write never leaves a truncated checkpoint under a real name.
 */
export class FileStorage implements CheckpointStorage {
  constructor(readonly dir: string) {}
  async write(name: string, bytes: Uint8Array) {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(join(this.dir, name), bytes);
  }
  async read(name: string) {
    const path = join(this.dir, name);
    if (!existsSync(path)) throw new Error(`no checkpoint named ${name} in ${this.dir}`);
    return new Uint8Array(await readFile(path));
  }
  async list() {
    if (!existsSync(this.dir)) return [];
    return (await readdir(this.dir)).filter((n) => n.endsWith('.safetensors')).sort();
  }
  async remove(name: string) {
    await rm(join(this.dir, name), { force: true });
  }
}
