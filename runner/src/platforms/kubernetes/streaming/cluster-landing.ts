// Continuous datagen on the cluster (docs/data.md §7): one pod of the runner image keeps landing extra
// bronze files F, F+1, … next to the base set (bronze-ingest streams the whole data prefix, base set
// first) until the runner deletes its Job when the window closes; their entries go under the run's own prefix, apart from the base
// manifest's, whose fingerprint covers the base set only. The
// schedule and the file generation are the embedded landing's (datagen/landing.ts): each file is made
// in the pod's work folder, then uploaded, and only then its entry is written, with `landed_at` the
// instant the upload completed, so a reader that lists entries never meets a file still uploading.
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { datagenTaskSchema } from '../../../datagen/datagen-task.js';
import { fileName, manifestEntryName } from '../../../datagen/dataset.js';
import { BronzeBucket, withRetries } from '../../../datagen/bronze-bucket.js';
import { landedEntrySchema, startLanding, type LandedEntry } from '../../../datagen/landing.js';
import type { LandedFile } from '../../streaming.js';

const relativePrefix = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*\/$/, 'a relative key prefix ending in /')
  .refine((p) => !p.split('/').includes('..'), 'no .. segments');

/** What the landing pod is told (a ConfigMap, no secrets): the dataset, where to land, how fast, how long. */
export const landingTaskSchema = z.strictObject({
  landing_version: z.literal(1),
  datagen: datagenTaskSchema,
  /** The base set's file count: the first extra file's index. */
  first_index: z.number().int().nonnegative(),
  interval_ms: z.number().positive(),
  duration_seconds: z.number().positive(),
  /** Key prefix in the bronze bucket for the extra files (the base set's data prefix). */
  prefix: relativePrefix,
  /** Key prefix for their entries (`part-NNNNNN.json` with `landed_at`), one per run. */
  entries_prefix: relativePrefix,
});
export type LandingTask = z.infer<typeof landingTaskSchema>;

export const landedDataKey = (prefix: string, index: number): string => `${prefix}${fileName(index)}`;
export const landedEntryKey = (entriesPrefix: string, index: number): string => `${entriesPrefix}${manifestEntryName(index)}`;

export type ClusterLandingOptions = { workDir: string; log: (line: string) => void; signal?: AbortSignal; retry?: { attempts?: number; baseDelayMs?: number } };

/** Lands files until the duration ends or `signal` aborts (SIGTERM); resolves with the count landed. */
export async function runClusterLanding(task: LandingTask, opts: ClusterLandingOptions): Promise<{ landed: number }> {
  const bucket = new BronzeBucket(task.datagen.storage);
  const retry = { ...opts.retry, log: opts.log };
  const dir = path.join(opts.workDir, 'landing');
  let uploads: Promise<void> = Promise.resolve();
  let failure: unknown;
  let landed = 0;
  const upload = async (local: LandedEntry): Promise<void> => {
    const file = path.join(dir, fileName(local.index));
    const key = landedDataKey(task.prefix, local.index);
    await withRetries(`upload ${key}`, () => bucket.putFile(key, file), retry);
    const entry: LandedEntry = { ...local, key, landed_at: new Date().toISOString() };
    const entryKey = landedEntryKey(task.entries_prefix, local.index);
    await withRetries(`write ${entryKey}`, () => bucket.putJson(entryKey, entry), retry);
    await rm(file, { force: true });
    landed++;
    opts.log(`${key}: ${entry.rows} rows landed at ${entry.landed_at}`);
  };
  try {
    const landing = await startLanding({
      params: task.datagen.dataset,
      landingDir: dir,
      firstIndex: task.first_index,
      intervalMs: task.interval_ms,
      // One upload at a time, in index order; the next file is generated meanwhile.
      onLanded: (e) => void (uploads = uploads.then(() => (failure ? undefined : upload(e))).catch((err: unknown) => void (failure ??= err))),
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, task.duration_seconds * 1000);
      opts.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    await landing.stop();
    await uploads;
    const error = failure ?? landing.error();
    if (error) throw error;
    return { landed };
  } finally {
    bucket.destroy();
  }
}

/**
 * Every file landed so far (its entry under `entriesPrefix`), by index, as the seam reports them.
 * Entries never change once written: those in `seen` are not read again, so observing a long run
 * costs one listing plus the new entries.
 */
export async function readLandedFiles(bucket: BronzeBucket, entriesPrefix: string, seen: Map<string, LandedFile> = new Map()): Promise<LandedFile[]> {
  for (const o of await bucket.list(entriesPrefix)) {
    if (seen.has(o.key)) continue;
    const parsed = landedEntrySchema.safeParse(await bucket.getJson(o.key));
    if (!parsed.success) continue;
    const e = parsed.data;
    seen.set(o.key, { index: e.index, key: e.key, rows: e.rows, bytes: e.bytes, filtered_rows: e.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0, landed_at: e.landed_at });
  }
  return [...seen.values()].sort((a, b) => a.index - b.index);
}
