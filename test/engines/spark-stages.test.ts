// The three PySpark jobs run for real (spark-submit, local[2]) on bronze from the project's datagen in
// MinIO, writing Iceberg tables through the REST catalog, and must produce what the embedded DuckDB
// stages produce on the same bronze: equal bronze-verify observations, equal silver and gold (row
// counts, per-column profiles of every column but silver_processing_timestamp, whole sampled silver
// rows, all of gold). Then the Delta writing path, whose row counts must equal the Iceberg ones.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageReportSchema, type BatchStage, type StageReport } from '../../runner/src/model/stage-report.js';
import { SILVER_COLUMNS } from '../../runner/src/sql/silver.js';
import { GOLD_COLUMNS } from '../../runner/src/sql/gold.js';
import { silverRowsExpected } from '../../runner/src/datagen/manifest.js';
import { judgeSparkBronze } from '../../runner/src/spark-jobs/bronze-judge.js';
import type { LakebenchConfig } from '../../runner/src/config/schema.js';
import type { SparkJobSettings } from '../../runner/src/spark-jobs/job-config.js';
import { downloadPrefix, jobSettings, runSparkStage, RESULTS_BUCKET, type StageRun } from './fixtures/spark-stack.js';
import { useSparkStack } from './fixtures/use-spark-stack.js';
import { embeddedTable, openComparer, sparkTable, type Comparer } from './fixtures/spark-compare.js';

const COMPARED_SILVER = SILVER_COLUMNS.filter((c) => c !== 'silver_processing_timestamp');
const SAMPLE_MOD = 53; // rows with id ≡ 0 (mod 53): ≈ 480 of 25,565, spread over every file and day

let comparer: Comparer | undefined;
const embedded: Partial<Record<BatchStage, StageReport>> = {};

const sparkEnv = useSparkStack({
  name: 'spark-stages',
  catalog: true,
  upload: 'all',
  setup: async ({ bronze: b }) => {
    for (const stage of ['bronze-verify', 'silver-build', 'gold-finalize'] as const) embedded[stage] = await b.platform.runStage(stage, b.ctx);
    comparer = await openComparer(b.platform.warehouse.root);
  },
  teardown: () => comparer?.close(),
});

function ready() {
  const env = sparkEnv();
  if (!comparer) throw new Error('setup did not finish');
  return { ...env, comparer };
}

/** Runs a stage and insists it succeeded with a schema-valid metrics document of its own. */
async function sparkStage(stage: BatchStage, settings: Partial<SparkJobSettings> = {}, metricsUri?: string, silver: Partial<LakebenchConfig['silver']> = {}): Promise<StageReport> {
  const { stack: s, bronze: b, scratch: dir } = ready();
  const ctx = { ...b.ctx, config: { ...b.ctx.config, silver: { ...b.ctx.config.silver, ...silver } } };
  const run: StageRun = await runSparkStage(s, stage, ctx, jobSettings(s, { metricsUri: metricsUri ?? path.join(dir, `${stage}-${Date.now()}.json`), ...settings }));
  if (run.outcome.extras.metrics_source === 'runner-observed') throw new Error(`no metrics document: ${run.outcome.error?.message}\n${run.run.stderr.slice(-3000)}`);
  expect(run.run.exitCode, run.outcome.error?.message ?? run.run.stderr.slice(-3000)).toBe(0);
  const report = stageReportSchema.parse(run.outcome);
  expect(report.engine).toBe('spark');
  return report;
}

/** The current Iceberg metadata of a table, straight from the REST catalog. */
async function icebergTable(ns: string, table: string) {
  const res = await fetch(`${ready().stack.rest?.uri}/v1/namespaces/${ns}/tables/${table}`);
  expect(res.status).toBe(200);
  type Snapshot = { 'snapshot-id': number; summary: Record<string, string> };
  const m = ((await res.json()) as { metadata: { location: string; properties: Record<string, string>; 'partition-specs': unknown; 'current-snapshot-id': number; snapshots: Snapshot[] } }).metadata;
  const current = m.snapshots.find((x) => x['snapshot-id'] === m['current-snapshot-id']);
  return { location: m.location, properties: m.properties, specs: m['partition-specs'], currentSnapshot: m['current-snapshot-id'], totalRecords: current?.summary['total-records'] };
}

