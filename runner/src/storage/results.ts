// The results layout of results.md §1, the same in a local output folder and in a results bucket:
// runs/<id>/{run.json, metrics.json, report.html, ...}, index/runs/<id>.json (one object per run, so
// concurrent writers never overwrite each other) and index/index.json (a roll-up rebuilt from them).
import { z } from 'zod';
import type { ObjectStore } from './object-store.js';
import { indexEntrySchema, indexEntryFromMetrics, type IndexEntry } from '../report/history.js';
import { metricsSchema, METRICS_SCHEMA_VERSION, type Metrics } from '../model/metrics.js';
import { BadInputError } from '../util/errors.js';

export const runRecordSchema = z.object({
  run_id: z.string(),
  state: z.enum(['running', 'complete', 'incomplete']),
  started_at: z.string(),
  heartbeat_at: z.string(),
  ended_at: z.string().nullable(),
  reason: z.string().nullable(),
  /** `<namespace>/<lease name>` of the Lease that guarded the run (cluster runs only). */
  lease: z.string().nullable().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const runKey = (runId: string, file: string) => `runs/${runId}/${file}`;
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

/** Upload order: artifacts, then metrics.json, then the index entry, so an entry always points at a complete run. */
export async function publishRun(store: ObjectStore, a: RunArtifacts): Promise<void> {
  const id = a.metrics.run_id;
  for (const [file, body] of Object.entries(a.files)) await store.put(runKey(id, file), body, file.endsWith('.json') ? JSON_TYPE : 'text/plain');
  await store.put(runKey(id, 'report.html'), a.reportHtml, 'text/html; charset=utf-8');
  await store.put(runKey(id, 'metrics.json'), json(a.metrics), JSON_TYPE);
  await store.put(`index/runs/${id}.json`, json(indexEntryFromMetrics(a.metrics)), JSON_TYPE);
  await rebuildIndex(store);
}

export async function listRuns(store: ObjectStore): Promise<IndexEntry[]> {
  const keys = (await store.list('index/runs/')).filter((k) => k.endsWith('.json'));
  const entries: IndexEntry[] = [];
  for (const key of keys) {
    const text = await store.get(key);
    const parsed = text ? indexEntrySchema.safeParse(JSON.parse(text)) : undefined;
    if (parsed?.success) entries.push(parsed.data);
  }
  return entries.sort((a, b) => (a.start_time < b.start_time ? -1 : 1));
}

/** index.json is a convenience copy: rebuilt from the per-run entries, never edited in place. */
export async function rebuildIndex(store: ObjectStore): Promise<IndexEntry[]> {
  const entries = await listRuns(store);
  await store.put('index/index.json', json({ schema_version: METRICS_SCHEMA_VERSION, runs: entries }), JSON_TYPE);
  return entries;
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
