// The runner's Trino engine against a real Trino 476 (harness): an embedded run at scale 0.01 gives
// the data and the DuckDB answers; PySpark copies its silver and gold into Iceberg tables through
// the REST catalog; the 8 queries through TrinoEngine must give the DuckDB fingerprints, the whole
// benchmark stage must pass its answer checks, and errors, timeouts and cancels must be failures.
import { configSchema } from '../../runner/src/config/schema.js';
import { openClusterQueryEngine } from '../../runner/src/engines/cluster-engine.js';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Trino } from 'trino-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { startIcebergRest, type IcebergRestServer } from '../harness/engines/iceberg-rest.js';
import { startPostgres, type PostgresServer } from '../harness/engines/postgres.js';
import { sparkSubmitEnv, type SparkSubmit } from '../harness/engines/spark.js';
import { startSparkThrift, type SparkThriftServer } from '../harness/engines/spark-thrift.js';
import { SparkThriftEngine } from '../../runner/src/engines/spark-thrift-engine.js';
import { startTrino, type TrinoServer } from '../harness/engines/trino.js';
import { compareEngines, embeddedRun, loadIntoIceberg, type QueryComparison } from './fixtures/trino-tables.js';
import { TrinoEngine } from '../../runner/src/engines/trino-engine.js';
import { DuckDbEngine } from '../../runner/src/engines/duckdb-engine.js';
import type { QueryEngine } from '../../runner/src/engines/engine.js';
import { powerRun, type PowerRun } from '../../runner/src/benchmark/power-run.js';
import { runBenchmark } from '../../runner/src/benchmark/run-benchmark.js';
import { qph } from '../../runner/src/benchmark/qph.js';
import { validateConfig } from '../../runner/src/config/load.js';
import { readManifest } from '../../runner/src/datagen/generate-dataset.js';
import { BadInputError } from '../../runner/src/util/errors.js';
import { verdict } from '../../runner/src/model/verdict.js';
import { benchmarkSnapshotsSchema } from '../../runner/src/model/benchmark-snapshots.js';

let minio: MinioServer | undefined;
let postgres: PostgresServer | undefined;
let rest: IcebergRestServer | undefined;
let trinoServer: TrinoServer | undefined;
let output: string | undefined;
let trino: TrinoEngine;
let duck: DuckDbEngine | undefined;
let comparison: { reference: PowerRun; candidate: PowerRun; queries: QueryComparison[] };
let spark: SparkSubmit | undefined;
let thriftServer: SparkThriftServer | undefined;

// Runs long enough (10^10 rows) to be timed out or cancelled while still running.
const LONG_QUERY = 'SELECT sum(x * y + z) FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(y) CROSS JOIN UNNEST(sequence(1, 100)) c(z)';
// Streams rows (3 M) before the last one divides by zero, so the error arrives on a later page.
const LATE_ERROR = 'SELECT x, y, CASE WHEN x = 10000 AND y = 300 THEN 1 / (x - x) ELSE x END AS v FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 300)) b(y)';

async function serverState(queryId: string): Promise<unknown[]> {
  const r = await trino.execute(`SELECT state, error_code FROM system.runtime.queries WHERE query_id = '${queryId}'`, { timeoutSeconds: 60 });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.rows[0] ?? [];
}

const queryIdOf = (message: string) => /query (\d{8}_\d{6}_\d{5}_\w+)/.exec(message)?.[1] ?? '';

// One stack and one load for the file: both engines read the same Iceberg tables.
beforeAll(async () => {
  // The embedded run (data + DuckDB side) runs beside the servers' start-up.
  const data = embeddedRun(0.01).then((o) => (output = o));
  [minio, postgres] = await Promise.all([startMinio(), startPostgres()]);
  rest = await startIcebergRest({ s3: minio, postgres });
  await data;
  // Trino's start-up runs beside the Spark load; allSettled so both end before a failure is thrown.
  spark = sparkSubmitEnv({ s3: minio, restCatalogUri: rest.uri, driverMemory: '2g' });
  const [load, started] = await Promise.allSettled([loadIntoIceberg(spark, output!), startTrino({ s3: minio, restCatalogUri: rest.uri })]);
  if (started.status === 'fulfilled') trinoServer = started.value;
  if (load.status === 'rejected') throw load.reason;
  if (started.status === 'rejected') throw started.reason;
  expect(load.value.exitCode, load.value.stderr.slice(-4000)).toBe(0);
  expect(load.value.stdout).toMatch(/LOADED silver=\d+ gold=\d+/);
  trino = await TrinoEngine.open({ endpoint: started.value.uri, catalog: started.value.catalog });
  duck = await DuckDbEngine.open(path.join(output!, 'warehouse'));
  comparison = await compareEngines(duck, trino);
});

