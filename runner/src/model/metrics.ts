// metrics.json, schema version 1.x (docs/results.md §2–3). Written by the runner, read back by
// `lakebench report`, `results` and `compare`; the report renders from this document alone.
import { z } from 'zod';

export const METRICS_SCHEMA_VERSION = '1.0';
/**
 * The version of the eight queries of sql/queries.ts (their text, order and expected answers), part
 * of the measurement fingerprint: bump it whenever a query changes, so runs measured with other
 * queries are never compared as like with like.
 */
export const QUERY_SET_VERSION = '1.0';

const nullableNumber = z.number().nullable();

export const verdictReasonSchema = z.object({
  code: z.string(),
  severity: z.enum(['FAILED', 'WARNING']),
  message: z.string(),
  source: z.string(),
});
export const verdictSchema = z.object({
  status: z.enum(['PASSED', 'WARNING', 'FAILED']),
  reasons: z.array(verdictReasonSchema),
});
export type Verdict = z.infer<typeof verdictSchema>;
export type VerdictReason = z.infer<typeof verdictReasonSchema>;

export const validationCheckSchema = z.object({
  name: z.string(),
  status: z.enum(['PASS', 'WARN', 'FAIL']),
  observed: z.number().nullable(),
  expected: z.number().nullable(),
  threshold: z.number().nullable(),
  mode: z.enum(['fail', 'warn']),
  detail: z.string(),
});
export type ValidationCheck = z.infer<typeof validationCheckSchema>;

export const stageNameSchema = z.enum(['datagen', 'bronze-verify', 'silver-build', 'gold-finalize', 'maintenance', 'benchmark']);
export type StageName = z.infer<typeof stageNameSchema>;

export const stageEntrySchema = z.object({
  name: stageNameSchema,
  type: z.enum(['datagen', 'batch', 'maintenance', 'query']),
  engine: z.enum(['spark', 'duckdb', 'trino', 'spark-thrift', 'datagen']),
  status: z.enum(['succeeded', 'failed', 'skipped']),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  elapsed_seconds: z.number(),
  queue_seconds: z.number().nullable(),
  engine_elapsed_seconds: z.number().nullable(),
  input_bytes: z.number().int().nullable(),
  output_bytes: z.number().int().nullable(),
  input_rows: z.number().int().nullable(),
  output_rows: z.number().int().nullable(),
  throughput_gb_per_second: nullableNumber,
  throughput_rows_per_second: nullableNumber,
  executor_count: z.number().int(),
  executor_cores: z.number(),
  executor_memory_gb: z.number(),
  cpu_seconds_requested: z.number(),
  memory_gb_requested: z.number(),
  files_read: z.number().int().nullable(),
  files_written: z.number().int().nullable(),
  commit_seconds: nullableNumber,
  strategy: z.string().nullable(),
  skew_factor: nullableNumber,
  reference_date: z.string().nullable(),
  validation: z.array(validationCheckSchema).nullable(),
  self_checks: z.array(z.object({ name: z.string(), passed: z.boolean(), expected: z.union([z.number(), z.string()]).nullable(), observed: z.union([z.number(), z.string()]).nullable() })).nullable(),
  extras: z.record(z.string(), z.unknown()),
  error: z.object({ message: z.string(), reason: z.string().nullable(), log_tail: z.string().nullable() }).nullable(),
  metrics_source: z.enum(['stage-report', 'runner-observed']),
});
export type StageEntry = z.infer<typeof stageEntrySchema>;

// The query result schemas live in query-result.ts (the continuous block uses them too, without a cycle).
export { queryCheckSchema, queryClassSchema, queryResultSchema, type QueryCheck, type QueryClass, type QueryResult } from './query-result.js';
import { queryClassSchema, queryResultSchema } from './query-result.js';
import { continuousBlockSchema } from './continuous-metrics.js';

