// The results layout of docs/results.md §1, the same in a local output folder and in a results bucket:
// runs/<id>/{run.json, metrics.json, report.html, ...}, index/runs/<id>.json (one object per run, so
// concurrent writers never overwrite each other) and index/index.json (a roll-up rebuilt from them).
import { z } from 'zod';
import type { ObjectStore } from './object-store.js';
import { indexEntrySchema, indexEntryFromMetrics, type IndexEntry } from '../model/index-entry.js';
import { metricsSchema, METRICS_SCHEMA_VERSION, type Metrics } from '../model/metrics.js';
import { RUN_ID_PATTERN } from '../model/run-id.js';
import { BadInputError, errorMessage } from '../util/errors.js';

export const runRecordSchema = z.object({
  run_id: z.string().regex(RUN_ID_PATTERN, 'not a run id'),
  state: z.enum(['running', 'complete', 'incomplete']),
  started_at: z.string(),
  heartbeat_at: z.string(),
  ended_at: z.string().nullable(),
  reason: z.string().nullable(),
  /** `<namespace>/<lease name>` of the Lease that guarded the run (cluster runs only). */
  lease: z.string().nullable().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Receives a warning that names the object it is about (printed on stderr, never fatal). */
export type Warn = (message: string) => void;

/** The same warning once: a bad entry is read by the history and by each store's index rebuild. */
export function warnOnce(warn: Warn): Warn {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
}

/** The key of a file of a run; the id must have the run-id form, so no id can lead out of runs/<id>/. */
export function runKey(runId: string, file: string): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new BadInputError(`${JSON.stringify(runId)} is not a run id (expected the form 20261121-143005-3fa9c2)`, 'run id');
  return `runs/${runId}/${file}`;
}
const ENTRIES_PREFIX = 'index/runs/';
const INDEX_KEY = 'index/index.json';
const JSON_TYPE = 'application/json';
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

export async function writeRunRecord(store: ObjectStore, record: RunRecord): Promise<void> {
  await store.put(runKey(record.run_id, 'run.json'), json(record), JSON_TYPE);
}

export type RunArtifacts = {
  metrics: Metrics;
  reportHtml: string;
  /** Further files under runs/<id>/: manifest copy, stage documents, query results, logs. */
  files: Record<string, string>;
};

/**
 * Upload order: artifacts, then metrics.json, then the index entry, so an entry always points at a
 * complete run. The roll-up comes last and is a convenience copy: failing to rebuild it is a
 * warning (the run is listed by its entry, and the next publish rebuilds the roll-up).
 */
export async function publishRun(store: ObjectStore, a: RunArtifacts, warn: Warn): Promise<void> {
  const id = a.metrics.run_id;
  for (const [file, body] of Object.entries(a.files)) await store.put(runKey(id, file), body, file.endsWith('.json') ? JSON_TYPE : 'text/plain');
  await store.put(runKey(id, 'report.html'), a.reportHtml, 'text/html; charset=utf-8');
  await store.put(runKey(id, 'metrics.json'), json(a.metrics), JSON_TYPE);
  await store.put(`${ENTRIES_PREFIX}${id}.json`, json(indexEntryFromMetrics(a.metrics)), JSON_TYPE);
  try {
    await rebuildIndex(store, warn);
  } catch (e) {
    warn(`${INDEX_KEY} in ${store.location} was not rebuilt (${errorMessage(e)}); the run is listed by ${ENTRIES_PREFIX}${id}.json`);
  }
}

/** Raised when a finished run could not be published to a store (its run.json there says why). */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    readonly location: string,
    cause: unknown,
  ) {
    super(`publishing the results to ${location} failed: ${errorMessage(cause)}`);
  }
}

/**
 * The end of a run: publish to each store, then end its run.json there as complete. A store whose
 * publish failed still gets its run.json ended (incomplete, with the reason), so no record is left
 * `running`; the first failure is thrown once every store had its turn.
 */
export async function publishAndEndRun(stores: ObjectStore[], record: RunRecord, endedAt: string, a: RunArtifacts, warn: Warn): Promise<void> {
  let failure: PublishError | undefined;
  for (const store of stores) {
    try {
      await publishRun(store, a, warn);
      await writeRunRecord(store, { ...record, state: 'complete', ended_at: endedAt, heartbeat_at: endedAt });
    } catch (e) {
      const error = new PublishError(store.location, e);
      failure ??= error;
      try {
        await writeRunRecord(store, { ...record, state: 'incomplete', ended_at: endedAt, heartbeat_at: endedAt, reason: error.message });
      } catch (e2) {
        warn(`run.json of run ${record.run_id} in ${store.location} could not be ended: ${errorMessage(e2)}`);
      }
    }
  }
  if (failure) throw failure;
}

type EntryRead = { entry: IndexEntry } | { problem: string };

