// ObjectStore on the local disk: each write goes to a temporary name and is renamed into place.
import { link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from './object-store.js';
import { writeFileAtomic } from '../util/fs-atomic.js';

export class LocalStore implements ObjectStore {
  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  private file(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  put(key: string, body: string | Uint8Array): Promise<void> {
    return writeFileAtomic(this.file(key), body);
  }

  /** link(2) fails when the target exists, which makes "create only if absent" atomic. */
  async putIfAbsent(key: string, body: string): Promise<boolean> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(16).slice(2)}`;
    await writeFile(tmp, body);
    try {
      await link(tmp, target);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.file(key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.file(prefix.replace(/\/$/, ''));
    const out: string[] = [];
    const walk = async (d: string, rel: string) => {
      let entries;
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for (const e of entries) {
        if (e.name.includes('.tmp-')) continue;
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(path.join(d, e.name), r);
        else out.push(`${prefix.replace(/\/$/, '')}/${r}`);
      }
    };
    await walk(dir, '');
    return out.sort();
  }
}