export const benchmarkSchema = z.object({
  engine: z.object({ type: z.string(), version: z.string() }),
  mode: z.enum(['power', 'throughput', 'composite']),
  streams: z.number().int(),
  iterations: z.number().int(),
  seed: z.number().int(),
  timeout_seconds: z.number(),
  cache: z.object({ mode: z.enum(['hot', 'cold']), warmup: z.boolean(), flushed: z.array(z.string()), not_flushed: z.array(z.string()) }),
  qph: z.number(),
  power_qph: nullableNumber,
  throughput_qph: nullableNumber,
  composite_qph: nullableNumber,
  qph_by_class: z.record(queryClassSchema, z.number().nullable()),
  total_seconds: z.number(),
  snapshots: z.record(z.string(), z.unknown()).nullable(),
  queries: z.array(queryResultSchema),
  /** Throughput streams (docs/benchmark.md §7), every iteration's; offsets in seconds from the moment that iteration's streams were released. */
  streams_results: z.array(z.object({
    stream_id: z.number().int(),
    iteration: z.number().int(),
    order: z.array(z.string()),
    start_offset_seconds: z.number(),
    finish_offset_seconds: z.number(),
    wall_seconds: z.number(),
    successes: z.number().int(),
    /** One per execution, in the stream's order, each with its samples_seconds = [elapsed]. */
    queries: z.array(queryResultSchema),
    /** Start and finish of each execution, in the stream's order. */
    executions: z.array(z.object({ id: z.string(), start_offset_seconds: z.number(), finish_offset_seconds: z.number(), success: z.boolean() })),
  })),
  /** Per throughput iteration: wall seconds (first start to last finish), successful executions and QpH; the median QpH is throughput_qph. */
  throughput_iterations: z.array(z.object({ iteration: z.number().int(), wall_seconds: z.number(), executions: z.number().int(), successes: z.number().int(), qph: z.number() })).default([]),
  answer_checks: z.object({ passed: z.number().int(), failed: z.number().int(), skipped: z.number().int() }),
});
export type BenchmarkBlock = z.infer<typeof benchmarkSchema>;

export const scorecardSchema = z.object({
  time_to_value_seconds: nullableNumber,
  total_elapsed_seconds: z.number(),
  total_data_processed_gb: nullableNumber,
  pipeline_throughput_gb_per_second: nullableNumber,
  total_core_hours: nullableNumber,
  total_core_hours_with_drivers: nullableNumber,
  compute_efficiency_gb_per_core_hour: nullableNumber,
  scale_ratio: nullableNumber,
  composite_qph: nullableNumber,
  headline_qph: nullableNumber,
  headline_qph_kind: z.enum(['power', 'throughput', 'composite']).nullable(),
});
export type Scorecard = z.infer<typeof scorecardSchema>;

export const datagenSummarySchema = z.object({
  generator_version: z.string(),
  seed: z.number().int(),
  scale: z.number(),
  window: z.object({ start: z.string(), end: z.string() }),
  files: z.number().int(),
  rows: z.number().int(),
  bytes: z.number().int(),
  data_fingerprint: z.string(),
  elapsed_seconds: nullableNumber,
});

export const metricsSchema = z.object({
  schema_version: z.string().regex(/^1\.\d+$/),
  run_id: z.string(),
  deployment_name: z.string(),
  platform: z.enum(['embedded', 'kubernetes']),
  mode: z.enum(['batch', 'continuous']),
  scale: z.number(),
  start_time: z.string(),
  end_time: z.string(),
  total_elapsed_seconds: z.number(),
  verdict: verdictSchema,
  recipe: z.object({ catalog: z.string(), table_format: z.string(), pipeline_engine: z.string(), query_engine: z.string() }),
  versions: z.record(z.string(), z.string().nullable()),
  datagen: datagenSummarySchema.nullable(),
  bucket_sizes: z.object({ bronze_gb: nullableNumber, silver_gb: nullableNumber, gold_gb: nullableNumber }),
  stages: z.array(stageEntrySchema),
  benchmark: benchmarkSchema.nullable(),
  scorecard: scorecardSchema,
  score_descriptions: z.record(z.string(), z.string()),
  config_snapshot: z.record(z.string(), z.unknown()),
  data_fingerprint: z.string().nullable(),
  sizing_fingerprint: z.string(),
  measurement_fingerprint: z.string().nullable(),
  /** Continuous mode only (docs/pipeline.md §8): landing, streaming jobs, gold commits, rounds, scorecard. */
  continuous: continuousBlockSchema.nullable().optional(),
});
export type Metrics = z.infer<typeof metricsSchema>;