afterAll(async () => {
  await thriftServer?.stop();
  await duck?.close();
  await trinoServer?.stop();
  await rest?.stop();
  await postgres?.stop();
  await minio?.stop();
  if (output) rmSync(output, { recursive: true, force: true });
});

/** A 2-stream throughput benchmark: every execution succeeds and the streams really overlap in time. */
async function expectConcurrentStreams(engine: QueryEngine): Promise<void> {
  const config = validateConfig({ scale: 0.01, benchmark: { mode: 'throughput', streams: 2, timeoutSeconds: 300 } }, 'test');
  const manifest = await readManifest(path.join(output!, 'warehouse', 'bronze'));
  if (!manifest) throw new Error('the embedded run left no manifest');
  const { block } = await runBenchmark(engine, config, manifest);
  const [a, b] = block.streams_results;
  expect(block.streams_results).toHaveLength(2);
  for (const st of block.streams_results) expect(st.successes, JSON.stringify(st.queries.filter((q) => !q.success).map((q) => q.error))).toBe(8);
  expect(a!.order).not.toEqual(b!.order);
  // Each stream started before the other finished: the engine ran them side by side.
  expect(a!.start_offset_seconds).toBeLessThan(b!.finish_offset_seconds);
  expect(b!.start_offset_seconds).toBeLessThan(a!.finish_offset_seconds);
  const wall = Math.max(a!.finish_offset_seconds, b!.finish_offset_seconds) - Math.min(a!.start_offset_seconds, b!.start_offset_seconds);
  expect(block.throughput_qph).toBeCloseTo((16 / wall) * 3600, 0);
}

/**
 * The engine, with gold pointed at a copy of the gold table; right after the benchmark's untimed
 * gold read (so Q9's answer check still compares like with like) it commits an INSERT to the copy,
 * the way a pipeline writing during the benchmark would: between the snapshot reads before and after.
 */
function committingDuringBenchmark(engine: QueryEngine, goldCopy: string): QueryEngine & { commits: number } {
  const wrapper = {
    commits: 0,
    type: engine.type,
    dialect: engine.dialect,
    tables: { silver: engine.tables.silver, gold: goldCopy },
    version: () => engine.version(),
    flush: () => engine.flush(),
    close: async () => {},
    async execute(sql: string, o: { timeoutSeconds: number }) {
      const r = await engine.execute(sql, o);
      const goldRead = sql.includes(goldCopy) && sql.includes('LIMIT 30') && !sql.includes('revenue_change');
      if (goldRead && wrapper.commits === 0) {
        const insert = await engine.execute(`INSERT INTO ${goldCopy} SELECT * FROM ${goldCopy} WHERE interaction_date = (SELECT min(interaction_date) FROM ${goldCopy})`, { timeoutSeconds: 300 });
        if (!insert.ok) throw new Error(`commit to ${goldCopy} failed: ${insert.error.code}: ${insert.error.message}`);
        wrapper.commits++;
      }
      return r;
    },
  };
  return wrapper;
}

/** The current snapshot of a table read another way than the runner does: the newest entry of `snapshots`. */
async function newestSnapshot(engine: QueryEngine, snapshotsTable: string): Promise<string> {
  const r = await engine.execute(`SELECT CAST(snapshot_id AS ${engine.type === 'trino' ? 'varchar' : 'STRING'}) FROM ${snapshotsTable} ORDER BY committed_at DESC LIMIT 1`, { timeoutSeconds: 120 });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return String(r.rows[0]?.[0]);
}

