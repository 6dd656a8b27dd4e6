// ObjectStore on the local disk: each write goes to a temporary name and is renamed into place.
import { createHash } from 'node:crypto';
import { link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ObjectStore } from './object-store.js';
import { assertObjectKey } from './object-key.js';
import { withFileLock } from './file-lock.js';
import { writeFileAtomic } from '../util/fs-atomic.js';
import { BadInputError } from '../util/errors.js';

const contentVersion = (text: string) => createHash('sha256').update(text).digest('hex');

export class LocalStore implements ObjectStore {
  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  /** The file of a key, refused unless it stays inside the root (the key check, then the resolved path). */
  private file(key: string, opts: { prefix?: boolean } = {}): string {
    assertObjectKey(key, this.location, opts);
    const file = path.join(this.root, ...key.split('/').filter((s) => s !== ''));
    const rel = path.relative(this.root, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new BadInputError(`object key ${JSON.stringify(key)} resolves outside the output folder`, this.location);
    return file;
  }

  async put(key: string, body: string | Uint8Array): Promise<void> {
    await writeFileAtomic(this.file(key), body);
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

  /** The SHA-256 of the content: a rewrite with other content is a new version. */
  async version(key: string): Promise<string | undefined> {
    const text = await this.get(key);
    return text === undefined ? undefined : contentVersion(text);
  }

  /**
   * A rename cannot be made conditional, so the compare and the rename happen under a lock file
   * next to the object (held for a read and a rename, milliseconds), which gives the local folder
   * the same compare-and-swap as a conditional PUT on S3.
   */
  async putIfMatch(key: string, body: string, _contentType: string, expected: string | undefined): Promise<boolean> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    return withFileLock(`${target}.lock`, async () => {
      if ((await this.version(key)) !== expected) return false;
      await writeFileAtomic(target, body);
      return true;
    });
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix.replace(/\/$/, '');
    const dir = this.file(prefix, { prefix: true });
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
        if (e.name.includes('.tmp-') || e.name.endsWith('.lock')) continue;
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(path.join(d, e.name), r);
        else out.push(`${base}/${r}`);
      }
    };
    await walk(dir, '');
    return out.sort();
  }
}
