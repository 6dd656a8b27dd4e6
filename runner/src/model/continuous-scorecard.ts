// The continuous scorecard (docs/pipeline.md §8.6) and the continuous block of metrics.json, as pure
// functions of what the run observed: the base set and the files that landed, the jobs' batches, the
// gold commits with the newest silver processing time each covered, and the rounds. Freshness is
// derived from the commits, never taken from a log line.
import type { ContinuousBlock, ContinuousScorecard, RoundRecord } from './continuous-metrics.js';
import { GiB } from './scale.js';
import type { MaintenanceBlock } from './continuous-maintenance.js';

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
  /** When the streams started and when the window closed (the deadline; the stop, with its catch-up batches, follows once the round or maintenance pass in flight is done). */
  window: { openedAt: string; closedAt: string };
  /** Silver lagging the landing by more than this at the window's close marks the pipeline saturated (silverLagMaxSeconds). */
  silverLagMaxSeconds: number;
  /** The retention and compaction passes made while streaming, or why none were (docs/pipeline.md §8.3). */
  maintenance: MaintenanceBlock;
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

/**
 * How far behind the landing silver may be at the window's close in a pipeline that keeps up: a
 * landed file waits at most one bronze trigger and, when bronze-ingest keeps up, its batch takes at
 * most one more; then the same for silver-stream. So 2 × (bronze trigger + silver trigger).
 */
export function silverLagMaxSeconds(triggers: { bronzeSeconds: number; silverSeconds: number }): number {
  return 2 * (triggers.bronzeSeconds + triggers.silverSeconds);
}

/**
 * Silver's lag at the window's close, from the manifest and the jobs' own batch records: the age then
 * of the oldest landed rows silver had not committed yet (0 when it held everything landed). The base
 * set counts as landed when the streams started. Rows land and stream in file order, so silver's
 * committed rows (the silver-stream batches committed by the close) cover a prefix of the landed files,
 * each worth its rows minus the ones silver's filter drops (duplicate_suspected). Null without a
 * silver-stream record. The stop's catch-up batches commit after the close and do not count.
 */
