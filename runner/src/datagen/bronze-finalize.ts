// Before and after the datagen pods: clear what a new dataset must not inherit, then assemble the
// manifest once every entry is in place and remove objects under the data prefix it does not name
// (docs/data.md §2.2: leftovers from a larger earlier run inflate the input downstream).
import { fileKey, fileName } from './dataset.js';
import { buildManifest, fileEntrySchema, type FileEntry, type Manifest } from './manifest.js';
import { BronzeBucket } from './bronze-bucket.js';
import { DATA_PREFIX, MANIFEST_KEY, MANIFEST_PREFIX, dataKey, entryKey, type DatagenTask } from './datagen-task.js';

const ENTRIES_PREFIX = `${MANIFEST_PREFIX}files/`;

/** Objects under the data prefix and entries the new dataset will not name. */
async function leftovers(bucket: BronzeBucket, fileCount: number): Promise<string[]> {
  const data = new Set(Array.from({ length: fileCount }, (_, i) => dataKey(i)));
  const entries = new Set(Array.from({ length: fileCount }, (_, i) => entryKey(i)));
  const objects = [...(await bucket.list(DATA_PREFIX)), ...(await bucket.list(ENTRIES_PREFIX))];
  return objects.map((o) => o.key).filter((k) => !data.has(k) && !entries.has(k));
}

/** Run before the Job: a manifest only ever describes a finished set, and leftovers go. */
export async function prepareBronze(task: DatagenTask): Promise<{ removed: number }> {
  const bucket = new BronzeBucket(task.storage);
  try {
    const stale = await leftovers(bucket, task.dataset.file_count);
    await bucket.delete([MANIFEST_KEY, ...stale]);
    return { removed: stale.length };
  } finally {
    bucket.destroy();
  }
}

export class IncompleteDatasetError extends Error {
  override readonly name = 'IncompleteDatasetError';
}

/** Run after every index finished: verifies each file, writes manifest.json, removes leftovers. */
export async function finalizeBronze(task: DatagenTask, now: Date = new Date()): Promise<Manifest> {
  const bucket = new BronzeBucket(task.storage);
  try {
    const params = task.dataset;
    const sizes = new Map((await bucket.list(DATA_PREFIX)).map((o) => [o.key, o.size]));
    const entries: FileEntry[] = [];
    const missing: string[] = [];
    for (let i = 0; i < params.file_count; i++) {
      const parsed = fileEntrySchema.safeParse(await bucket.getJson(entryKey(i)));
      const ok = parsed.success && parsed.data.stream_key === fileKey(params, i) && sizes.get(dataKey(i)) === parsed.data.bytes;
      if (ok) entries.push(parsed.data);
      else missing.push(fileName(i));
    }
    if (missing.length > 0) {
      throw new IncompleteDatasetError(`${missing.length} of ${params.file_count} files are not complete (object and manifest entry with equal size), first: ${missing.slice(0, 5).join(', ')}`);
    }
    await bucket.delete(await leftovers(bucket, params.file_count));
    const built = buildManifest(params, entries, now);
    const manifest: Manifest = { ...built, generator: { ...built.generator, image: task.image } };
    await bucket.putJson(MANIFEST_KEY, manifest);
    return manifest;
  } finally {
    bucket.destroy();
  }
}
