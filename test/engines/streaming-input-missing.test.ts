// A continuous-mode Spark job whose input never comes fails with INPUT_MISSING (docs/pipeline.md
// §8.1.1): bronze-ingest (spark-scripts/bronze_ingest.py), run for real with spark-submit on MinIO
// and the document the cluster platform submits, polls an empty landing prefix for its wait (3 s
// here), then ends with exit 1 and a job report that says `stopped_by: failed` with the reason and
// the prefix it waited on, long before its duration. The wait is decided inside the job after its
// SparkSession exists (the landing prefix is listed through Spark's S3A file system), so this costs
// one Spark JVM (about 50 s with MinIO on this machine); no catalog is started, as the job fails
// before it would use one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobReportSchema } from '../../runner/src/model/streaming-job-report.js';
import { JOB_FAILURE_REASONS } from '../../runner/src/model/stage-reasons.js';
import { STREAMING_JOB_DEFINITIONS } from '../../runner/src/platforms/kubernetes/streaming/streaming-jobs.js';
import { streamingJobDocument } from '../../runner/src/platforms/kubernetes/streaming/streaming-job-document.js';
import type { ClusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { s3Client } from '../harness/engines/s3.js';
import { startPySpark } from '../harness/engines/spark-background.js';
import { BUCKETS, generateBronze, SCRIPTS, startSparkStack, type Bronze, type SparkStack } from './fixtures/spark-stack.js';

const WAIT_SECONDS = 3;
const DURATION_SECONDS = 900;

let stack: SparkStack | undefined;
let bronze: Bronze | undefined;
let scratch: string | undefined;

async function getText(uri: string): Promise<string> {
  const m = /^s3a?:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m || !stack) throw new Error(`not an S3 URI, or no stack: ${uri}`);
  const client = s3Client(stack.minio);
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: m[1]!, Key: m[2]! }));
    return (await res.Body?.transformToString('utf8')) ?? '';
  } finally {
    client.destroy();
  }
}

describe('a streaming job whose input never comes', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'lakebench-input-missing-'));
    // The base set is only needed for the document (the landing's first index); nothing is uploaded.
    [stack, bronze] = await Promise.all([
      startSparkStack({ catalog: false }),
      generateBronze({ scale: 0.01, datagen: { fileSizeMb: 14, window: { start: '2025-11-01', end: '2025-12-01' } }, pipeline: { mode: 'continuous' } }),
    ]);
  });

  afterAll(async () => {
    await stack?.stop();
    for (const dir of [scratch, bronze?.output]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bronze-ingest with nothing under the landing prefix fails with INPUT_MISSING after its wait, not at its duration', async () => {
    if (!stack || !bronze || !scratch) throw new Error('setup did not finish');
    const def = STREAMING_JOB_DEFINITIONS.find((d) => d.job === 'bronze-ingest')!;
    const settings = {
      storage: { endpoint: stack.minio.endpoint, region: stack.minio.region, pathStyle: true },
      buckets: BUCKETS,
      catalog: { kind: 'rest', name: 'lakehouse', uri: 'http://127.0.0.1:9', warehouse: null, oauth2: null },
      tableFormat: 'iceberg',
    } as const satisfies Pick<ClusterSettings, 'storage' | 'buckets' | 'catalog' | 'tableFormat'>;
    const doc = streamingJobDocument(def, settings as ClusterSettings, {
      config: bronze.ctx.config, scale: 0.01, runId: bronze.ctx.runId, referenceDate: bronze.ctx.referenceDate, manifest: bronze.manifest, resources: { executors: 1, cores: 2 },
    });
    const file = path.join(scratch, 'bronze-ingest.json');
    writeFileSync(file, JSON.stringify({ ...doc, streaming: { ...doc.streaming, duration_seconds: DURATION_SECONDS, wait_seconds: WAIT_SECONDS, poll_seconds: 0.5 } }));
    const began = Date.now();
    const job = startPySpark(stack.spark, path.join(SCRIPTS, def.script), ['--config', file], { timeoutMs: DURATION_SECONDS * 1000, conf: { 'spark.driver.extraJavaOptions': '-XX:TieredStopAtLevel=1' } });
    const run = await job.done;
    const tookSeconds = (Date.now() - began) / 1000;
    expect(run.timedOut).toBe(false);
    expect(run.exitCode, run.stderr.slice(-3000)).toBe(1);
    // It gave up after the wait (plus a JVM's start), far from the 900 s its duration would have allowed.
    expect(tookSeconds).toBeLessThan(DURATION_SECONDS / 2);
    expect(run.stdout).toContain(`lakebench bronze-ingest: waiting for landed bronze file under ${doc.bronze.uri}`);
    const report = jobReportSchema.parse(JSON.parse(await getText(doc.metrics_uri)));
    expect(report).toMatchObject({ job: 'bronze-ingest', run_id: bronze.ctx.runId, batches: [], stopped_by: 'failed' });
    expect(report.error).toBe(`INPUT_MISSING: no landed bronze file under ${doc.bronze.uri} after waiting ${WAIT_SECONDS} s`);
    // A code the runner knows (model/stage-reasons.ts), so a report carrying it parses as a job failure.
    expect(JOB_FAILURE_REASONS).toContain(report.error!.split(':')[0]);
  });
});