export function silverLagSeconds(f: Pick<StreamingFacts, 'base' | 'landed' | 'jobs' | 'window'>): number | null {
  const silver = f.jobs.find((j) => j.job === 'silver-stream');
  if (!silver) return null;
  const closed = Date.parse(f.window.closedAt);
  let covered = silver.batches.filter((b) => Date.parse(b.committed_at) <= closed).reduce((n, b) => n + b.rows, 0);
  const chunks = [
    { at: Date.parse(f.window.openedAt), rows: f.base.rows - f.base.filteredRows },
    ...f.landed
      .filter((l) => Date.parse(l.landed_at) <= closed)
      .sort((a, b) => Date.parse(a.landed_at) - Date.parse(b.landed_at) || a.index - b.index)
      .map((l) => ({ at: Date.parse(l.landed_at), rows: l.rows - l.filtered_rows })),
  ];
  for (const c of chunks) {
    if (covered < c.rows) return Math.max(0, (closed - c.at) / 1000);
    covered -= c.rows;
  }
  return 0;
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
  // The rates are of the window: the stop's catch-up batches, and files the landing Job wrote between
  // the close and its deletion, count in the totals and the ingest ratio but not per second of the run.
  const closed = Date.parse(f.window.closedAt);
  const bronzeBatches = job('bronze-ingest')?.batches ?? [];
  const bronzeRows = bronzeBatches.reduce((n, b) => n + b.rows, 0);
  const bronzeRowsInWindow = bronzeBatches.filter((b) => Date.parse(b.committed_at) <= closed).reduce((n, b) => n + b.rows, 0);
  const landedRows = f.base.rows + f.landed.reduce((n, l) => n + l.rows, 0);
  const landedGb = (f.base.bytes + f.landed.reduce((n, l) => n + l.bytes, 0)) / GiB;
  const landedGbInWindow = (f.base.bytes + f.landed.filter((l) => Date.parse(l.landed_at) <= closed).reduce((n, l) => n + l.bytes, 0)) / GiB;
  const freshness = f.goldCommits.map(refreshFreshnessSeconds).filter((v): v is number => v !== null);
  const completed = f.rounds.filter((r) => r.status === 'completed');
  const roundQph = completed.map((r) => r.qph).filter((v): v is number => v !== null);
  const queryFreshness = completed.map((r) => r.query_time_freshness_seconds).filter((v): v is number => v !== null);
  const inStreamQph = median(roundQph);
  const profile = { bronze_ms: batchMs('bronze-ingest'), silver_ms: batchMs('silver-stream'), gold_ms: batchMs('gold-refresh') };
  const latencies = [profile.bronze_ms, profile.silver_ms, profile.gold_ms];
  const ingestRatio = landedRows > 0 ? bronzeRows / landedRows : null;
  const coreHours = f.cores > 0 ? (f.cores * f.durationSeconds) / 3600 : null;
  const silverLag = silverLagSeconds(f);
  const ingestShort = ingestRatio !== null && ingestRatio < f.saturationRatio;
  const silverBehind = silverLag !== null && silverLag > f.silverLagMaxSeconds;
  return {
    data_freshness_seconds: freshness.length ? Math.max(...freshness) : null,
    query_time_freshness_seconds: median(queryFreshness),
    sustained_throughput_rps: f.durationSeconds > 0 ? bronzeRowsInWindow / f.durationSeconds : null,
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
    pipeline_throughput_gb_per_second: f.durationSeconds > 0 ? landedGbInWindow / f.durationSeconds : null,
    total_core_hours: coreHours,
    compute_efficiency_gb_per_core_hour: coreHours ? landedGbInWindow / coreHours : null,
    ingest_ratio: ingestRatio,
    silver_lag_seconds: silverLag,
    silver_lag_max_seconds: f.silverLagMaxSeconds,
    pipeline_saturated: ingestRatio === null && silverLag === null ? null : ingestShort || silverBehind,
    total_elapsed_seconds: f.durationSeconds,
  };
}

export function continuousBlock(f: StreamingFacts): ContinuousBlock {
  return {
    duration_seconds: f.durationSeconds,
    window: { opened_at: f.window.openedAt, closed_at: f.window.closedAt },
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
    maintenance: { ...f.maintenance, actions: [...f.maintenance.actions] },
    scorecard: continuousScorecard(f),
  };
}

export const CONTINUOUS_SCORE_DESCRIPTIONS: Record<string, string> = {
  data_freshness_seconds: 'Worst refresh freshness: max over gold commits of commit time − the newest silver processing time it covered.',
  query_time_freshness_seconds: 'Median over rounds of round start − the newest silver processing time of the gold commit the round read.',
  sustained_throughput_rps: 'Rows committed to bronze_raw by the window\'s close ÷ run duration.',
  end_to_end_latency_ms: 'Mean bronze batch + mean silver batch + mean gold refresh duration.',
  in_stream_composite_qph: 'Median round QpH (power run, hot, Q9 retried on contention).',
  qph_degradation_pct: '(1 − in-stream QpH ÷ QpH of the newest batch run on the same data) × 100; null without such a run.',
  ingest_ratio: 'Rows committed to bronze_raw ÷ rows landed (base set included), from the manifest; both counted after the stop, whose catch-up batches ingest what landed until the landing stopped.',
  silver_lag_seconds: 'Age, when the window closed, of the oldest landed rows silver had not committed by then (0 when silver held everything landed), from the manifest entries and the silver-stream batches.',
  pipeline_saturated: 'ingest_ratio below continuous.saturationRatio, or silver_lag_seconds above silver_lag_max_seconds = 2 × (bronze trigger + silver trigger).',
  total_core_hours: 'Cores held by the jobs × run duration ÷ 3600.',
};
