// Reads the metrics document a Spark job wrote (local path or s3a:// URI) and decides what the run
// records, always as a stage report: the job's own, or, when there is none (or it is unusable), a
// failure the runner observed itself (docs/results.md §3.4: metrics_source runner-observed). Logs are
// never parsed.
import { readFile } from 'node:fs/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client, isMissingObject } from '../storage/s3-client.js';
import { stageReport, stageReportSchema, type StageReport } from '../model/stage-report.js';
import type { StageFailureReason } from '../model/stage-reasons.js';
import type { SparkJobConfig } from './job-config.js';

type Storage = SparkJobConfig['storage'];

/** The document's text, or undefined when nothing is there. Credentials: the AWS_* environment. */
export async function readMetricsText(uri: string, storage?: Storage): Promise<string | undefined> {
  const s3 = /^s3a?:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!s3) {
    try {
      return await readFile(uri.replace(/^file:\/\//, ''), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
  if (!storage) throw new Error(`reading ${uri} needs the S3 endpoint`);
  const client = createS3Client({ endpoint: storage.endpoint, region: storage.region, pathStyle: storage.path_style });
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: s3[1], Key: s3[2] }));
    return await res.Body?.transformToString('utf8');
  } catch (e) {
    if (isMissingObject(e)) return undefined;
    throw e;
  } finally {
    client.destroy();
  }
}

/**
 * What a finished job left behind, as the stage's report. `exitCode` is the driver's; a job that exits
 * 0 without a document, or with a document of another stage or run, is a failure all the same: a
 * failed report the runner wrote itself (`extras.metrics_source: 'runner-observed'`, timed now; a
 * platform that saw the job run puts its own times on it).
 */
export async function readJobReport(job: Pick<SparkJobConfig, 'stage' | 'run_id' | 'metrics_uri' | 'storage'>, exitCode: number | null): Promise<StageReport> {
  const exit = exitCode === null ? 'no exit code (killed or timed out)' : `exit code ${exitCode}`;
  const observed = (reason: StageFailureReason, message: string): StageReport =>
    stageReport(job.stage, job.run_id, 'spark', new Date(), { status: 'failed', error: { message: `${job.stage}: ${message}; ${exit}`, reason }, extras: { metrics_source: 'runner-observed' } });
  let text: string | undefined;
  try {
    text = await readMetricsText(job.metrics_uri, job.storage);
  } catch (e) {
    return observed('STAGE_NO_METRICS', `cannot read the metrics document ${job.metrics_uri}: ${(e as Error).message}`);
  }
  if (text === undefined) return observed('STAGE_NO_METRICS', `left no metrics document at ${job.metrics_uri}`);
  let parsed: ReturnType<typeof stageReportSchema.safeParse>;
  try {
    parsed = stageReportSchema.safeParse(JSON.parse(text));
  } catch (e) {
    return observed('STAGE_BAD_METRICS', `the metrics document is not JSON: ${(e as Error).message}`);
  }
  if (!parsed.success) return observed('STAGE_BAD_METRICS', `the metrics document does not match the stage report schema: ${parsed.error.message.slice(0, 500)}`);
  const report = parsed.data;
  if (report.stage !== job.stage || report.run_id !== job.run_id) {
    return observed('STAGE_BAD_METRICS', `the metrics document is for ${report.stage} of run ${report.run_id}, not this one`);
  }
  // A job cannot claim the runner's observation: that mark is the runner's alone.
  if (report.extras.metrics_source !== undefined) return observed('STAGE_BAD_METRICS', 'the metrics document sets extras.metrics_source, which only the runner writes');
  if (exitCode !== 0 && report.status === 'succeeded') {
    return { ...report, status: 'failed', error: { message: `the job reported success but ended with ${exit}`, reason: 'EXIT_CODE' } };
  }
  return report;
}