/** A benchmark with a commit to the gold copy in the middle: the snapshots record it and the verdict warns. */
async function expectSnapshotChangeSeen(engine: QueryEngine, goldCopy: string, snapshotsTableOf: (table: string) => string): Promise<void> {
  const config = validateConfig({ scale: 0.01, benchmark: { timeoutSeconds: 300 } }, 'test');
  const manifest = await readManifest(path.join(output!, 'warehouse', 'bronze'));
  if (!manifest) throw new Error('the embedded run left no manifest');
  const before = await newestSnapshot(engine, snapshotsTableOf(goldCopy));
  const wrapped = committingDuringBenchmark(engine, goldCopy);
  const { block } = await runBenchmark(wrapped, config, manifest);
  expect(wrapped.commits).toBe(1);
  for (const q of block.queries) expect(q.success, `${q.id}: ${q.error?.message}`).toBe(true);
  const after = await newestSnapshot(engine, snapshotsTableOf(goldCopy));
  expect(after).not.toBe(before);
  const snapshots = benchmarkSnapshotsSchema.parse(block.snapshots);
  expect(snapshots).toMatchObject({ status: 'recorded', tables: [
    { layer: 'silver', table: engine.tables.silver, format: 'iceberg', error: null },
    { layer: 'gold', table: goldCopy, format: 'iceberg', before, after, error: null },
  ] });
  if (snapshots.status !== 'recorded') return;
  expect(snapshots.tables[0]!.before).toBe(snapshots.tables[0]!.after);
  expect(snapshots.tables[0]!.before).toBe(await newestSnapshot(engine, snapshotsTableOf(engine.tables.silver)));
  const v = verdict({ stages: [], benchmark: block, benchmarkExpected: true, scaleRatio: 1, incompleteReason: null, versions: {}, executorOverrides: {} });
  expect(v).toEqual({ status: 'WARNING', reasons: [{ code: 'SNAPSHOTS_CHANGED', severity: 'WARNING', source: 'benchmark', message: `${goldCopy} changed during the benchmark: snapshot ${before} before, ${after} after` }] });
}

const trinoSnapshots = (table: string) => `${table.slice(0, table.lastIndexOf('.'))}."${table.slice(table.lastIndexOf('.') + 1)}$snapshots"`;