async function downloadTable(location: string, into: string): Promise<string[]> {
  const m = /^s3a?:\/\/([^/]+)\/(.+)$/.exec(location);
  if (!m) throw new Error(`unexpected table location ${location}`);
  return downloadPrefix(ready().stack.minio, m[1]!, `${m[2]}/data/`, path.join(ready().scratch, into));
}

describe('Spark stages against the embedded stages on the same bronze', () => {

  it('bronze-verify: the runner judges Spark\'s observations exactly as the embedded stage judged its own', async () => {
    const { bronze: b } = ready();
    const report = await sparkStage('bronze-verify');
    expect(report.validation).toBeNull(); // the job observes; the runner judges
    const judged = judgeSparkBronze(report, b.manifest, b.ctx.config.quality.thresholds);
    const duck = embedded['bronze-verify']!;
    expect(duck.status).toBe('succeeded');
    expect(judged.status).toBe('succeeded');
    expect(judged.validation).toEqual(duck.validation);
    expect(judged.validation?.map((c) => c.name)).toHaveLength(11);
    expect([report.input_rows, report.input_bytes, report.files_read]).toEqual([duck.input_rows, duck.input_bytes, duck.files_read]);
    for (const k of ['columns', 'rows_by_interaction_type', 'rows_by_channel']) expect(report.extras[k], k).toEqual(duck.extras[k]);
    // The file list came from the datagen manifest in the bronze bucket, not from the document.
    expect(report.extras.manifest).toEqual({ uri: 's3a://lakebench-bronze/customer/_manifest/manifest.json', files: b.manifest.files.length, fingerprint: b.manifest.data_fingerprint });
    expect(report.files_read).toBe(b.manifest.files.length);
  });

  it('silver-build: the Iceberg table equals the embedded silver, hash-distributed within the files bound', async () => {
    const { bronze: b, comparer: c } = ready();
    // Metrics to an s3a:// URI this time: the runner reads it back from MinIO.
    const report = await sparkStage('silver-build', {}, `s3a://${RESULTS_BUCKET}/runs/${b.ctx.runId}/stages/silver-build.json`);
    const duck = embedded['silver-build']!;
    expect(report.output_rows).toBe(silverRowsExpected(b.manifest));
    expect(report.output_rows).toBe(duck.output_rows);
    expect(report.strategy).toBe('simple'); // scale 0.01: far below 100 GB, skew ≈ 20 < 100
    expect(report.skew_factor).toBeCloseTo(duck.skew_factor!, 9);
    expect(report.extras.sample_rows).toBe(duck.extras.sample_rows);
    expect(report.reference_date).toBe(b.ctx.referenceDate);
    // One file per day: hash distribution by interaction_date, each day far below the target size.
    expect(report.extras.expected_files).toBe(730);
    expect(report.files_written).toBe(730);
    expect(report.extras.files_bound_exceeded).toBe(false);
    expect(report.commit_seconds).toBeGreaterThanOrEqual(0);

    const table = await icebergTable('silver', 'customer_interactions_enriched');
    expect(table.properties).toMatchObject({
      'write.format.default': 'parquet',
      'write.parquet.compression-codec': 'snappy',
      'write.target-file-size-bytes': String(128 * 2 ** 20),
      'write.distribution-mode': 'hash',
      'lakebench.reference-date': b.ctx.referenceDate,
    });
    expect(JSON.stringify(table.specs)).toContain('"transform":"identity"');

    const files = await downloadTable(table.location, 'spark-silver');
    expect(files).toHaveLength(730); // a fresh catalog: the data folder holds exactly this table
    await c.addSparkTable('silver', files);
    const [spark, emb] = [sparkTable('silver'), embeddedTable('silver')];
    expect(await c.count(spark)).toBe(report.output_rows);
    expect(await c.schema(spark)).toEqual(await c.schema(emb));
    const sparkProfile = await c.profile(spark, COMPARED_SILVER);
    const embeddedProfile = await c.profile(emb, COMPARED_SILVER);
    for (const col of COMPARED_SILVER) expect(sparkProfile[col], col).toEqual(embeddedProfile[col]);
    const sample = await c.rows(spark, COMPARED_SILVER, `id % ${SAMPLE_MOD} = 0`, 'id');
    expect(sample.length).toBeGreaterThan(400);
    expect(sample).toEqual(await c.rows(emb, COMPARED_SILVER, `id % ${SAMPLE_MOD} = 0`, 'id'));
  });

  it('gold-finalize: the Iceberg table equals the embedded gold in full, one file, self-checks passed', async () => {
    const { comparer: c } = ready();
    const report = await sparkStage('gold-finalize');
    const duck = embedded['gold-finalize']!;
    expect(report.status).toBe('succeeded');
    expect(report.output_rows).toBe(730);
    expect(report.input_rows).toBe(duck.input_rows);
    expect(report.files_written).toBe(1);
    expect(report.self_checks).toEqual(duck.self_checks);

    const table = await icebergTable('gold', 'customer_executive_dashboard');
    const files = await downloadTable(table.location, 'spark-gold');
    expect(files).toHaveLength(1);
    await c.addSparkTable('gold', files);
    const [spark, emb] = [sparkTable('gold'), embeddedTable('gold')];
    expect(await c.schema(spark)).toEqual(await c.schema(emb));
    const all = await c.rows(spark, GOLD_COLUMNS, 'true', 'interaction_date');
    expect(all).toHaveLength(730);
    expect(all).toEqual(await c.rows(emb, GOLD_COLUMNS, 'true', 'interaction_date'));
  });

  it('the Delta writing path (salted strategy forced): path-based tables under the layer buckets, same row counts as Iceberg', async () => {
    const silver = await sparkStage('silver-build', { tableFormat: 'delta' }, undefined, { strategy: 'salted' });
    expect(silver.strategy).toBe('salted');
    expect(silver.extras.hot_customers).toBeGreaterThan(0); // scale 0.01: skew ≈ 20, so some ids exceed 10 × the mean
    expect(silver.extras.salt_partitions).toBe(10); // clamp(106 MB × 0.3 ÷ 256, 10, 5000)
    expect(silver.extras.table).toBe('delta.`s3a://lakebench-silver/delta/silver/customer_interactions_enriched`');
    expect(silver.output_rows).toBe(embedded['silver-build']!.output_rows);
    expect(silver.extras.expected_files).toBe(730);
    expect(silver.extras.files_bound_exceeded).toBe(false);
    const gold = await sparkStage('gold-finalize', { tableFormat: 'delta' });
    expect(gold.status).toBe('succeeded');
    expect(gold.input_rows).toBe(silver.output_rows);
    expect(gold.output_rows).toBe(730);
    expect(gold.files_written).toBe(1);
    expect(gold.self_checks?.every((s) => s.passed)).toBe(true);
    // The Delta log really is in MinIO, in the gold layer's bucket.
    const log = await downloadPrefix(ready().stack.minio, 'lakebench-gold', 'delta/gold/customer_executive_dashboard/_delta_log/', path.join(ready().scratch, 'delta-log'), '.json');
    expect(log.length).toBeGreaterThan(0);
  });

  it('chunked: one append per chunk, and a restart of the same run skips the chunks already committed', async () => {
    const { bronze: b } = ready();
    // 6 bronze files of ≈ 18.5 MB in chunks of ≤ 0.04 GiB: 3 chunks of 2 files.
    const chunked = { strategy: 'chunked', chunkSizeGb: 0.04 } as const;
    const first = await sparkStage('silver-build', {}, undefined, chunked);
    expect(first).toMatchObject({ strategy: 'chunked', output_rows: silverRowsExpected(b.manifest), files_read: 6 });
    expect(first.extras).toMatchObject({ chunks: 3, chunks_skipped: [] });
    expect(first.extras.snapshots).toHaveLength(3);
    // Every chunk meets every day, so each day has 3 small files: more than the §4.3 bound allows.
    expect(first.files_written).toBe(3 * 730);
    expect(first.extras.files_bound_exceeded).toBe(true);
    expect(first.extras.warnings).toHaveLength(1);
    const before = await icebergTable('silver', 'customer_interactions_enriched');

    const again = await sparkStage('silver-build', {}, undefined, chunked);
    expect(again.extras).toMatchObject({ chunks: 3, chunks_skipped: [0, 1, 2], snapshots: [] });
    expect(again.output_rows).toBe(0);
    const after = await icebergTable('silver', 'customer_interactions_enriched');
    expect(after.currentSnapshot).toBe(before.currentSnapshot);
    expect(after.totalRecords).toBe(String(silverRowsExpected(b.manifest)));
  });
});
