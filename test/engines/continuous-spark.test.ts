// The three continuous-mode PySpark jobs (spark-scripts/bronze_ingest.py, silver_stream.py,
// gold_refresh.py) run for real (spark-submit, local[2], three at once) on the Iceberg REST catalog and
// MinIO, with the job documents the cluster platform submits, while the project's datagen files land
// one by one under the landing prefix. Session 1: bronze-ingest and silver-stream are stopped by
// SIGTERM once they have committed batches; bronze-ingest's checkpoint then loses its last commit
// marker, as a driver killed between the table commit and the checkpoint commit leaves it. Session 2
// restarts both on the same checkpoints (bronze-ingest until its duration, silver-stream until
// SIGTERM); gold-refresh runs through both sessions and is stopped by SIGTERM. Afterwards silver equals
// the embedded silver-build of the same files (the profile and sample checks of spark-stages.test.ts),
// gold's snapshots carry the newest silver processing time they covered and it advances, the 8
// queries on Trino give the embedded answers, and bronze-ingest, stopped by its own duration, leaves
// every landed row in bronze_raw once.
// Cost (the file runs in `npm test`): the data is scale 0.01 (every row of spark-stages.test.ts) in 7
// files over a one-month event window, so each silver micro-batch writes about 30 date partitions,
// not the ~700 of a two-year window; five Spark JVMs in all. bronze-ingest's duration must be
// generous (it cannot know when its last file comes), so the checks that need no running job (silver,
// gold, the 8 queries) run while it idles to its end instead of after it. Trino starts only once
// silver is complete, so its JVM start does not compete with the Spark drivers'; the first check of
// bronze_raw reads the row count Iceberg records in the snapshot summary, not Trino.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { SILVER_COLUMNS } from '../../runner/src/sql/silver.js';
import { silverRowsExpected } from '../../runner/src/datagen/manifest.js';
import { jobReportSchema, type JobReport } from '../../runner/src/model/streaming-job-report.js';
import { SOURCE_MAX_PROCESSING_TS_KEY, type StreamingJob } from '../../runner/src/platforms/streaming.js';
import { STREAMING_JOB_DEFINITIONS } from '../../runner/src/platforms/kubernetes/streaming/streaming-jobs.js';
import { streamingJobDocument, type StreamingJobDocument } from '../../runner/src/platforms/kubernetes/streaming/streaming-job-document.js';
import type { ClusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { TrinoEngine } from '../../runner/src/engines/trino-engine.js';
import { DuckDbEngine } from '../../runner/src/engines/duckdb-engine.js';
import { startTrino, type TrinoServer } from '../harness/engines/trino.js';
import { s3Client } from '../harness/engines/s3.js';
import { startPySpark, type BackgroundPySpark } from '../harness/engines/spark-background.js';
import { enginesManifest } from '../harness/engines/manifest.js';
import { sleep } from '../harness/engines/process.js';
import { BUCKETS, SCRIPTS } from './fixtures/spark-stack.js';
import { useSparkStack } from './fixtures/use-spark-stack.js';
import { embeddedTable, openComparer, sparkTable, type Comparer } from './fixtures/spark-compare.js';
import { compareEngines } from './fixtures/trino-tables.js';

const COMPARED_SILVER = SILVER_COLUMNS.filter((c) => c !== 'silver_processing_timestamp');
const SAMPLE_MOD = 53;
const JOBS = STREAMING_JOB_DEFINITIONS.map((d) => d.job);
// Session 1: files 0 … FIRST_SESSION_FILES-1 land while the jobs run (at most 2 per bronze batch, so
// at least two batches); the rest land in session 2.
const FIRST_SESSION_FILES = 3;
// Jobs the test stops with SIGTERM run "for ever"; session 2's bronze-ingest stops at its duration,
// which must cover a JVM start and its batches on a machine whose load can change meanwhile: three
// times what session 1 took to its second bronze batch, within these bounds. It costs little: the
// checks after session 2 (silver's catch-up, gold's last refresh, Trino, the comparisons) run while
// it idles. The duration counts from the process's start (spark-scripts/lakebench_streaming.py), as
// the run's clock does on a cluster.
const LONG_SECONDS = 3600;
// Each gold refresh rebuilds gold from all of silver, changed or not: at 20 or 30 s the refreshes
// ran back to back on a loaded machine (one core busy throughout), while the test needs only the
// first refresh and the one after silver's last batch.
const GOLD_REFRESH_SECONDS = 60;
const SECOND_SESSION_SECONDS = { factor: 3, min: 120, max: 600 };
// Waits for the jobs' progress: a shared 2-core machine can take minutes per micro-batch.
const PROGRESS_MS = 900_000;
// The drivers JIT-compile with C1 only: on tiny data a JVM's start is most of its work, and C2's
// compiler threads cost about 40 % more CPU for a trivial job (measured: 15 vs 25 CPU-seconds).
const DRIVER_CONF = { 'spark.driver.extraJavaOptions': '-XX:TieredStopAtLevel=1' };

let comparer: Comparer | undefined;
let trinoServer: TrinoServer | undefined;
let trino: TrinoEngine | undefined;
let duck: DuckDbEngine | undefined;
let startedTrino: Promise<TrinoServer> | undefined;
let secondSessionSeconds = SECOND_SESSION_SECONDS.max;
const docs = {} as Record<StreamingJob, StreamingJobDocument>;
const session1 = {} as Record<StreamingJob, JobReport>;
const jobs: Partial<Record<StreamingJob, BackgroundPySpark>> = {};
const ended = new Set<BackgroundPySpark>();

// 14 MB files: 7 files of ≈ 3,650 rows at scale 0.01, so files land one by one over both sessions;
// one month of events keeps silver's date partitions (the files each micro-batch writes) few.
const BRONZE_CONFIG = {
  scale: 0.01,
  datagen: { fileSizeMb: 14, window: { start: '2025-11-01', end: '2025-12-01' } },
  pipeline: { mode: 'continuous' as const },
  continuous: { durationSeconds: LONG_SECONDS, triggers: { bronzeSeconds: 3, silverSeconds: 5, goldRefreshSeconds: GOLD_REFRESH_SECONDS }, maxFilesPerTrigger: 2 },
};

const sparkEnv = useSparkStack({
  name: 'continuous-spark',
  catalog: true,
  bronze: BRONZE_CONFIG,
  setupTimeoutMs: 900_000,
  setup: async ({ stack: s, bronze: b }) => {
    // The batch silver-build and gold-finalize of the same files: what the streams must end up equal to.
    for (const stage of ['silver-build', 'gold-finalize'] as const) {
      const r = await b.platform.runStage(stage, b.ctx);
      expect(r.status, stage).toBe('succeeded');
    }
    comparer = await openComparer(b.platform.warehouse.root);
    duck = await DuckDbEngine.open(b.platform.warehouse.root);
    const settings = {
      storage: { endpoint: s.minio.endpoint, region: s.minio.region, pathStyle: true },
      buckets: BUCKETS,
      catalog: { kind: 'rest', name: 'lakehouse', uri: s.rest!.uri, warehouse: null, oauth2: null },
      tableFormat: 'iceberg',
    } as const satisfies Pick<ClusterSettings, 'storage' | 'buckets' | 'catalog' | 'tableFormat'>;
    for (const def of STREAMING_JOB_DEFINITIONS) {
      docs[def.job] = streamingJobDocument(def, settings as ClusterSettings, {
        config: b.ctx.config, scale: 0.01, runId: b.ctx.runId, referenceDate: b.ctx.referenceDate, manifest: b.manifest, resources: { executors: 1, cores: 2 },
      });
    }
    phase(`setup done: ${b.manifest.files.length} files, ${b.manifest.totals.total_rows} rows`);
  },
  // The jobs still write to MinIO, and Trino reads it: all of them go before the servers.
  teardown: async () => {
    for (const j of Object.values(jobs)) if (!ended.has(j)) await j.signalPython('SIGTERM').then(() => j.done, () => undefined);
    comparer?.close();
    await duck?.close();
    await (trinoServer ?? (await startedTrino?.catch(() => undefined)))?.stop();
  },
});

function ready() {
  const env = sparkEnv();
  if (!comparer || !duck) throw new Error('setup did not finish');
  return { ...env, comparer, duck };
}

/** Starts Trino (once): when silver is complete, so its JVM start overlaps gold's last refresh, not three Spark drivers' starts. */
function startTrinoOnce(): Promise<TrinoServer> {
  if (!startedTrino) {
    const s = ready().stack;
    startedTrino = startTrino({ s3: s.minio, restCatalogUri: s.rest!.uri });
    // A rejection is handled where Trino is awaited, or never matters when an earlier step failed.
    startedTrino.catch(() => undefined);
  }
  return startedTrino;
}

async function trinoEngine(): Promise<TrinoEngine> {
  if (!trino) {
    trinoServer = await startTrinoOnce();
    trino = await TrinoEngine.open({ endpoint: trinoServer.uri, catalog: trinoServer.catalog });
  }
  return trino;
}

// Where the time goes, in the test's output: seconds since the file started, per phase.
const began = Date.now();
const phase = (what: string) => console.log(`[continuous-spark +${Math.round((Date.now() - began) / 1000)} s] ${what}`);

/** `s3a://bucket/key` or `s3://bucket/key` → [bucket, key]. */
function splitUri(uri: string): [string, string] {
  const m = /^s3a?:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw new Error(`not an S3 URI: ${uri}`);
  return [m[1]!, m[2]!];
}

async function getObject(uri: string): Promise<Uint8Array | null> {
  const [bucket, key] = splitUri(uri);
  const client = s3Client(ready().stack.minio);
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToByteArray()) ?? null;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey') return null;
    throw e;
  } finally {
    client.destroy();
  }
}

