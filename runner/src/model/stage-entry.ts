// Turns what a stage reported (or, when it died, what the runner observed) into a stages[] entry
// with the requested resources the scorecard needs.
import type { StageEntry, StageName } from './metrics.js';
import { NO_STAGE_FIGURES, stageFigures, type StageReport } from './stage-report.js';
import type { StageResources } from './stage-resources.js';

const GB = 2 ** 30;

type Engine = StageEntry['engine'];

export function entryFromReport(report: StageReport, res: StageResources): StageEntry {
  const elapsed = (Date.parse(report.end_time) - Date.parse(report.start_time)) / 1000;
  // What a cluster platform observed around the stage (platforms/kubernetes/stage-result.ts).
  const seen = report.extras.kubernetes;
  return {
    name: report.stage,
    type: 'batch',
    engine: report.engine,
    status: report.status,
    start_time: report.start_time,
    end_time: report.end_time,
    elapsed_seconds: elapsed,
    queue_seconds: seen?.queue_seconds ?? null,
    engine_elapsed_seconds: report.engine_elapsed_seconds,
    ...stageFigures(report),
    throughput_gb_per_second: report.input_bytes !== null && elapsed > 0 ? report.input_bytes / GB / elapsed : null,
    throughput_rows_per_second: report.input_rows !== null && elapsed > 0 ? report.input_rows / elapsed : null,
    ...requested(res, elapsed),
    extras: report.extras,
    error: report.error ? { message: report.error.message, reason: report.error.reason, log_tail: seen?.log_tail ?? null } : null,
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
    ...NO_STAGE_FIGURES,
    throughput_gb_per_second: null,
    throughput_rows_per_second: null,
    ...requested(res, elapsed),
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
