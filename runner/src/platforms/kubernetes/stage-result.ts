// A cluster stage's one result: the report its job left (or the runner's observed failure when it left
// none, spark-jobs/read-report.ts) combined with how its SparkApplication ended (spark-monitor.ts).
// Stage time is the driver container's own, not when the runner noticed (docs/pipeline.md §9.3).
import type { ClusterObservation, StageReport } from '../../model/stage-report.js';
import type { SparkApplicationEnd } from './spark-monitor.js';

/**
 * `report` is already judged (bronze-verify's gates are the runner's). `submitted` is when the runner
 * created the application, the start of last resort when neither the driver nor the application has
 * a time; `now` ends a stage whose driver never finished.
 */
export function clusterStageResult(report: StageReport, end: SparkApplicationEnd, submitted: Date, now: Date): StageReport {
  const { succeeded, message, watch: _watch, ...observed } = end satisfies ClusterObservation;
  const start = observed.driver_started_at ?? observed.submitted_at ?? submitted.toISOString();
  const finish = observed.driver_finished_at ?? now.toISOString();
  if (report.extras.metrics_source !== 'runner-observed') {
    // Spark's verdict wins over a document that claims success for an application that failed.
    const failed = report.status === 'failed' || !succeeded;
    const error = report.error ? oomOverJobReason(report.error, observed.reason, message) : failed ? { message: message ?? `${observed.application} ended ${observed.state}`, reason: observed.reason } : null;
    return { ...report, status: failed ? 'failed' : 'succeeded', start_time: start, end_time: finish, error, extras: { ...report.extras, kubernetes: observed } };
  }
  // No usable document: the failure as the runner saw it (docs/results.md §3.4, runner-observed).
  return {
    ...report,
    status: 'failed',
    start_time: new Date(start).toISOString(),
    end_time: finish,
    engine_elapsed_seconds: (Date.parse(finish) - Date.parse(start)) / 1000,
    error: { message: [message, report.error?.message].filter(Boolean).join('; '), reason: observed.reason ?? report.error?.reason ?? null },
    extras: { kubernetes: observed, metrics_source: 'runner-observed' },
  };
}

/**
 * A job whose containers the kernel killed for memory sees only the consequence (a Spark action that
 * fails after lost executors) and reports what it was doing: its catch-all ERROR, or STORAGE when the
 * action was reading its input (seen on the node: bronze-verify's manifest read). The kill the runner
 * saw is the reason of a failed stage then, with the job's own words kept in the message.
 */
function oomOverJobReason(error: NonNullable<StageReport['error']>, observedReason: ClusterObservation['reason'], observedMessage: string | null): NonNullable<StageReport['error']> {
  if (observedReason !== 'OOMKilled') return error;
  return { ...error, reason: 'OOMKilled', message: [observedMessage, error.message].filter(Boolean).join('; ') };
}
