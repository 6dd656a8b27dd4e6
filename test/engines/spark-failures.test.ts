// Failing Spark jobs, run for real: each must exit non-zero with its error inside its own metrics
// document, and when a job leaves no document the runner records a failure it observed itself. A job
// takes bronze's file list from the datagen manifest its document points at, and refuses a manifest
// that is absent (BRONZE_MISSING) or describes another dataset than the document (MANIFEST_MISMATCH).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageReportSchema } from '../../runner/src/model/stage-report.js';
import { readJobReport } from '../../runner/src/spark-jobs/read-report.js';
import { entryFromReport } from '../../runner/src/model/stage-entry.js';
import { freePort } from '../harness/ports.js';
import { bronzeManifestUri } from '../../runner/src/spark-jobs/job-config.js';
import { BUCKETS, jobSettings, runSparkStage, RESULTS_BUCKET } from './fixtures/spark-stack.js';
import { useSparkStack } from './fixtures/use-spark-stack.js';

const RESOURCES = { executors: 1, cores: 2, memoryGb: 1, driverCores: 0, driverMemoryGb: 1 };

// Only MinIO: bronze is generated locally and only its manifest is uploaded (no data files), and no
// catalog is running.
const ready = useSparkStack({ name: 'spark-failures', catalog: false, upload: 'manifest' });

