// A streaming job asked to stop as a micro-batch ends (spark-scripts/lakebench_streaming.py supervise):
// the next batch refuses to start and ends the query while supervise still waits on the query, before
// it has looked at the stop request. That is the clean stop that was asked for, not a failure. Before
// the fix, the query's exception escaped supervise and the job reported `failed` (exit 1): seen in
// continuous-spark.test.ts when gold-refresh, whose refreshes overran their trigger, got SIGTERM right
// after a commit. A real PySpark 4.0.1 driver through spark-submit, the jobs' own Clock, guarded and
// supervise, and a real SIGTERM to the driver's Python process; the query supervise gets is the real
// one, wrapped only to note when supervise starts a wait on it, so the stop lands at that moment.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPySpark, sparkSubmitEnv } from '../harness/engines/spark.js';
import { SCRIPTS } from './fixtures/spark-stack.js';

const fixture = path.join(import.meta.dirname, 'fixtures', 'stop_race_job.py');
// No S3 or catalog is touched; the harness only needs an endpoint to render its settings.
const noS3 = { endpoint: 'http://127.0.0.1:9', accessKey: 'unused', secretKey: 'unused', region: 'us-east-1' };
// The drivers JIT-compile with C1 only: on a trivial job the JVM's start is most of its work.
const DRIVER_CONF = { 'spark.driver.extraJavaOptions': '-XX:TieredStopAtLevel=1' };

describe('a streaming job stopped as a micro-batch ends', () => {
  it('a batch refusing to start after the stop request ends the job as stopped by signal, not failed', async () => {
    const run = await runPySpark(sparkSubmitEnv({ s3: noS3, restCatalogUri: 'http://127.0.0.1:9' }), fixture, [SCRIPTS], DRIVER_CONF);
    // The race happened: the batch after the stop request refused to start.
    expect(run.stdout, run.stderr.slice(-3000)).toContain('REFUSED 1');
    expect(run.stdout, run.stderr.slice(-3000)).toContain('STOPPED signal');
    expect(run.exitCode).toBe(0);
  }, 300_000);
});