describe('Trino engine on real Trino', () => {

  it('(b) gives every query the DuckDB fingerprint on the same data, from Iceberg tables', () => {
    expect(comparison.queries).toHaveLength(8);
    for (const q of comparison.queries) expect(q.equal, `${q.id}: ${q.detail}`).toBe(true);
    for (const q of comparison.candidate.queries) expect(q.result.success, `${q.def.id}: ${q.result.error?.message}`).toBe(true);
  });

  it('records Trino server-side statistics next to the client wall time', () => {
    const q1 = comparison.candidate.queries.find((q) => q.def.id === 'Q1')!;
    const stats = q1.result.engine_stats!;
    expect(stats.query_id).toMatch(/^\d{8}_\d{6}_\d{5}_\w+$/);
    expect(stats.state).toBe('FINISHED');
    // Q1 scans the whole silver table: Trino's processed rows are its row count, which Q1 returns.
    const totalRecords = q1.rows[0]![q1.columns.indexOf('total_records')];
    expect(BigInt(stats.processed_rows as number)).toBe(totalRecords);
    expect(stats.physical_input_bytes as number).toBeGreaterThan(0);
    expect(stats.cpu_seconds as number).toBeGreaterThan(0);
    expect(stats.peak_memory_bytes as number).toBeGreaterThan(0);
    expect(stats.total_splits as number).toBeGreaterThan(0);
    expect(stats.nodes).toBe(1);
    expect(stats.client_elapsed_seconds).toBe(q1.result.samples_seconds[0]);
    // The server's own elapsed time cannot exceed the client's submit-to-last-row time.
    expect(stats.engine_elapsed_seconds as number).toBeLessThanOrEqual(stats.client_elapsed_seconds as number);
  });

  it('(b) runs the benchmark stage end to end with every answer check passing', async () => {
    const config = validateConfig({ scale: 0.01, benchmark: { timeoutSeconds: 120 } }, 'test');
    const manifest = await readManifest(path.join(output!, 'warehouse', 'bronze'));
    if (!manifest) throw new Error('the embedded run left no manifest');
    const { block } = await runBenchmark(trino, config, manifest);
    expect(block.engine).toEqual({ type: 'trino', version: '476' });
    for (const q of block.queries) expect(q.success, `${q.id}: ${q.error?.message}`).toBe(true);
    expect(block.answer_checks.failed).toBe(0);
    expect(block.answer_checks.passed).toBeGreaterThan(10);
    expect(block.qph).toBeCloseTo((8 / block.total_seconds) * 3600, 6);
    // Nothing wrote to the tables: each one's snapshot is the same before and after, and is the
    // newest entry of its $snapshots table.
    const snapshots = benchmarkSnapshotsSchema.parse(block.snapshots);
    expect(snapshots.status).toBe('recorded');
    if (snapshots.status !== 'recorded') return;
    expect(snapshots.tables.map((t) => [t.layer, t.table, t.error])).toEqual([['silver', trino.tables.silver, null], ['gold', trino.tables.gold, null]]);
    for (const t of snapshots.tables) {
      expect(t.before).toMatch(/^-?\d+$/);
      expect(t.after).toBe(t.before);
      expect(t.before).toBe(await newestSnapshot(trino, trinoSnapshots(t.table)));
    }
  });

  it('records a commit to a table during the benchmark as changed snapshots, a WARNING', async () => {
    const copy = 'lakehouse.gold.snapshot_probe_trino';
    const created = await trino.execute(`CREATE TABLE ${copy} AS SELECT * FROM ${trino.tables.gold}`, { timeoutSeconds: 300 });
    expect(created.ok, created.ok ? '' : created.error.message).toBe(true);
    try {
      await expectSnapshotChangeSeen(trino, copy, trinoSnapshots);
    } finally {
      await trino.execute(`DROP TABLE IF EXISTS ${copy}`, { timeoutSeconds: 300 });
    }
  });

  it('throughput: two streams run concurrently on Trino, each through its own client', async () => {
    await expectConcurrentStreams(trino);
  });

  it('reads values exactly: micro-second timestamps in UTC, decimals, and refuses an inexact bigint', async () => {
    const r = await trino.execute("SELECT current_timezone() AS tz, TIMESTAMP '2024-01-02 03:04:05.123456' AS ts, CAST('1.50' AS DECIMAL(10, 2)) AS d, DATE '2024-02-29' AS day", { timeoutSeconds: 60 });
    expect(r.ok && r.rows).toEqual([['UTC', { timestamp: '2024-01-02T03:04:05.123456Z' }, 1.5, { date: '2024-02-29' }]]);
    const big = await trino.execute('SELECT 9007199254740993', { timeoutSeconds: 60 });
    expect(big.ok).toBe(false);
    expect(!big.ok && big.error.code).toBe('CLIENT_DECODE_ERROR');
  });

  it('(d) a query on a missing table is a failed query with Trino\'s error name, code and message', async () => {
    const r = await trino.execute('SELECT count(*) FROM lakehouse.silver.no_such_table', { timeoutSeconds: 60 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.timedOut).toBe(false);
    expect(r.error.code).toBe('TABLE_NOT_FOUND');
    expect(r.error.message).toMatch(/no_such_table' does not exist \(Trino errorCode 46, USER_ERROR, query \S+\)/);
  });

  it('(d) an error on a later result page, after rows have arrived, fails the query', async () => {
    // The raw client shows the shape: pages of rows first, the error afterwards.
    const raw = Trino.create({ server: trinoServer!.uri, extraHeaders: { 'X-Trino-User': 'lakebench' } });
    let rowsBeforeError = 0;
    let errorName = '';
    for await (const page of await raw.query(LATE_ERROR)) {
      if (page.error) {
        errorName = page.error.errorName;
        break;
      }
      rowsBeforeError += page.data?.length ?? 0;
    }
    expect(errorName).toBe('DIVISION_BY_ZERO');
    expect(rowsBeforeError).toBeGreaterThan(0);
    const r = await trino.execute(LATE_ERROR, { timeoutSeconds: 120 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('DIVISION_BY_ZERO');
    expect(!r.ok && r.timedOut).toBe(false);
  });

  it('(d) QpH counts failed queries in the time and not in the successes', async () => {
    // The real engine, pointed at a silver table that does not exist: 7 queries fail, Q9 (gold) runs.
    const broken: QueryEngine = {
      type: 'trino',
      dialect: 'trino',
      tables: { silver: 'lakehouse.silver.no_such_table', gold: trino.tables.gold },
      version: () => trino.version(),
      execute: (sql, o) => trino.execute(sql, o),
      flush: () => trino.flush(),
      close: async () => {},
    };
    const run = await powerRun(broken, { iterations: 1, cache: 'hot', timeoutSeconds: 60 });
    const failed = run.queries.filter((q) => !q.result.success);
    expect(failed.map((q) => q.def.id)).toEqual(['Q1', 'Q2', 'Q4', 'Q3', 'Q7', 'Q5', 'Q6']);
    for (const q of failed) expect(q.result.error?.code).toBe('TABLE_NOT_FOUND');
    const timed = run.queries.map((q) => ({ success: q.result.success, elapsedSeconds: q.result.elapsed_seconds }));
    const total = timed.reduce((s, t) => s + t.elapsedSeconds, 0);
    expect(qph(timed)).toBeCloseTo((1 / total) * 3600, 9);
    expect(qph(timed.filter((t) => !t.success))).toBe(0);
  });

  it('(d) a timeout cancels the query on the server and is a failure with elapsed = the timeout', async () => {
    const r = await trino.execute(LONG_QUERY, { timeoutSeconds: 2 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r).toMatchObject({ timedOut: true, elapsedSeconds: 2, error: { code: 'TIMEOUT' } });
    expect(await serverState(queryIdOf(r.error.message))).toEqual(['FAILED', 'USER_CANCELED']);
    expect(qph([{ success: r.ok, elapsedSeconds: r.elapsedSeconds }])).toBe(0);
  });

  it('a caller\'s cancel stops the query on the server too', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const r = await trino.execute(LONG_QUERY, { timeoutSeconds: 120, signal: controller.signal });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r).toMatchObject({ timedOut: false, error: { code: 'CANCELLED' } });
    expect(r.elapsedSeconds).toBeLessThan(60);
    expect(await serverState(queryIdOf(r.error.message))).toEqual(['FAILED', 'USER_CANCELED']);
  });

  it('flush: Iceberg on Trino 476 has no flush procedure, so a cold run is refused; Delta\'s flush is checked and reported', async () => {
    const iceberg = await trino.flush();
    expect(iceberg.flushed).toEqual([]);
    expect(iceberg.notFlushed[0]).toMatch(/^lakehouse connector metadata cache: PROCEDURE_NOT_FOUND/);
    await expect(powerRun(trino, { iterations: 1, cache: 'cold', timeoutSeconds: 60 })).rejects.toBeInstanceOf(BadInputError);
    const delta = await TrinoEngine.open({ endpoint: trinoServer!.uri, catalog: trinoServer!.deltaCatalog });
    const flushed = await delta.flush();
    expect(flushed.flushed).toEqual(['lakehouse_delta connector metadata cache (CALL lakehouse_delta.system.flush_metadata_cache())']);
    expect(flushed.notFlushed).toContain('OS page cache');
  });
});

describe('Spark Thrift engine on Spark’s Thrift server (hive-driver)', () => {
  let engine: SparkThriftEngine;
  let result: { reference: PowerRun; candidate: PowerRun; queries: QueryComparison[] };
  beforeAll(async () => {
    thriftServer = await startSparkThrift(spark!);
    // Opened the way a cluster run opens it: from the config the chart renders for queryEngine spark-thrift.
    const config = configSchema.parse({
      platform: 'kubernetes',
      cluster: { catalog: { type: 'hive', name: 'lakehouse', uri: 'thrift://hive-metastore:9083' }, queryEngine: { type: 'spark-thrift', endpoint: `${thriftServer.host}:${thriftServer.port}` } },
    });
    const opened = await openClusterQueryEngine(config);
    expect(opened).toBeInstanceOf(SparkThriftEngine);
    engine = opened as SparkThriftEngine;
    result = await compareEngines(duck!, engine);
  });
  afterAll(async () => engine?.close());

  it('gives every query the DuckDB fingerprint from the same Iceberg tables', () => {
    for (const q of result.queries) expect(q.equal, `${q.id}: ${q.detail}`).toBe(true);
    for (const q of result.candidate.queries) expect(q.result.success, `${q.def.id}: ${q.result.error?.message}`).toBe(true);
  });

  it('returns a failed query, not an exception, for a missing table', async () => {
    const r = await engine.execute('SELECT * FROM lakehouse.silver.no_such_table', { timeoutSeconds: 60 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/no_such_table|TABLE_OR_VIEW_NOT_FOUND/i);
  });

  it('throughput: two streams run concurrently, each in its own HiveServer2 session', async () => {
    await expectConcurrentStreams(engine);
  });

  it('flushes with CLEAR CACHE and REFRESH TABLE on both tables', async () => {
    const f = await engine.flush();
    expect(f.flushed.length).toBeGreaterThanOrEqual(3);
    expect(f.notFlushed.length).toBeGreaterThan(0);
  });
});