async function report(job: StreamingJob): Promise<JobReport | null> {
  const body = await getObject(docs[job].metrics_uri);
  return body ? jobReportSchema.parse(JSON.parse(Buffer.from(body).toString('utf8'))) : null;
}

/** Datagen file `index` of the generated set, uploaded under the landing prefix of the documents. */
async function land(index: number): Promise<void> {
  const { bronze: b, stack: s } = ready();
  const f = b.manifest.files[index]!;
  const [bucket, prefix] = splitUri(docs['bronze-ingest'].bronze.uri);
  const client = s3Client(s.minio);
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${f.key}`, Body: readFileSync(path.join(b.platform.warehouse.bronze, f.key)) }));
  } finally {
    client.destroy();
  }
}

/** Starts a job with the cluster's document, its duration (and bronze-ingest's files per batch) set for the test. */
function startJob(job: StreamingJob, durationSeconds: number, maxFilesPerTrigger?: number): BackgroundPySpark {
  const { stack: s, scratch: dir } = ready();
  const def = STREAMING_JOB_DEFINITIONS.find((d) => d.job === job)!;
  const file = path.join(dir, `${job}-${Date.now()}.json`);
  const streaming = { ...docs[job].streaming, duration_seconds: durationSeconds, ...(maxFilesPerTrigger ? { max_files_per_trigger: maxFilesPerTrigger } : {}) };
  writeFileSync(file, JSON.stringify({ ...docs[job], streaming }));
  const started = startPySpark(s.spark, path.join(SCRIPTS, def.script), ['--config', file], { timeoutMs: 3_600_000, conf: DRIVER_CONF });
  void started.done.finally(() => ended.add(started)).catch(() => undefined);
  return started;
}

/** Polls `probe` until it answers; fails at the timeout, or at once when one of `running` (jobs that must run meanwhile) has ended. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, running: BackgroundPySpark[] = []): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const output = () => running.map((j) => j.output().stderr.slice(-2500)).join('\n---\n');
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output()}`);
    if (running.some((j) => ended.has(j))) throw new Error(`a job ended while waiting for ${what}\n${output()}`);
    await sleep(1000);
  }
}

