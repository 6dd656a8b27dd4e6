// The Delta variant of the three continuous-mode PySpark jobs (tableFormat: delta: path-based tables
// under the layer buckets, as the batch Delta path of spark-stages.test.ts), run for real with the
// documents the cluster platform submits: every datagen file landed up front, the three jobs started
// together and stopped by SIGTERM once gold has refreshed from silver's last batch. bronze_raw, silver
// and gold must hold what the embedded stages make of the same files (row counts), and gold's Delta
// commit must carry the silver processing time it covered in its user metadata.
// In `npm test` (engines tier): 60 s on a quiet 2-core machine for the three Spark JVMs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { silverRowsExpected } from '../../runner/src/datagen/manifest.js';
import { jobReportSchema, type JobReport } from '../../runner/src/model/streaming-job-report.js';
import type { StreamingJob } from '../../runner/src/platforms/streaming.js';
import { SOURCE_MAX_PROCESSING_TS_KEY } from '../../runner/src/platforms/streaming.js';
import { STREAMING_JOB_DEFINITIONS } from '../../runner/src/platforms/kubernetes/streaming/streaming-jobs.js';
import { streamingJobDocument, type StreamingJobDocument } from '../../runner/src/platforms/kubernetes/streaming/streaming-job-document.js';
import type { ClusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { s3Client } from '../harness/engines/s3.js';
import { startPySpark, type BackgroundPySpark } from '../harness/engines/spark-background.js';
import { sleep } from '../harness/engines/process.js';
import { BUCKETS, SCRIPTS } from './fixtures/spark-stack.js';
import { useSparkStack, type SparkTestEnv } from './fixtures/use-spark-stack.js';

const LONG_SECONDS = 3600;
const PROGRESS_MS = 900_000;
const DRIVER_CONF = { 'spark.driver.extraJavaOptions': '-XX:TieredStopAtLevel=1' };
const JOBS = STREAMING_JOB_DEFINITIONS.map((d) => d.job);

function splitUri(uri: string): [string, string] {
  const m = /^s3a?:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw new Error(`not an S3 URI: ${uri}`);
  return [m[1]!, m[2]!];
}

describe('continuous mode: the Spark streaming jobs on Delta', () => {
  const docs = {} as Record<StreamingJob, StreamingJobDocument>;
  const jobs: Partial<Record<StreamingJob, BackgroundPySpark>> = {};
  const ended = new Set<BackgroundPySpark>();
  const embedded = { silver: 0, gold: 0 };
  // No catalog: Delta tables are path-based; the document's catalog URI leads nowhere, so a job that used it would fail.
  const ready: () => SparkTestEnv = useSparkStack({
    name: 'continuous-delta',
    catalog: false,
    bronze: { scale: 0.01, datagen: { fileSizeMb: 14, window: { start: '2025-11-01', end: '2025-12-01' } }, pipeline: { mode: 'continuous' }, continuous: { durationSeconds: LONG_SECONDS, triggers: { bronzeSeconds: 3, silverSeconds: 5, goldRefreshSeconds: 30 }, maxFilesPerTrigger: 10 } },
    setup: async ({ stack: s, bronze: b }) => {
      for (const stage of ['silver-build', 'gold-finalize'] as const) {
        const r = await b.platform.runStage(stage, b.ctx);
        expect(r.status, stage).toBe('succeeded');
        embedded[stage === 'silver-build' ? 'silver' : 'gold'] = r.output_rows ?? -1;
      }
      const settings = {
        storage: { endpoint: s.minio.endpoint, region: s.minio.region, pathStyle: true },
        buckets: BUCKETS,
        catalog: { kind: 'rest', name: 'lakehouse', uri: 'http://127.0.0.1:9', warehouse: null, oauth2: null },
        tableFormat: 'delta',
      } as const satisfies Pick<ClusterSettings, 'storage' | 'buckets' | 'catalog' | 'tableFormat'>;
      for (const def of STREAMING_JOB_DEFINITIONS) {
        docs[def.job] = streamingJobDocument(def, settings as ClusterSettings, {
          config: b.ctx.config, scale: 0.01, runId: b.ctx.runId, referenceDate: b.ctx.referenceDate, manifest: b.manifest, resources: { executors: 1, cores: 2 },
        });
      }
    },
    teardown: async () => {
      for (const j of Object.values(jobs)) if (!ended.has(j)) await j.signalPython('SIGTERM').then(() => j.done, () => undefined);
    },
  });

  async function getText(uri: string): Promise<string | null> {
    const [bucket, key] = splitUri(uri);
    const client = s3Client(ready().stack.minio);
    try {
      return (await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString('utf8')) ?? null;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchKey') return null;
      throw e;
    } finally {
      client.destroy();
    }
  }

  async function report(job: StreamingJob): Promise<JobReport | null> {
    const text = await getText(docs[job].metrics_uri);
    return text ? jobReportSchema.parse(JSON.parse(text)) : null;
  }

  /** Polls `probe`; fails at the timeout, or at once when one of `running` (jobs that must run meanwhile) has ended. */
  async function until(what: string, probe: () => Promise<boolean>, running: readonly StreamingJob[] = JOBS): Promise<void> {
    const deadline = Date.now() + PROGRESS_MS;
    while (!(await probe())) {
      const gone = Object.entries(jobs).find(([job, j]) => running.includes(job as StreamingJob) && ended.has(j));
      if (gone) throw new Error(`${gone[0]} ended while waiting for ${what}\n${gone[1].output().stdout.slice(-1500)}\n${gone[1].output().stderr.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${Object.values(jobs).map((j) => j.output().stderr.slice(-2500)).join('\n---\n')}`);
      await sleep(1000);
    }
  }

  it('bronze-ingest, silver-stream and gold-refresh on Delta: every landed row through the layers, gold commits carry what they covered', async () => {
    const { stack: s, bronze: b, scratch } = ready();
    const [bucket, prefix] = splitUri(docs['bronze-ingest'].bronze.uri);
    const client = s3Client(s.minio);
    try {
      for (const f of b.manifest.files) await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${f.key}`, Body: readFileSync(path.join(b.platform.warehouse.bronze, f.key)) }));
    } finally {
      client.destroy();
    }
    for (const job of JOBS) {
      const file = path.join(scratch, `${job}.json`);
      writeFileSync(file, JSON.stringify(docs[job]));
      const def = STREAMING_JOB_DEFINITIONS.find((d) => d.job === job)!;
      const started = startPySpark(s.spark, path.join(SCRIPTS, def.script), ['--config', file], { timeoutMs: 3_600_000, conf: DRIVER_CONF });
      void started.done.finally(() => ended.add(started)).catch(() => undefined);
      jobs[job] = started;
    }
    const keys = b.manifest.files.map((f) => f.key);
    await until('every landed file in bronze_raw', async () => {
      const files = new Set((await report('bronze-ingest'))?.batches.flatMap((x) => x.files ?? []));
      return keys.every((k) => files.has(k));
    });
    await until('every bronze row in silver', async () => ((await report('silver-stream'))?.batches.reduce((n, x) => n + x.rows, 0) ?? 0) >= silverRowsExpected(b.manifest));
    expect(await jobs['silver-stream']!.signalPython('SIGTERM')).toBe(true);
    const silverDone = Math.max(...(await report('silver-stream'))!.batches.map((x) => Date.parse(x.committed_at)));
    await until('a gold refresh started after silver\'s last batch', async () => ((await report('gold-refresh'))?.batches ?? []).some((x) => Date.parse(x.started_at) > silverDone), ['bronze-ingest', 'gold-refresh']);
    for (const job of ['bronze-ingest', 'gold-refresh'] as const) expect(await jobs[job]!.signalPython('SIGTERM')).toBe(true);

    const reports = {} as Record<StreamingJob, JobReport>;
    for (const job of JOBS) {
      const run = await jobs[job]!.done;
      expect(run.exitCode, `${job}\n${run.stderr.slice(-4000)}`).toBe(0);
      reports[job] = (await report(job))!;
      expect(reports[job].stopped_by, job).toBe('signal');
      expect(reports[job].error, job).toBeUndefined();
    }
    expect(reports['bronze-ingest'].batches.reduce((n, x) => n + x.rows, 0)).toBe(b.manifest.totals.total_rows);
    expect(reports['silver-stream'].batches.reduce((n, x) => n + x.rows, 0)).toBe(embedded.silver);
    expect(reports['gold-refresh'].batches.at(-1)!.rows).toBe(embedded.gold);

    // Gold's Delta log, in the gold bucket: its last commit names the silver processing time it covered.
    const [goldBucket, goldKey] = splitUri(docs['gold-refresh'].tables.gold.location!);
    const logClient = s3Client(s.minio);
    try {
      const listed = await logClient.send(new ListObjectsV2Command({ Bucket: goldBucket, Prefix: `${goldKey}/_delta_log/` }));
      const commits = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => k.endsWith('.json')).sort();
      expect(commits.length).toBeGreaterThan(0);
      const last = (await getText(`s3a://${goldBucket}/${commits.at(-1)!}`))!;
      const info = last.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { commitInfo?: { userMetadata?: string } }).find((a) => a.commitInfo)?.commitInfo;
      expect(info?.userMetadata).toContain(SOURCE_MAX_PROCESSING_TS_KEY);
    } finally {
      logClient.destroy();
    }
  }, 2_400_000);
});
