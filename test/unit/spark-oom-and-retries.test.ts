// How a failing SparkApplication ends for the runner (runner/src/platforms/kubernetes/operator-retry.ts,
// spark-monitor.ts watchDecision, stage-result.ts): the Spark Operator v2.5.2's own retry rule
// (pkg/util ShouldRetry) decides whether FAILING and SUBMISSION_FAILED are the end; a retried failure
// is followed to its next attempt unless memory killed a container of it; and an OOM kill the runner
// saw is the stage's reason over the job's own (the job sees only the failed Spark action).
import { describe, expect, it } from 'vitest';
import { operatorWillRetry } from '../../runner/src/platforms/kubernetes/operator-retry.js';
import { watchDecision, type SparkApplicationEnd } from '../../runner/src/platforms/kubernetes/spark-monitor.js';
import { clusterStageResult } from '../../runner/src/platforms/kubernetes/stage-result.js';
import { sparkApplicationManifest } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { stageReport } from '../../runner/src/model/stage-report.js';
import { clusterConfig } from '../kubernetes/plan-configs.js';

const app = (state: string, status: Record<string, number> = {}, restartPolicy: Record<string, unknown> | null = { type: 'OnFailure', onFailureRetries: 2, onSubmissionFailureRetries: 2 }) => ({
  metadata: { name: 'lakebench-silver-build' },
  spec: { type: 'Python', ...(restartPolicy ? { restartPolicy } : {}) },
  status: { applicationState: { state }, ...status },
});

describe('the operator’s retry rule (v2.5.2 ShouldRetry)', () => {
  it('OnFailure retries FAILING while executionAttempts ≤ onFailureRetries, and no longer', () => {
    expect(operatorWillRetry(app('FAILING', { executionAttempts: 1 }))).toBe(true);
    expect(operatorWillRetry(app('FAILING', { executionAttempts: 2 }))).toBe(true);
    expect(operatorWillRetry(app('FAILING', { executionAttempts: 3 }))).toBe(false);
  });

  it('OnFailure retries SUBMISSION_FAILED by submissionAttempts against onSubmissionFailureRetries', () => {
    expect(operatorWillRetry(app('SUBMISSION_FAILED', { submissionAttempts: 1 }, { type: 'OnFailure', onSubmissionFailureRetries: 1 }))).toBe(true);
    expect(operatorWillRetry(app('SUBMISSION_FAILED', { submissionAttempts: 2 }, { type: 'OnFailure', onSubmissionFailureRetries: 1 }))).toBe(false);
    // onFailureRetries says nothing about submissions.
    expect(operatorWillRetry(app('SUBMISSION_FAILED', { submissionAttempts: 1 }, { type: 'OnFailure', onFailureRetries: 5 }))).toBe(false);
  });

  it('Never (the default, or no policy at all) never retries; Always always does; FAILED and other states are never retried', () => {
    expect(operatorWillRetry(app('FAILING', { executionAttempts: 1 }, { type: 'Never' }))).toBe(false);
    expect(operatorWillRetry(app('FAILING', { executionAttempts: 1 }, null))).toBe(false);
    expect(operatorWillRetry(app('FAILING', { executionAttempts: 9 }, { type: 'Always' }))).toBe(true);
    for (const state of ['FAILED', 'COMPLETED', 'RUNNING', 'INVALIDATING', 'PENDING_RERUN']) expect(operatorWillRetry(app(state, { executionAttempts: 1 })), state).toBe(false);
    expect(operatorWillRetry('not an object')).toBe(false);
  });

  it('the runner’s own batch SparkApplications are retried twice, so their first FAILING is not their end', () => {
    const { manifest } = sparkApplicationManifestFor('silver-build');
    expect(operatorWillRetry({ ...manifest, status: { applicationState: { state: 'FAILING' }, executionAttempts: 1 } })).toBe(true);
    expect(operatorWillRetry({ ...manifest, status: { applicationState: { state: 'FAILING' }, executionAttempts: 3 } })).toBe(false);
  });
});

