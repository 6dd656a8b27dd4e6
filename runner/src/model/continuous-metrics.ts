// The `continuous` block of metrics.json (docs/results.md §2.4, §2.9): what landed, what each
// streaming job committed, every gold commit with the freshness derived from it, every in-stream
// round (skipped ones too), and the continuous scorecard of docs/pipeline.md §8.6.
import { z } from 'zod';
import { queryResultSchema } from './query-result.js';
import { maintenanceBlockSchema } from './continuous-maintenance.js';

const nullableNumber = z.number().nullable();

export const roundRecordSchema = z.object({
  round_index: z.number().int().nonnegative(),
  /** When the schedule fired. */
  scheduled_at: z.string(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  status: z.enum(['completed', 'skipped']),
  skip_reason: z.string().nullable(),
  /** Why a round could not run its queries at all (its engine could not be opened). */
  error: z.string().nullable(),
  /** The gold commit the round read (the newest at its start) and the processing time it covered. */
  gold_commit_id: z.string().nullable(),
  source_max_processing_ts: z.string().nullable(),
  /** Round start − source_max_processing_ts. */
  query_time_freshness_seconds: nullableNumber,
  /** Successful queries (after the Q9 retry) ÷ Σ elapsed of each query's final attempt × 3600. */
  qph: nullableNumber,
  queries: z.array(queryResultSchema),
  failed_queries: z.array(z.string()),
  q9: z
    .object({
      contention_observed: z.boolean(),
      retry_used: z.boolean(),
      attempts: z.number().int().min(1),
      /** Failed attempts' seconds plus the waits before the retries. */
      lost_seconds: z.number(),
      attempt_errors: z.array(z.string().nullable()),
    })
    .nullable(),
});
export type RoundRecord = z.infer<typeof roundRecordSchema>;

export const continuousScorecardSchema = z.object({
  data_freshness_seconds: nullableNumber,
  query_time_freshness_seconds: nullableNumber,
  sustained_throughput_rps: nullableNumber,
  end_to_end_latency_ms: nullableNumber,
  stage_latency_profile: z.object({ bronze_ms: nullableNumber, silver_ms: nullableNumber, gold_ms: nullableNumber }),
  composite_qph: nullableNumber,
  in_stream_composite_qph: nullableNumber,
  benchmark_rounds_count: z.number().int(),
  rounds_skipped: z.number().int(),
  qph_degradation_pct: nullableNumber,
  batch_baseline_qph: nullableNumber,
  total_rows_processed: z.number().int(),
  rows_landed: z.number().int(),
  total_data_processed_gb: z.number(),
  pipeline_throughput_gb_per_second: nullableNumber,
  total_core_hours: nullableNumber,
  compute_efficiency_gb_per_core_hour: nullableNumber,
  ingest_ratio: nullableNumber,
  /** Silver's lag at the window's close (continuous-scorecard.ts silverLagSeconds); absent in documents written before it existed. */
  silver_lag_seconds: nullableNumber.optional(),
  /** The lag above which the pipeline counts as saturated: 2 × (bronze trigger + silver trigger). */
  silver_lag_max_seconds: nullableNumber.optional(),
  pipeline_saturated: z.boolean().nullable(),
  total_elapsed_seconds: z.number(),
});
export type ContinuousScorecard = z.infer<typeof continuousScorecardSchema>;

export const streamingJobSummarySchema = z.object({
  job: z.enum(['bronze-ingest', 'silver-stream', 'gold-refresh']),
  stopped_by: z.enum(['duration', 'failed', 'signal']).nullable(),
  restarts: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  batch_seconds_p50: nullableNumber,
  batch_seconds_p95: nullableNumber,
  error: z.string().nullable(),
});

export const continuousBlockSchema = z.object({
  duration_seconds: z.number(),
  /** When the streams started and when the window closed (silver's lag is judged then); absent in documents written before it existed. */
  window: z.object({ opened_at: z.string(), closed_at: z.string() }).optional(),
  landed: z.object({
    base_files: z.number().int(),
    base_rows: z.number().int(),
    extra_files: z.number().int(),
    extra_rows: z.number().int(),
    extra_bytes: z.number().int(),
    /** Rows silver's filter drops (duplicate_suspected) among everything landed. */
    filtered_rows: z.number().int(),
    files: z.array(z.object({ index: z.number().int(), key: z.string(), rows: z.number().int(), bytes: z.number().int(), filtered_rows: z.number().int(), landed_at: z.string() })),
  }),
  jobs: z.array(streamingJobSummarySchema),
  gold_commits: z.array(z.object({ id: z.string(), committed_at: z.string(), source_max_processing_ts: z.string().nullable(), refresh_freshness_seconds: nullableNumber })),
  rounds: z.array(roundRecordSchema),
  /** Retention and compaction while streaming (continuous-maintenance.ts); absent in documents written before it existed. */
  maintenance: maintenanceBlockSchema.optional(),
  scorecard: continuousScorecardSchema,
});
export type ContinuousBlock = z.infer<typeof continuousBlockSchema>;