/** A streaming script run by the engines' Python alone (no spark-submit): what it prints and its exit code. */
function python(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(enginesManifest().python, [script, ...args], { cwd: SCRIPTS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function trinoRows(sql: string): Promise<unknown[][]> {
  const r = await (await trinoEngine()).execute(sql, { timeoutSeconds: 600 });
  if (!r.ok) throw new Error(`${sql}: ${r.error.code}: ${r.error.message}`);
  return r.rows;
}

/** A table's current snapshot id, from the REST catalog, as the exact decimal text (ids exceed 2^53). */
async function currentSnapshot(ns: string, table: string): Promise<string> {
  const res = await fetch(`${ready().stack.rest?.uri}/v1/namespaces/${ns}/tables/${table}`);
  expect(res.status).toBe(200);
  const id = /"current-snapshot-id"\s*:\s*(-?\d+)/.exec(await res.text())?.[1];
  if (!id) throw new Error(`${ns}.${table} has no current snapshot`);
  return id;
}

/** The summary of a table's current snapshot, from the REST catalog (Iceberg's own totals: `total-records`, …). */
async function currentSummary(ns: string, table: string): Promise<Record<string, string>> {
  const res = await fetch(`${ready().stack.rest?.uri}/v1/namespaces/${ns}/tables/${table}`);
  expect(res.status).toBe(200);
  // Snapshot ids exceed 2^53: quoted before parsing, so they are compared as exact text.
  const text = (await res.text()).replace(/("(?:current-|parent-)?snapshot-id")\s*:\s*(-?\d+)/g, '$1:"$2"');
  type Snapshot = { 'snapshot-id': string; summary: Record<string, string> };
  const m = (JSON.parse(text) as { metadata: { 'current-snapshot-id': string; snapshots: Snapshot[] } }).metadata;
  const current = m.snapshots.find((x) => x['snapshot-id'] === m['current-snapshot-id']);
  if (!current) throw new Error(`${ns}.${table} has no current snapshot`);
  return current.summary;
}

/** gold's snapshots, oldest first, with their summaries, straight from the REST catalog. */
async function goldSnapshots(): Promise<{ id: number; timestampMs: number; summary: Record<string, string> }[]> {
  const res = await fetch(`${ready().stack.rest?.uri}/v1/namespaces/gold/tables/customer_executive_dashboard`);
  expect(res.status).toBe(200);
  type Snapshot = { 'snapshot-id': number; 'timestamp-ms': number; summary: Record<string, string> };
  const m = ((await res.json()) as { metadata: { snapshots: Snapshot[] } }).metadata;
  return m.snapshots.map((s) => ({ id: s['snapshot-id'], timestampMs: s['timestamp-ms'], summary: s.summary })).sort((a, b) => a.timestampMs - b.timestampMs);
}

describe('continuous mode: the Spark streaming jobs on Iceberg', () => {
  it('the command line of each streaming job: --print-spark-conf prints its Spark settings; a broken document exits 2 naming the field', async () => {
    const { scratch: dir, stack: s } = ready();
    for (const def of STREAMING_JOB_DEFINITIONS) {
      const good = path.join(dir, `${def.job}-cli.json`);
      writeFileSync(good, JSON.stringify(docs[def.job]));
      const printed = await python(def.script, ['--config', good, '--print-spark-conf']);
      expect(printed.code, printed.stderr).toBe(0);
      expect((JSON.parse(printed.stdout) as { decided: Record<string, string> }).decided, def.job).toMatchObject({ 'spark.sql.catalog.lakehouse.uri': s.rest!.uri });
      const broken = path.join(dir, `${def.job}-broken.json`);
      writeFileSync(broken, JSON.stringify({ ...docs[def.job], streaming: { ...docs[def.job].streaming, trigger_seconds: 0 } }));
      const refused = await python(def.script, ['--config', broken]);
      expect(refused.code, def.job).toBe(2);
      expect(refused.stderr).toContain(`lakebench ${def.job}: invalid job configuration: config.streaming.trigger_seconds: expected a number >= 0.001`);
    }
  });

  it('session 1: files landed while the jobs run reach bronze_raw, silver and gold; bronze-ingest and silver-stream stop cleanly on SIGTERM', async () => {
    const { bronze: b } = ready();
    expect(b.manifest.files.length).toBeGreaterThanOrEqual(FIRST_SESSION_FILES + 4);
    const started = Date.now();
    for (const job of JOBS) jobs[job] = startJob(job, LONG_SECONDS);
    const all = Object.values(jobs);
    for (let i = 0; i < FIRST_SESSION_FILES; i++) {
      await sleep(i === 0 ? 10_000 : 3_000);
      await land(i);
    }
    await until('two bronze-ingest batches, one silver-stream batch with rows and one gold refresh', async () => {
      const [bi, ss, gr] = await Promise.all(JOBS.map((j) => report(j)));
      return (bi?.batches.length ?? 0) >= 2 && (ss?.batches.some((x) => x.rows > 0) ?? false) && (gr?.batches.length ?? 0) >= 1;
    }, PROGRESS_MS, all);
    phase('session 1: two bronze batches, silver rows and a gold refresh');
    for (const job of ['bronze-ingest', 'silver-stream'] as const) expect(await jobs[job]!.signalPython('SIGTERM'), job).toBe(true);
    for (const job of ['bronze-ingest', 'silver-stream'] as const) {
      const run = await jobs[job]!.done;
      expect(run.exitCode, `${job}\n${run.stderr.slice(-4000)}`).toBe(0);
      const r = (await report(job))!;
      session1[job] = r;
      expect(r).toMatchObject({ job, run_id: b.ctx.runId, stopped_by: 'signal' });
      expect(r.error).toBeUndefined();
    }
    phase('session 1: bronze-ingest and silver-stream stopped');
    const secondBatchMs = Date.parse(session1['bronze-ingest'].batches[1]!.committed_at) - started;
    secondSessionSeconds = Math.min(SECOND_SESSION_SECONDS.max, Math.max(SECOND_SESSION_SECONDS.min, Math.round((SECOND_SESSION_SECONDS.factor * secondBatchMs) / 1000)));
    // Every batch of bronze-ingest names its landed files; each file once, its rows all in bronze_raw.
    const ingested = session1['bronze-ingest'].batches.flatMap((x) => x.files ?? []);
    expect(ingested.length).toBeGreaterThan(0);
    expect(ingested.length).toBe(new Set(ingested).size);
    for (const k of ingested) expect(b.manifest.files.slice(0, FIRST_SESSION_FILES).map((f) => f.key)).toContain(k);
    const rowsOf = (keys: string[]) => keys.reduce((n, k) => n + b.manifest.files.find((f) => f.key === k)!.rows, 0);
    expect(session1['bronze-ingest'].batches.reduce((n, x) => n + x.rows, 0)).toBe(rowsOf(ingested));
    // Iceberg's own row total of bronze_raw's current snapshot (the count Trino reads at the end).
    expect(Number((await currentSummary('default', 'bronze_raw'))['total-records'])).toBe(rowsOf(ingested));
    // gold refreshed from a silver the stream built, and recorded what it covered.
    const gold = (await goldSnapshots()).filter((x) => x.summary[SOURCE_MAX_PROCESSING_TS_KEY]);
    expect(gold.length).toBeGreaterThan(0);
  }, 1_200_000);

  it('session 2: restarted on their checkpoints (the last batch left unmarked), the jobs go on; silver-stream and gold-refresh stop cleanly on SIGTERM', async () => {
    const { bronze: b, stack: s } = ready();
    // A driver killed after the table commit but before the checkpoint commit leaves the batch's
    // offsets without its commit marker: Spark runs that batch again on restart.
    const replayed = Math.max(...session1['bronze-ingest'].batches.map((x) => x.batch_id));
    const [bucket, prefix] = splitUri(docs['bronze-ingest'].streaming.checkpoint_uri);
    const client = s3Client(s.minio);
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}commits/${replayed}` }));
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}` }));
      const keys = listed.Contents?.map((o) => o.Key) ?? [];
      expect(keys).toContain(`${prefix}offsets/${replayed}`);
      expect(keys).not.toContain(`${prefix}commits/${replayed}`);
    } finally {
      client.destroy();
    }

    jobs['bronze-ingest'] = startJob('bronze-ingest', secondSessionSeconds, 10);
    jobs['silver-stream'] = startJob('silver-stream', LONG_SECONDS);
    phase(`session 2: restarted, bronze-ingest for ${secondSessionSeconds} s`);
    const all = JOBS.map((j) => jobs[j]!);
    // They land while the JVMs start, so bronze-ingest's first new batch can take them all.
    for (let i = FIRST_SESSION_FILES; i < b.manifest.files.length; i++) await land(i);
    const allKeys = b.manifest.files.map((f) => f.key);
    await until('bronze-ingest to ingest every landed file', async () => {
      const files = new Set((await report('bronze-ingest'))?.batches.flatMap((x) => x.files ?? []));
      return allKeys.every((k) => files.has(k));
    }, PROGRESS_MS, all);
    phase('session 2: every file ingested');
    await until('silver-stream to commit every bronze row', async () => {
      const r = await report('silver-stream');
      return (r?.batches.reduce((n, x) => n + x.rows, 0) ?? 0) >= silverRowsExpected(b.manifest);
    }, PROGRESS_MS, [jobs['silver-stream']!, jobs['gold-refresh']!]);
    phase('session 2: every row in silver');
    expect(await jobs['silver-stream']!.signalPython('SIGTERM')).toBe(true);
    void startTrinoOnce();
    const finalSilver = await currentSnapshot('silver', 'customer_interactions_enriched');
    await until('a gold refresh built from the final silver snapshot', async () => (await goldSnapshots()).at(-1)?.summary['lakebench.source-snapshot'] === finalSilver, PROGRESS_MS, [jobs['gold-refresh']!]);
    phase('session 2: gold refreshed from the final silver');
    expect(await jobs['gold-refresh']!.signalPython('SIGTERM')).toBe(true);

    for (const job of ['silver-stream', 'gold-refresh'] as const) {
      const run = await jobs[job]!.done;
      expect(run.exitCode, `${job}\n${run.stderr.slice(-4000)}`).toBe(0);
      const r = (await report(job))!;
      expect(r.stopped_by, job).toBe('signal');
      expect(r.error, job).toBeUndefined();
      const ids = r.batches.map((x) => x.batch_id);
      expect(ids, job).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size, job).toBe(ids.length);
      if (job === 'gold-refresh') continue;
      // The report kept session 1's batches; the restarted query numbered its batches after them.
      expect(r.batches.slice(0, session1[job].batches.length), job).toEqual(session1[job].batches);
      expect(r.batches.length, job).toBeGreaterThan(session1[job].batches.length);
    }
    const refreshes = (await report('gold-refresh'))!.batches;
    const seconds = refreshes.map((x) => (Date.parse(x.committed_at) - Date.parse(x.started_at)) / 1000);
    phase(`session 2: silver-stream and gold-refresh stopped (${refreshes.length} gold refreshes, ${Math.max(...seconds).toFixed(0)} s the longest)`);
  }, 2_400_000);

  it('silver equals the batch silver-build of the same files', async () => {
    const { bronze: b, comparer: c, scratch: dir, stack: s } = ready();
    phase('silver comparison');
    const files = (await trinoRows('SELECT file_path FROM lakehouse.silver."customer_interactions_enriched$files"')).map((r) => String(r[0]));
    const local = files.map((_, i) => path.join(dir, 'stream-silver', `${i}.parquet`));
    await mkdir(path.join(dir, 'stream-silver'), { recursive: true });
    for (let i = 0; i < files.length; i += 16) {
      await Promise.all(files.slice(i, i + 16).map(async (uri, k) => {
        const body = await getObject(uri);
        if (!body) throw new Error(`silver data file ${uri} is missing in ${s.minio.endpoint}`);
        await writeFile(local[i + k]!, body);
      }));
    }
    await c.addSparkTable('silver', local);
    const [stream, emb] = [sparkTable('silver'), embeddedTable('silver')];
    expect(await c.count(stream)).toBe(silverRowsExpected(b.manifest));
    expect(await c.schema(stream)).toEqual(await c.schema(emb));
    const streamProfile = await c.profile(stream, COMPARED_SILVER);
    const embeddedProfile = await c.profile(emb, COMPARED_SILVER);
    for (const col of COMPARED_SILVER) expect(streamProfile[col], col).toEqual(embeddedProfile[col]);
    const sample = await c.rows(stream, COMPARED_SILVER, `id % ${SAMPLE_MOD} = 0`, 'id');
    expect(sample.length).toBeGreaterThan(400);
    expect(sample).toEqual(await c.rows(emb, COMPARED_SILVER, `id % ${SAMPLE_MOD} = 0`, 'id'));
    // One processing time per silver-stream batch that had rows.
    const silverBatches = (await report('silver-stream'))!.batches.filter((x) => x.rows > 0).length;
    const [[times]] = (await trinoRows('SELECT count(DISTINCT silver_processing_timestamp) FROM lakehouse.silver.customer_interactions_enriched')) as [[number]];
    expect(Number(times)).toBe(silverBatches);
  }, 900_000);

  it('gold snapshots carry the newest silver processing time they covered, and it advances', async () => {
    const snaps = (await goldSnapshots()).filter((s) => s.summary['lakebench.run-id'] === ready().bronze.ctx.runId);
    const refreshes = (await report('gold-refresh'))!.batches;
    expect(snaps.length).toBe(refreshes.length);
    const covered = snaps.map((s) => s.summary[SOURCE_MAX_PROCESSING_TS_KEY]!);
    for (const v of covered) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const ms = covered.map((v) => Date.parse(v));
    for (let i = 1; i < ms.length; i++) expect(ms[i]!).toBeGreaterThanOrEqual(ms[i - 1]!);
    expect(new Set(covered).size).toBeGreaterThan(1);
    // Freshness is commit time − covered time: never negative.
    for (const [i, s] of snaps.entries()) expect(s.timestampMs).toBeGreaterThanOrEqual(ms[i]! - 1);
  });

  it('the 8 queries on Trino read the streamed tables and give the embedded answers', async () => {
    const { queries } = await compareEngines(ready().duck, await trinoEngine(), { warmUp: false });
    phase('8 queries compared');
    expect(queries).toHaveLength(8);
    for (const q of queries) expect(q.equal, `${q.id}: ${q.detail}`).toBe(true);
  }, 900_000);

  it('bronze-ingest, restarted on its checkpoint, skipped the replayed batch, stopped at its duration and left every landed row in bronze_raw once', async () => {
    const { bronze: b } = ready();
    const job = 'bronze-ingest';
    const run = await jobs[job]!.done;
    phase('bronze-ingest stopped');
    expect(run.exitCode, `${job}\n${run.stderr.slice(-4000)}`).toBe(0);
    const r = (await report(job))!;
    expect(r.stopped_by).toBe('duration');
    expect(r.error).toBeUndefined();
    const ids = r.batches.map((x) => x.batch_id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    // The report kept session 1's batches; the restarted query numbered its batches after them.
    expect(r.batches.slice(0, session1[job].batches.length)).toEqual(session1[job].batches);
    expect(r.batches.length).toBeGreaterThan(session1[job].batches.length);
    // The batch run again was recognised as committed and skipped, not appended a second time.
    const replayed = Math.max(...session1[job].batches.map((x) => x.batch_id));
    expect(run.stdout).toContain(`batch ${replayed} skipped: already committed`);
    const ingested = r.batches.flatMap((x) => x.files ?? []);
    expect([...ingested].sort()).toEqual(b.manifest.files.map((f) => f.key).sort());
    const [[rows, ids2]] = (await trinoRows('SELECT count(*), count(DISTINCT id) FROM lakehouse."default".bronze_raw')) as [[number, number]];
    expect(Number(rows)).toBe(b.manifest.totals.total_rows);
    expect(Number(ids2)).toBe(b.manifest.totals.total_rows);
  }, 900_000);
});
