// Turns what a stage reported (or, when it died, what the runner observed) into a stages[] entry
// with the requested resources the scorecard needs.
import type { StageEntry, StageName } from './metrics.js';
import type { StageReport } from './stage-report.js';
import type { StageResources } from './stage-resources.js';

const GB = 2 ** 30;

type Engine = StageEntry['engine'];

/** What a cluster platform observed around a stage (stage-runner.ts), kept in the report's extras. */
function observed(extras: Record<string, unknown>): { queue_seconds?: number; log_tail?: string } {
  const k = extras.kubernetes;
  if (!k || typeof k !== 'object') return {};
  const { queue_seconds, log_tail } = k as { queue_seconds?: unknown; log_tail?: unknown };
  return { queue_seconds: typeof queue_seconds === 'number' ? queue_seconds : undefined, log_tail: typeof log_tail === 'string' ? log_tail : undefined };
}

export function entryFromReport(report: StageReport, res: StageResources): StageEntry {
  const elapsed = (Date.parse(report.end_time) - Date.parse(report.start_time)) / 1000;
  const seen = observed(report.extras);
  return {
    name: report.stage,
    type: 'batch',
    engine: report.engine,
    status: report.status,
    start_time: report.start_time,
    end_time: report.end_time,
    elapsed_seconds: elapsed,
    queue_seconds: seen.queue_seconds ?? null,
    engine_elapsed_seconds: report.engine_elapsed_seconds,
    input_bytes: report.input_bytes,
    output_bytes: report.output_bytes,
    input_rows: report.input_rows,
    output_rows: report.output_rows,
    throughput_gb_per_second: report.input_bytes !== null && elapsed > 0 ? report.input_bytes / GB / elapsed : null,
    throughput_rows_per_second: report.input_rows !== null && elapsed > 0 ? report.input_rows / elapsed : null,
    ...requested(res, elapsed),
    files_read: report.files_read,
    files_written: report.files_written,
    commit_seconds: report.commit_seconds,
    strategy: report.strategy,
    skew_factor: report.skew_factor,
    reference_date: report.reference_date,
    validation: report.validation,
    self_checks: report.self_checks,
    extras: report.extras,
    error: report.error ? { message: report.error.message, reason: report.error.reason, log_tail: seen.log_tail ?? null } : null,
    // A stage that ended without its own document is reported by what the runner saw.
    metrics_source: report.extras.metrics_source === 'runner-observed' ? 'runner-observed' : 'stage-report',
  };
}

/** An entry for a stage that ended without its own document, or for runner-side work. */
export function observedEntry(
  name: StageName,
  engine: Engine,
  start: Date,
  end: Date,
  status: StageEntry['status'],
  res: StageResources,
  fields: Partial<StageEntry> = {},
): StageEntry {
  const elapsed = (end.getTime() - start.getTime()) / 1000;
  return {
    name,
    type: name === 'datagen' ? 'datagen' : name === 'benchmark' ? 'query' : name === 'maintenance' ? 'maintenance' : 'batch',
    engine,
    status,
    start_time: start.toISOString(),
    end_time: end.toISOString(),
    elapsed_seconds: elapsed,
    queue_seconds: null,
    engine_elapsed_seconds: null,
    input_bytes: null,
    output_bytes: null,
    input_rows: null,
    output_rows: null,
    throughput_gb_per_second: null,
    throughput_rows_per_second: null,
    ...requested(res, elapsed),
    files_read: null,
    files_written: null,
    commit_seconds: null,
    strategy: null,
    skew_factor: null,
    reference_date: null,
    validation: null,
    self_checks: null,
    extras: {},
    error: null,
    metrics_source: 'runner-observed',
    ...fields,
  };
}

function requested(res: StageResources, elapsed: number) {
  return {
    executor_count: res.executors,
    executor_cores: res.cores,
    executor_memory_gb: res.memoryGb,
    cpu_seconds_requested: res.executors * res.cores * elapsed,
    memory_gb_requested: res.executors * res.memoryGb,
  };
}