describe('when the monitor stops watching', () => {
  it('a success or a failure without retry ends it; a retried failure is followed; a retried failure after an OOM kill ends the retries', () => {
    expect(watchDecision('COMPLETED', false, false)).toBe('ended');
    expect(watchDecision('SUCCEEDING', false, true)).toBe('ended');
    expect(watchDecision('FAILED', false, true)).toBe('ended');
    expect(watchDecision('FAILING', false, false)).toBe('ended');
    expect(watchDecision('FAILING', true, false)).toBe('watch');
    expect(watchDecision('SUBMISSION_FAILED', true, false)).toBe('watch');
    expect(watchDecision('FAILING', true, true)).toBe('stop-retries');
    // The kill reached the runner after FAILING: the rerun is stopped before it starts.
    expect(watchDecision('PENDING_RERUN', false, true)).toBe('stop-retries');
    expect(watchDecision('PENDING_RERUN', false, false)).toBe('watch');
    expect(watchDecision('RUNNING', false, true)).toBe('watch');
    expect(watchDecision(undefined, false, false)).toBe('watch');
  });
});

describe('the stage reason when memory killed a container of the application', () => {
  const failedDoc = (reason: 'ERROR' | 'STORAGE') =>
    stageReport('bronze-verify', '20260115-100000-3fa9c2', 'spark', new Date('2026-01-15T10:00:00Z'), {
      status: 'failed',
      error: { reason, message: 'Job aborted due to stage failure: Task 0 in stage 1.0 failed 4 times: ExecutorLostFailure (executor 4 exited caused by one of the running tasks) Reason: The executor with id 4 exited with exit code 137(SIGKILL, possible container OOM).' },
    });
  const oomEnd: SparkApplicationEnd = {
    application: 'lakebench-bronze-verify',
    state: 'FAILING',
    submitted_at: '2026-01-15T10:00:05Z',
    driver_pod: 'lakebench-bronze-verify-driver',
    queue_seconds: 25,
    driver_started_at: '2026-01-15T10:00:30Z',
    driver_finished_at: '2026-01-15T10:03:30Z',
    driver_exit_code: 1,
    reason: 'OOMKilled',
    log_tail: null,
    succeeded: false,
    message: 'ended FAILING; driver Error (exit code 1); executor pods OOMKilled: lakebench-bronze-verify-abc-exec-1, lakebench-bronze-verify-abc-exec-2',
    watch: { app: null, pods: null },
  };
  const now = new Date('2026-01-15T10:05:00Z');

  it('the job’s catch-all ERROR becomes OOMKilled, naming the killed executor pods, with the job’s own words kept', () => {
    const result = clusterStageResult(failedDoc('ERROR'), oomEnd, now, now);
    expect(result.status).toBe('failed');
    expect(result.error?.reason).toBe('OOMKilled');
    expect(result.error?.message).toContain('executor pods OOMKilled: lakebench-bronze-verify-abc-exec-1, lakebench-bronze-verify-abc-exec-2');
    expect(result.error?.message).toContain('exit code 137(SIGKILL, possible container OOM)');
  });

  it('the job’s STORAGE for an input read that failed after the kills (seen on the node) becomes OOMKilled too; without an OOM kill the job’s reason stays', () => {
    expect(clusterStageResult(failedDoc('STORAGE'), oomEnd, now, now).error?.reason).toBe('OOMKilled');
    expect(clusterStageResult(failedDoc('STORAGE'), { ...oomEnd, reason: 'FAILED' }, now, now).error?.reason).toBe('STORAGE');
    const plainFailure = { ...oomEnd, reason: 'FAILED' as const, message: 'ended FAILED; driver Error (exit code 1)' };
    expect(clusterStageResult(failedDoc('ERROR'), plainFailure, now, now).error).toEqual(failedDoc('ERROR').error);
  });
});

function sparkApplicationManifestFor(job: 'silver-build') {
  return sparkApplicationManifest({
    settings: clusterSettings(clusterConfig('hive-iceberg')),
    job,
    runId: '20260115-100000-3fa9c2',
    scale: 0.01,
    scriptsConfigMap: 'lakebench-spark-scripts-abc',
    jobConfigMap: 'lakebench-job-silver-build',
  });
}
