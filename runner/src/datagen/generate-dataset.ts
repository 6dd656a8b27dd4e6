// Generates a whole bronze dataset into a local folder with a pool of worker threads: removes
// leftovers the new manifest will not name, skips files that are already complete and whose bytes
// still hash to their entry (resume), writes one manifest entry per file as it lands, then the
// final manifest.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileKey, fileName, manifestEntryName, type DatasetParams } from './dataset.js';
import { buildManifest, fileEntrySchema, manifestSchema, type FileEntry, type Manifest } from './manifest.js';
import { sha256File } from './parquet-file.js';
import { startWorker } from '../util/workers.js';
import { writeJsonAtomic } from '../util/fs-atomic.js';

export type DatagenProgress = { done: number; total: number; skipped: number; bytes: number; index: number };

export type DatagenOptions = {
  params: DatasetParams;
  /** `<warehouse>/bronze`: data files here, the manifest in `_manifest/`. */
  bronzeDir: string;
  workers?: number;
  now?: () => Date;
  onProgress?: (p: DatagenProgress) => void;
};

export const manifestDir = (bronzeDir: string) => path.join(bronzeDir, '_manifest');
export const manifestPath = (bronzeDir: string) => path.join(manifestDir(bronzeDir), 'manifest.json');

export async function generateDataset(opts: DatagenOptions): Promise<Manifest> {
  const { params, bronzeDir } = opts;
  const entriesDir = path.join(manifestDir(bronzeDir), 'files');
  await mkdir(entriesDir, { recursive: true });
  await rm(manifestPath(bronzeDir), { force: true }); // a manifest only ever describes a finished set
  await removeLeftovers(bronzeDir, entriesDir, params.file_count);

  const entries = new Map<number, FileEntry>();
  const todo: number[] = [];
  for (let i = 0; i < params.file_count; i++) {
    const done = await completedEntry(params, bronzeDir, entriesDir, i);
    if (done) entries.set(i, done);
    else todo.push(i);
  }
  const skipped = entries.size;
  let bytes = [...entries.values()].reduce((n, e) => n + e.bytes, 0);

  const workerCount = Math.max(1, Math.min(opts.workers ?? os.availableParallelism(), todo.length));
  const shares = Array.from({ length: workerCount }, (_, w) => todo.filter((_, k) => k % workerCount === w));
  // Each entry is written as its file lands; the manifest waits for all of those writes.
  const entryWrites: Promise<void>[] = [];
  await Promise.all(
    shares.map(
      (indices) =>
        new Promise<void>((resolve, reject) => {
          if (indices.length === 0) return resolve();
          const worker = startWorker(new URL('./worker.js', import.meta.url), { params, indices, dir: bronzeDir });
          let failed = false;
          worker.on('message', (msg: { type: string; entry?: unknown; index?: number; message?: string }) => {
            if (msg.type === 'file') {
              const entry = fileEntrySchema.parse(msg.entry);
              entries.set(entry.index, entry);
              bytes += entry.bytes;
              entryWrites.push(
                writeJsonAtomic(path.join(entriesDir, manifestEntryName(entry.index)), entry).then(() =>
                  opts.onProgress?.({ done: entries.size, total: params.file_count, skipped, bytes, index: entry.index }),
                ),
              );
            } else if (msg.type === 'error') {
              failed = true;
              reject(new Error(`datagen failed on ${fileName(msg.index ?? -1)}: ${msg.message}`));
            }
          });
          worker.on('error', (e) => ((failed = true), reject(e)));
          worker.on('exit', (code) => (failed ? undefined : code === 0 ? resolve() : reject(new Error(`datagen worker exited with code ${code}`))));
        }),
    ),
  );
  await Promise.all(entryWrites);
  const manifest = buildManifest(params, [...entries.values()], (opts.now ?? (() => new Date()))());
  await writeJsonAtomic(manifestPath(bronzeDir), manifest);
  return manifest;
}

/**
 * A file counts as done only when its manifest entry comes from these parameters and the file's
 * bytes hash to the entry's content_hash: a file overwritten with anything else, even of the same
 * size, is generated again rather than certified by the manifest and its fingerprint.
 */
async function completedEntry(params: DatasetParams, bronzeDir: string, entriesDir: string, index: number): Promise<FileEntry | undefined> {
  try {
    const entry = fileEntrySchema.parse(JSON.parse(await readFile(path.join(entriesDir, manifestEntryName(index)), 'utf8')));
    if (entry.stream_key !== fileKey(params, index)) return undefined;
    const file = path.join(bronzeDir, fileName(index));
    if ((await stat(file)).size !== entry.bytes) return undefined; // cheap before the hash
    return `sha256:${await sha256File(file)}` === entry.content_hash ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Anything under the data prefix that the new manifest will not name goes (docs/data.md §2.2). */
async function removeLeftovers(bronzeDir: string, entriesDir: string, fileCount: number): Promise<void> {
  const wanted = new Set(Array.from({ length: fileCount }, (_, i) => fileName(i)));
  for (const name of await readdir(bronzeDir)) {
    if (name === '_manifest') continue;
    if (!wanted.has(name)) await rm(path.join(bronzeDir, name), { recursive: true, force: true });
  }
  const wantedEntries = new Set(Array.from({ length: fileCount }, (_, i) => manifestEntryName(i)));
  for (const name of await readdir(entriesDir)) if (!wantedEntries.has(name)) await rm(path.join(entriesDir, name), { force: true });
}

export async function readManifest(bronzeDir: string): Promise<Manifest | undefined> {
  try {
    return manifestSchema.parse(JSON.parse(await readFile(manifestPath(bronzeDir), 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
