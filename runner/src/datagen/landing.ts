// Continuous datagen (docs/data.md §7): after the base set of F files, keep landing files F, F+1, …
// at a configured rate. Each extra file is the same pure function of (parameters, index) as a base
// file, so the same seed gives the same bytes for the same index. A file is written under a temporary
// name in the landing folder's `.incoming/`, renamed into place, and only then gets its manifest entry
// with `landed_at` (the instant the rename completed): a reader that lists entries never meets half a
// file. The base manifest and its fingerprint are untouched; the extra files are counted apart.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fileName, manifestEntryName, type DatasetParams } from './dataset.js';
import { fileEntrySchema, type FileEntry } from './manifest.js';
import { startWorker } from '../util/workers.js';
import { writeJsonAtomic } from '../util/fs-atomic.js';
import { DEFAULT_LANDING_FILES_PER_MINUTE, type ContinuousConfig } from '../config/schema.js';

export const landedEntrySchema = fileEntrySchema.extend({ landed_at: z.string() });
export type LandedEntry = z.infer<typeof landedEntrySchema>;

/** Where the extra files' entries live: `<landing>/_manifest/files/part-NNNNNN.json`. */
export const landingEntriesDir = (landingDir: string) => path.join(landingDir, '_manifest', 'files');
const INCOMING = '.incoming';

/**
 * Milliseconds between two landed files: 60 000 ÷ files per minute, or a file's nominal bytes ÷
 * the byte rate (MB/s, MB = 10^6 bytes as rates usually are).
 */
export function landingIntervalMs(landing: ContinuousConfig['landing'], fileSizeBytes: number): number {
  if (landing.mbPerSecond !== undefined) return (fileSizeBytes / (landing.mbPerSecond * 1e6)) * 1000;
  return 60_000 / (landing.filesPerMinute ?? DEFAULT_LANDING_FILES_PER_MINUTE);
}

/** Generates file `index` in a worker thread (the event loop stays free for the triggers and rounds) and renames it into `landingDir`. */
export async function landFile(params: DatasetParams, index: number, landingDir: string, now: () => Date = () => new Date()): Promise<LandedEntry> {
  const incoming = path.join(landingDir, INCOMING);
  await mkdir(incoming, { recursive: true });
  const entry = await new Promise<FileEntry>((resolve, reject) => {
    const worker = startWorker(new URL('./worker.js', import.meta.url), { params, indices: [index], dir: incoming });
    let result: FileEntry | undefined;
    worker.on('message', (msg: { type: string; entry?: unknown; message?: string }) => {
      if (msg.type === 'file') result = fileEntrySchema.parse(msg.entry);
      else if (msg.type === 'error') reject(new Error(`datagen failed on ${fileName(index)}: ${msg.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (result ? resolve(result) : reject(new Error(`datagen worker for ${fileName(index)} exited with code ${code}`))));
  });
  await rename(path.join(incoming, fileName(index)), path.join(landingDir, fileName(index)));
  const landed: LandedEntry = { ...entry, landed_at: now().toISOString() };
  await writeJsonAtomic(path.join(landingEntriesDir(landingDir), manifestEntryName(index)), landed);
  return landed;
}

/** The entries of every file landed so far, by index. */
export async function readLandedEntries(landingDir: string): Promise<LandedEntry[]> {
  const dir = landingEntriesDir(landingDir);
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  const out: LandedEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) out.push(landedEntrySchema.parse(JSON.parse(await readFile(path.join(dir, name), 'utf8'))));
  return out.sort((a, b) => a.index - b.index);
}

export type Landing = {
  /** Stops after the file being written (if any) has landed; resolves with every entry landed. */
  stop(): Promise<LandedEntry[]>;
  landed(): readonly LandedEntry[];
  /** The first error that stopped the landing, if one did. */
  error(): Error | undefined;
};

/**
 * Lands files `firstIndex`, +1, … into `landingDir`, file k due at start + (k + 1) × `intervalMs`:
 * a file that takes longer than the interval delays the next ones, which then land without waiting
 * until the schedule is met again, so the configured rate holds over the run (unless the generator
 * cannot keep up at all, which the ingest figures then show as fewer files landed).
 */
export async function startLanding(opts: { params: DatasetParams; landingDir: string; firstIndex: number; intervalMs: number; onLanded?: (e: LandedEntry) => void }): Promise<Landing> {
  await rm(opts.landingDir, { recursive: true, force: true });
  await mkdir(opts.landingDir, { recursive: true });
  const landed: LandedEntry[] = [];
  let stopped = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const loop = (async () => {
    const t0 = Date.now();
    for (let k = 0; !stopped; k++) {
      const due = t0 + (k + 1) * opts.intervalMs;
      const wait = due - Date.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, wait);
        });
      }
      if (stopped) break;
      try {
        const entry = await landFile(opts.params, opts.firstIndex + k, opts.landingDir);
        landed.push(entry);
        opts.onLanded?.(entry);
      } catch (e) {
        failure = e instanceof Error ? e : new Error(String(e));
        break;
      }
    }
    await rm(path.join(opts.landingDir, INCOMING), { recursive: true, force: true });
  })();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
      return [...landed];
    },
    landed: () => landed,
    error: () => failure,
  };
}