describe('failing Spark jobs', () => {
  it('silver-build without a datagen manifest where the document points exits non-zero with BRONZE_MISSING naming it', async () => {
    const { stack: s, bronze: b, scratch: dir } = ready();
    const manifestUri = `s3a://${BUCKETS.bronze}/elsewhere/_manifest/manifest.json`;
    const { run, outcome } = await runSparkStage(s, 'silver-build', b.ctx, jobSettings(s, { metricsUri: path.join(dir, 'silver-no-manifest.json'), manifestUri }));
    expect(run.exitCode).toBe(1);
    if (outcome.extras.metrics_source === 'runner-observed') throw new Error(outcome.error?.message);
    const report = stageReportSchema.parse(outcome);
    expect(report.status).toBe('failed');
    expect(report.error?.reason).toBe('BRONZE_MISSING');
    expect(report.error?.message).toBe(`no datagen manifest at ${manifestUri}: bronze was not generated there, or its generation did not finish`);
    expect(report.output_rows).toBeNull();
  });

  it('bronze-verify whose document disagrees with the manifest in the bucket exits non-zero with MANIFEST_MISMATCH, before reading bronze', async () => {
    const { stack: s, bronze: b, scratch: dir } = ready();
    const { run, outcome, doc } = await runSparkStage(s, 'bronze-verify', b.ctx, jobSettings(s, { metricsUri: path.join(dir, 'bronze-mismatch.json') }), (d) => ({
      ...d,
      bronze: { ...d.bronze, manifest: { ...d.bronze.manifest, total_rows: d.bronze.manifest.total_rows + 1, fingerprint: 'sha256:another-dataset' } },
    }));
    expect(doc.bronze.manifest).toEqual({ uri: bronzeManifestUri(BUCKETS.bronze), files: b.manifest.totals.file_count, total_rows: b.manifest.totals.total_rows, total_bytes: b.manifest.totals.total_bytes, fingerprint: b.manifest.data_fingerprint });
    expect(run.exitCode).toBe(1);
    if (outcome.extras.metrics_source === 'runner-observed') throw new Error(outcome.error?.message);
    const report = stageReportSchema.parse(outcome);
    expect(report.status).toBe('failed');
    expect(report.error?.reason).toBe('MANIFEST_MISMATCH');
    const rows = b.manifest.totals.total_rows;
    expect(report.error?.message).toBe(
      `the datagen manifest ${bronzeManifestUri(BUCKETS.bronze)} is not the dataset this job was planned for: ` +
        `totals.total_rows is ${rows} in the manifest but ${rows + 1} in the job document; ` +
        `data_fingerprint is ${b.manifest.data_fingerprint} in the manifest but sha256:another-dataset in the job document`,
    );
    expect([report.input_rows, report.files_read, report.extras]).toEqual([null, null, { timings: { session: expect.any(Number) } }]);
  });

  it('silver-build with the manifest but no bronze files exits non-zero with BRONZE_MISSING in its metrics document', async () => {
    const { stack: s, bronze: b, scratch: dir } = ready();
    const { run, outcome } = await runSparkStage(s, 'silver-build', b.ctx, jobSettings(s, { metricsUri: path.join(dir, 'silver-missing.json') }));
    expect(run.exitCode).toBe(1);
    if (outcome.extras.metrics_source === 'runner-observed') throw new Error(outcome.error?.message);
    const report = stageReportSchema.parse(outcome);
    expect(report.status).toBe('failed');
    expect(report.error?.reason).toBe('BRONZE_MISSING');
    expect(report.error?.message).toContain('s3a://lakebench-bronze/customer/interactions/');
    expect(report.error?.message).toContain('PATH_NOT_FOUND');
    expect(report.output_rows).toBeNull();
  });

  it('gold-finalize against an unreachable catalog exits non-zero with a CATALOG error in its metrics document', async () => {
    const { stack: s, bronze: b } = ready();
    const uri = `http://127.0.0.1:${await freePort()}`; // nothing listens here
    const settings = jobSettings(s, { metricsUri: `s3a://${RESULTS_BUCKET}/failures/gold-bad-catalog.json`, catalog: { kind: 'rest', name: 'lakehouse', uri, warehouse: null, oauth2: null } });
    const { run, outcome } = await runSparkStage(s, 'gold-finalize', b.ctx, settings);
    expect(run.exitCode).toBe(1);
    if (outcome.extras.metrics_source === 'runner-observed') throw new Error(outcome.error?.message);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.reason).toBe('CATALOG');
    expect(outcome.error?.message).toMatch(/connect|refused|127\.0\.0\.1/i);
  });

  it('a job that cannot write its metrics document is a failure the runner observed', async () => {
    const { stack: s, bronze: b } = ready();
    const settings = jobSettings(s, { metricsUri: 's3a://no-such-bucket-lakebench/stages/bronze-verify.json' });
    const { run, outcome } = await runSparkStage(s, 'bronze-verify', b.ctx, settings);
    expect(run.exitCode).not.toBe(0);
    expect(outcome.extras.metrics_source).toBe('runner-observed');
    const entry = entryFromReport(outcome, RESOURCES);
    expect(entry).toMatchObject({ name: 'bronze-verify', engine: 'spark', status: 'failed', metrics_source: 'runner-observed' });
    expect(entry.error?.reason).toBe('STAGE_NO_METRICS');
  });

  it('exit code 0 without a document, or with another run\'s document, is still a runner-observed failure', async () => {
    const { stack: s, bronze: b, scratch: dir } = ready();
    const storage = { endpoint: s.minio.endpoint, region: s.minio.region, path_style: true };
    for (const metrics_uri of [path.join(dir, 'never-written.json'), `s3a://${RESULTS_BUCKET}/never-written.json`]) {
      const outcome = await readJobReport({ stage: 'gold-finalize', run_id: b.ctx.runId, metrics_uri, storage }, 0);
      expect(outcome).toMatchObject({ status: 'failed', extras: { metrics_source: 'runner-observed' }, error: { reason: 'STAGE_NO_METRICS' } });
    }
    // The document the bronze-missing test left belongs to this run's silver-build, not to gold-finalize.
    const other = await readJobReport({ stage: 'gold-finalize', run_id: b.ctx.runId, metrics_uri: path.join(dir, 'silver-missing.json'), storage }, 0);
    expect(other).toMatchObject({ status: 'failed', extras: { metrics_source: 'runner-observed' }, error: { reason: 'STAGE_BAD_METRICS' } });
  });
});
