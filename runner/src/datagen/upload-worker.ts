// One datagen pod of an Indexed Job (docs/data.md §7): pod i of P generates the files whose index mod P
// is i with the embedded mode's generator (worker.ts → generateFile), uploads each to the bronze
// prefix, then writes its manifest entry. A file whose object and entry both exist, whose entry comes
// from the same parameters and whose object's bytes hash to the entry is skipped, so a replaced pod
// resumes. One generator thread and one uploader: the next file is generated while the previous one
// uploads.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileKey, fileName } from './dataset.js';
import { fileEntrySchema, type FileEntry } from './manifest.js';
import { startWorker } from '../util/workers.js';
import { BronzeBucket, withRetries } from './bronze-bucket.js';
import { dataKey, entryKey, indicesOf, type DatagenTask } from './datagen-task.js';

export type WorkerOptions = {
  index: number;
  pods: number;
  /** Local folder for files being generated (an emptyDir in the pod); default a temp folder. */
  workDir?: string;
  retry?: { attempts?: number; baseDelayMs?: number };
  log?: (line: string) => void;
};

export type WorkerResult = { index: number; pods: number; owned: number; generated: number[]; skipped: number[]; bytesUploaded: number };

export async function runDatagenWorker(task: DatagenTask, opts: WorkerOptions): Promise<WorkerResult> {
  if (!Number.isInteger(opts.pods) || opts.pods < 1) throw new Error(`--pods must be a positive integer, got ${opts.pods}`);
  if (!Number.isInteger(opts.index) || opts.index < 0 || opts.index >= opts.pods) throw new Error(`--index must be in 0..${opts.pods - 1}, got ${opts.index}`);
  const log = opts.log ?? (() => {});
  const params = task.dataset;
  const bucket = new BronzeBucket(task.storage);
  const retry = { ...opts.retry, log };
  const owned = indicesOf(params.file_count, opts.index, opts.pods);
  const result: WorkerResult = { index: opts.index, pods: opts.pods, owned: owned.length, generated: [], skipped: [], bytesUploaded: 0 };
  const dir = opts.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'lakebench-datagen-')));
  try {
    const todo: number[] = [];
    for (const i of owned) {
      if (await isComplete(bucket, params, i, log)) result.skipped.push(i);
      else todo.push(i);
    }
    log(`pod ${opts.index}/${opts.pods}: ${owned.length} files, ${result.skipped.length} already complete, ${todo.length} to generate`);
    let uploading: Promise<void> = Promise.resolve();
    let failure: unknown;
    for (const i of todo) {
      const entry = await generateInThread(task, i, dir);
      await uploading;
      if (failure) break;
      uploading = upload(bucket, entry, dir, retry).then(
        () => {
          result.generated.push(i);
          result.bytesUploaded += entry.bytes;
          log(`${fileName(i)}: ${entry.rows} rows, ${entry.bytes} bytes uploaded`);
        },
        (e: unknown) => void (failure = e),
      );
    }
    await uploading;
    if (failure) throw failure;
    return result;
  } finally {
    if (!opts.workDir) await rm(dir, { recursive: true, force: true });
    bucket.destroy();
  }
}

/**
 * Done = object and entry both present, the entry made from these parameters, and the object's
 * bytes hashing to the entry's content_hash. An object replaced by other bytes, even of the same
 * size, is generated again, never certified by the manifest.
 */
async function isComplete(bucket: BronzeBucket, params: DatagenTask['dataset'], index: number, log: (line: string) => void): Promise<boolean> {
  const parsed = fileEntrySchema.safeParse(await bucket.getJson(entryKey(index)));
  if (!parsed.success || parsed.data.stream_key !== fileKey(params, index)) return false;
  if ((await bucket.size(dataKey(index))) !== parsed.data.bytes) return false; // cheap before the hash
  const actual = `sha256:${await bucket.sha256(dataKey(index))}`;
  if (actual === parsed.data.content_hash) return true;
  log(`${dataKey(index)}: content differs from its manifest entry (${actual}, entry says ${parsed.data.content_hash}); generating it again`);
  return false;
}

/** The object first, its entry second: an entry never names an object that is not there. */
async function upload(bucket: BronzeBucket, entry: FileEntry, dir: string, retry: Parameters<typeof withRetries>[2]): Promise<void> {
  const local = path.join(dir, fileName(entry.index));
  await withRetries(`upload ${dataKey(entry.index)}`, () => bucket.putFile(dataKey(entry.index), local), retry);
  await withRetries(`write ${entryKey(entry.index)}`, () => bucket.putJson(entryKey(entry.index), entry), retry);
  await rm(local, { force: true });
}

/** The embedded generator's worker thread, one file at a time, so CPU work never stalls uploads. */
function generateInThread(task: DatagenTask, index: number, dir: string): Promise<FileEntry> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./worker.js', import.meta.url), { params: task.dataset, indices: [index], dir });
    let entry: FileEntry | undefined;
    worker.on('message', (msg: { type: string; entry?: unknown; message?: string }) => {
      if (msg.type === 'file') entry = fileEntrySchema.parse(msg.entry);
      else if (msg.type === 'error') reject(new Error(`datagen failed on ${fileName(index)}: ${msg.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (entry ? resolve(entry) : reject(new Error(`datagen thread for ${fileName(index)} exited with code ${code} and no file`))));
  });
}
