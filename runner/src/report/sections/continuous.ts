// The continuous-mode sections (docs/results.md §4, items 3, 8, 10, 11): the continuous scorecard,
// the streaming jobs, the freshness of every gold commit and every round over the run's time (a
// line chart), the rounds table with Q9 contention and retries, and the retention and compaction
// actions made while streaming. Null for a batch run.
import type { Metrics } from '../../model/metrics.js';
import type { ContinuousBlock } from '../../model/continuous-metrics.js';
import type { FreshnessSpec } from '../charts.js';
import { fmtInt, fmtNumber, fmtPercent, fmtSeconds, fmtTime } from '../format.js';

export function continuousView(doc: Metrics) {
  const c = doc.continuous;
  if (!c) return null;
  const s = c.scorecard;
  const t0 = Date.parse(doc.start_time);
  const offset = (iso: string) => (Date.parse(iso) - t0) / 1000;
  const completed = c.rounds.filter((r) => r.status === 'completed');
  const chart: FreshnessSpec = {
    kind: 'freshness',
    id: 'freshness-chart',
    title: 'Freshness over the run: each gold refresh and each round',
    refresh: c.gold_commits.filter((g) => g.refresh_freshness_seconds !== null).map((g) => ({ x: offset(g.committed_at), y: g.refresh_freshness_seconds! })),
    queryTime: completed.filter((r) => r.query_time_freshness_seconds !== null && r.start_time !== null).map((r) => ({ x: offset(r.start_time!), y: r.query_time_freshness_seconds! })),
    qph: completed.filter((r) => r.qph !== null && r.start_time !== null).map((r) => ({ x: offset(r.start_time!), y: r.qph! })),
  };
  const cards = [
    { label: 'Data freshness (worst)', value: fmtSeconds(s.data_freshness_seconds) },
    { label: 'Query-time freshness (median)', value: fmtSeconds(s.query_time_freshness_seconds) },
    { label: 'Sustained ingest', value: `${fmtInt(s.sustained_throughput_rps)} rows/s` },
    { label: 'Ingest ratio', value: `${fmtNumber(s.ingest_ratio, 3)}${s.pipeline_saturated ? ' (saturated)' : ''}` },
    { label: 'Silver lag at window close', value: s.silver_lag_seconds === undefined ? 'not recorded' : `${fmtSeconds(s.silver_lag_seconds)} (allowed ${fmtSeconds(s.silver_lag_max_seconds ?? null)})` },
    { label: 'In-stream QpH (median)', value: fmtInt(s.in_stream_composite_qph) },
    { label: 'QpH vs batch', value: s.qph_degradation_pct === null ? 'no batch baseline' : `${fmtNumber(s.qph_degradation_pct, 1)} % lower` },
    { label: 'Rounds', value: `${s.benchmark_rounds_count} run, ${s.rounds_skipped} skipped` },
    { label: 'Core-hours', value: fmtNumber(s.total_core_hours, 3) },
  ];
  const jobs = c.jobs.map((j) => ({ ...j, p50: fmtSeconds(j.batch_seconds_p50), p95: fmtSeconds(j.batch_seconds_p95), tone: j.stopped_by === 'failed' ? 'fail' : 'pass' }));
  const rounds = c.rounds.map((r) => ({
    index: r.round_index,
    start: fmtTime(r.start_time ?? r.scheduled_at),
    status: r.status === 'skipped' ? `skipped: ${r.skip_reason}` : r.error ? `failed: ${r.error}` : `${8 - r.failed_queries.length}/8 succeeded`,
    tone: r.status === 'skipped' ? 'warn' : r.failed_queries.length ? 'fail' : 'pass',
    qph: fmtInt(r.qph),
    freshness: fmtSeconds(r.query_time_freshness_seconds),
    q9: r.q9 ? (r.q9.contention_observed ? `contention; ${r.q9.attempts} attempts, ${fmtSeconds(r.q9.lost_seconds)} lost` : 'no contention') : '—',
  }));
  return { cards, chart, jobs, rounds, maintenance: maintenanceView(c.maintenance), landed: `${c.landed.base_files} base files + ${c.landed.extra_files} landed (${fmtInt(c.landed.extra_rows)} rows), ${fmtPercent(s.rows_landed ? c.landed.filtered_rows / s.rows_landed : null)} filtered by silver` };
}

/** docs/pipeline.md §8.3: why no pass was made, or every action of every pass. Null in documents written before maintenance was recorded. */
function maintenanceView(m: ContinuousBlock['maintenance']) {
  if (!m) return null;
  const failed = m.actions.filter((a) => a.status === 'failed').length;
  const summary = m.skip_reason
    ? `Skipped: ${m.skip_reason}.`
    : m.passes === 0
      ? `No pass: the first was due ${fmtSeconds(Math.min(m.retention_interval_seconds, m.compaction_interval_seconds))} into the run, at or after its end.`
      : `${m.passes} pass(es): retention every ${fmtSeconds(m.retention_interval_seconds)} (threshold ${fmtSeconds(m.retention_threshold_seconds)}), compaction every ${fmtSeconds(m.compaction_interval_seconds)}; ${m.actions.length - failed} of ${m.actions.length} actions without error.`;
  const actions = m.actions.map((a) => ({
    pass: a.pass,
    start: fmtTime(a.started_at),
    table: a.table,
    action: a.action,
    status: a.status,
    tone: a.status === 'ok' ? 'pass' : a.status === 'failed' ? 'warn' : 'na',
    seconds: fmtSeconds(a.seconds),
    note: a.error ?? a.detail ?? '',
  }));
  return { summary, actions };
}
