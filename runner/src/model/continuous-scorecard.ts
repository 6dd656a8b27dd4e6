// The continuous scorecard (docs/pipeline.md §8.6) and the continuous block of metrics.json, as pure
// functions of what the run observed: the base set and the files that landed, the jobs' batches, the
// gold commits with the newest silver processing time each covered, and the rounds. Freshness is
// derived from the commits, never taken from a log line.
import type { ContinuousBlock, ContinuousScorecard, RoundRecord } from './continuous-metrics.js';
import { GiB } from './scale.js';

export type StreamingFacts = {
  durationSeconds: number;
  base: { files: number; rows: number; bytes: number; filteredRows: number };
  landed: readonly { index: number; key: string; rows: number; bytes: number; filtered_rows: number; landed_at: string }[];
  jobs: readonly {
    job: 'bronze-ingest' | 'silver-stream' | 'gold-refresh';
    stopped_by: 'duration' | 'failed' | 'signal' | null;
    restarts: number;
    batches: readonly { started_at: string; committed_at: string; rows: number }[];
    error?: string;
  }[];
  goldCommits: readonly { id: string; committed_at: string; source_max_processing_ts: string | null }[];
  rounds: readonly RoundRecord[];
  /** Cores the jobs held for the whole run (embedded: the DuckDB threads of the machine). */
  cores: number;
  /** QpH of the newest batch run on the same data and platform, when there is one. */
  batchBaselineQph: number | null;
  saturationRatio: number;
};

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function percentile(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Refresh freshness of one gold commit: commit time − newest silver processing time it covered. */
export function refreshFreshnessSeconds(commit: { committed_at: string; source_max_processing_ts: string | null }): number | null {
  return commit.source_max_processing_ts === null ? null : seconds(commit.source_max_processing_ts, commit.committed_at);
}

export function continuousScorecard(f: StreamingFacts): ContinuousScorecard {
  const job = (name: StreamingFacts['jobs'][number]['job']) => f.jobs.find((j) => j.job === name);
  const batchMs = (name: StreamingFacts['jobs'][number]['job']) => {
    const m = mean((job(name)?.batches ?? []).map((b) => seconds(b.started_at, b.committed_at) * 1000));
    return m;
  };
  const bronzeRows = (job('bronze-ingest')?.batches ?? []).reduce((n, b) => n + b.rows, 0);
  const landedRows = f.base.rows + f.landed.reduce((n, l) => n + l.rows, 0);
  const landedGb = (f.base.bytes + f.landed.reduce((n, l) => n + l.bytes, 0)) / GiB;
  const freshness = f.goldCommits.map(refreshFreshnessSeconds).filter((v): v is number => v !== null);
  const completed = f.rounds.filter((r) => r.status === 'completed');
  const roundQph = completed.map((r) => r.qph).filter((v): v is number => v !== null);
  const queryFreshness = completed.map((r) => r.query_time_freshness_seconds).filter((v): v is number => v !== null);
  const inStreamQph = median(roundQph);
  const profile = { bronze_ms: batchMs('bronze-ingest'), silver_ms: batchMs('silver-stream'), gold_ms: batchMs('gold-refresh') };
  const latencies = [profile.bronze_ms, profile.silver_ms, profile.gold_ms];
  const ingestRatio = landedRows > 0 ? bronzeRows / landedRows : null;
  const coreHours = f.cores > 0 ? (f.cores * f.durationSeconds) / 3600 : null;
  return {
    data_freshness_seconds: freshness.length ? Math.max(...freshness) : null,
    query_time_freshness_seconds: median(queryFreshness),
    sustained_throughput_rps: f.durationSeconds > 0 ? bronzeRows / f.durationSeconds : null,
    end_to_end_latency_ms: latencies.every((v) => v !== null) ? latencies.reduce((a, b) => a! + b!, 0) : null,
    stage_latency_profile: profile,
    composite_qph: inStreamQph,
    in_stream_composite_qph: inStreamQph,
    benchmark_rounds_count: completed.length,
    rounds_skipped: f.rounds.length - completed.length,
    qph_degradation_pct: inStreamQph !== null && f.batchBaselineQph ? (1 - inStreamQph / f.batchBaselineQph) * 100 : null,
    batch_baseline_qph: f.batchBaselineQph,
    total_rows_processed: bronzeRows,
    rows_landed: landedRows,
    total_data_processed_gb: landedGb,
    pipeline_throughput_gb_per_second: f.durationSeconds > 0 ? landedGb / f.durationSeconds : null,
    total_core_hours: coreHours,
    compute_efficiency_gb_per_core_hour: coreHours ? landedGb / coreHours : null,
    ingest_ratio: ingestRatio,
    pipeline_saturated: ingestRatio === null ? null : ingestRatio < f.saturationRatio,
    total_elapsed_seconds: f.durationSeconds,
  };
}

export function continuousBlock(f: StreamingFacts): ContinuousBlock {
  return {
    duration_seconds: f.durationSeconds,
    landed: {
      base_files: f.base.files,
      base_rows: f.base.rows,
      extra_files: f.landed.length,
      extra_rows: f.landed.reduce((n, l) => n + l.rows, 0),
      extra_bytes: f.landed.reduce((n, l) => n + l.bytes, 0),
      filtered_rows: f.base.filteredRows + f.landed.reduce((n, l) => n + l.filtered_rows, 0),
      files: f.landed.map((l) => ({ ...l })),
    },
    jobs: f.jobs.map((j) => {
      const durations = j.batches.map((b) => seconds(b.started_at, b.committed_at));
      return {
        job: j.job,
        stopped_by: j.stopped_by,
        restarts: j.restarts,
        batches: j.batches.length,
        rows: j.batches.reduce((n, b) => n + b.rows, 0),
        batch_seconds_p50: percentile(durations, 50),
        batch_seconds_p95: percentile(durations, 95),
        error: j.error ?? null,
      };
    }),
    gold_commits: f.goldCommits.map((c) => ({ ...c, refresh_freshness_seconds: refreshFreshnessSeconds(c) })),
    rounds: [...f.rounds],
    scorecard: continuousScorecard(f),
  };
}

export const CONTINUOUS_SCORE_DESCRIPTIONS: Record<string, string> = {
  data_freshness_seconds: 'Worst refresh freshness: max over gold commits of commit time − the newest silver processing time it covered.',
  query_time_freshness_seconds: 'Median over rounds of round start − the newest silver processing time of the gold commit the round read.',
  sustained_throughput_rps: 'Rows committed to bronze_raw ÷ run duration.',
  end_to_end_latency_ms: 'Mean bronze batch + mean silver batch + mean gold refresh duration.',
  in_stream_composite_qph: 'Median round QpH (power run, hot, Q9 retried on contention).',
  qph_degradation_pct: '(1 − in-stream QpH ÷ QpH of the newest batch run on the same data) × 100; null without such a run.',
  ingest_ratio: 'Rows committed to bronze_raw ÷ rows in the files landed before the window closed (base set included), from the manifest.',
  pipeline_saturated: 'ingest_ratio below continuous.saturationRatio.',
  total_core_hours: 'Cores held by the jobs × run duration ÷ 3600.',
};