async function readEntry(store: ObjectStore, key: string): Promise<EntryRead> {
  let text: string | undefined;
  try {
    text = await store.get(key);
  } catch (e) {
    return { problem: `cannot be read (${errorMessage(e)})` };
  }
  if (text === undefined) return { problem: 'disappeared while the index was read' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problem: `not JSON (${errorMessage(e)})` };
  }
  const parsed = indexEntrySchema.safeParse(raw);
  if (!parsed.success) return { problem: `not a valid index entry (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})` };
  if (key !== `${ENTRIES_PREFIX}${parsed.data.run_id}.json`) return { problem: `describes run ${parsed.data.run_id}, not the run its name says` };
  return { entry: parsed.data };
}

async function entryKeys(store: ObjectStore): Promise<string[]> {
  return (await store.list(ENTRIES_PREFIX)).filter((k) => k.endsWith('.json'));
}

async function readEntries(store: ObjectStore, warn: Warn): Promise<{ keys: string[]; entries: IndexEntry[] }> {
  const keys = await entryKeys(store);
  const entries: IndexEntry[] = [];
  for (const key of keys) {
    const read = await readEntry(store, key);
    if ('entry' in read) entries.push(read.entry);
    else warn(`skipped ${key} in ${store.location}: ${read.problem}`);
  }
  entries.sort((a, b) => (a.start_time === b.start_time ? a.run_id.localeCompare(b.run_id) : a.start_time < b.start_time ? -1 : 1));
  return { keys, entries };
}

/**
 * The runs of a store, oldest first, from their index entries. An entry that cannot be read, is
 * not JSON, does not fit the schema or describes another run is named through `warn` and skipped:
 * one bad object must neither hide the other runs nor stop a command.
 */
export async function listRuns(store: ObjectStore, warn: Warn): Promise<IndexEntry[]> {
  return (await readEntries(store, warn)).entries;
}

/** The history a new report shows; when even the listing fails, that is said and the report shows the run alone. */
export async function readHistory(store: ObjectStore, warn: Warn): Promise<IndexEntry[]> {
  try {
    return await listRuns(store, warn);
  } catch (e) {
    warn(`the run history in ${store.location} could not be read (${errorMessage(e)}); the report shows this run only`);
    return [];
  }
}

export type RebuildOptions = { attempts?: number; pause?: (attempt: number) => Promise<void> };
const REBUILD_ATTEMPTS = 10;
const jitteredPause = (attempt: number) => new Promise<void>((r) => setTimeout(r, Math.random() * 50 * Math.min(attempt, 8)));

/**
 * index.json is a convenience copy, rebuilt from the per-run entries, never edited in place. Two
 * publishers rebuilding at once must not drop each other's run, so each rebuild is a
 * compare-and-swap: the roll-up's version is read *before* the entries are listed, and the write is
 * conditional on that version. A publisher whose listing missed an entry was therefore overtaken by
 * the entry's own publisher, which wrote its roll-up after writing its entry: its conditional write
 * fails and it rebuilds from a fresh listing. Every successful write follows the previous one and
 * lists after it, so it includes every entry whose publisher had finished.
 * A server that ignores the condition (Garage, see s3-store.ts) turns the write into a plain put;
 * for it, the entries are listed again after the write, and a new entry means rebuild again (the
 * last writer's re-check then covers every finished publish).
 */
export async function rebuildIndex(store: ObjectStore, warn: Warn, opts: RebuildOptions = {}): Promise<IndexEntry[]> {
  const warnEach = warnOnce(warn);
  const attempts = opts.attempts ?? REBUILD_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const version = await store.version(INDEX_KEY);
    const { keys, entries } = await readEntries(store, warnEach);
    const body = json({ schema_version: METRICS_SCHEMA_VERSION, runs: entries });
    if (await store.putIfMatch(INDEX_KEY, body, JSON_TYPE, version)) {
      const listed = new Set(keys);
      if ((await entryKeys(store)).every((k) => listed.has(k))) return entries;
    }
    if (attempt < attempts) await (opts.pause ?? jitteredPause)(attempt);
  }
  throw new Error(`other publishers kept changing it through ${attempts} attempts`);
}

/** Reads a metrics.json, refusing an unknown major schema version with a clear message. */
export function parseMetrics(text: string, source: string): Metrics {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BadInputError(`not JSON: ${(e as Error).message}`, source);
  }
  const version = (raw as { schema_version?: unknown })?.schema_version;
  if (typeof version !== 'string' || !version.startsWith(`${METRICS_SCHEMA_VERSION.split('.')[0]}.`)) {
    throw new BadInputError(`metrics schema_version ${JSON.stringify(version)} is not supported (this runner reads ${METRICS_SCHEMA_VERSION.split('.')[0]}.x)`, source);
  }
  const parsed = metricsSchema.safeParse(raw);
  if (!parsed.success) throw new BadInputError(`not a valid metrics document: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, source);
  return parsed.data;
}
