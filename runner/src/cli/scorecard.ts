// The terminal scorecard printed at the end of a run, and the --json summary.
import type { Metrics } from '../model/metrics.js';

const n = (v: number | null | undefined, digits = 1, unit = '') => (v === null || v === undefined ? '—' : `${v.toFixed(digits)}${unit}`);

export function scorecardText(m: Metrics, reportPath: string): string {
  const s = m.scorecard;
  const lines = [
    '',
    `Lakebench ${m.platform} run ${m.run_id}: ${m.verdict.status}`,
    `  scale ${m.scale} · data ${m.data_fingerprint?.slice(0, 19) ?? '—'} · ${m.recipe.pipeline_engine} pipeline · ${m.recipe.query_engine} queries`,
    '',
    `  time to value        ${n(s.time_to_value_seconds, 2, ' s')}`,
    `  QpH (${s.headline_qph_kind ?? 'none'})${' '.repeat(Math.max(1, 14 - (s.headline_qph_kind ?? 'none').length))}${n(s.headline_qph, 0)}`,
    `  throughput           ${n(s.pipeline_throughput_gb_per_second, 3, ' GiB/s')}`,
    `  efficiency           ${n(s.compute_efficiency_gb_per_core_hour, 1, ' GiB/core-h')}`,
    `  scale ratio          ${n(s.scale_ratio, 3)}`,
    `  total elapsed        ${n(m.total_elapsed_seconds, 1, ' s')}`,
    '',
    '  stage            status      elapsed',
    ...m.stages.map((st) => `  ${st.name.padEnd(16)} ${st.status.padEnd(11)} ${n(st.elapsed_seconds, 2, ' s')}`),
  ];
  if (m.benchmark) {
    lines.push('', '  query  name                              rows   median     status');
    for (const q of m.benchmark.queries) {
      lines.push(`  ${q.id.padEnd(6)} ${q.display_name.padEnd(33)} ${String(q.rows ?? '—').padStart(5)}  ${n(q.elapsed_seconds, 3, ' s').padStart(9)}  ${q.success ? 'ok' : `FAILED ${q.error?.code ?? ''}`}`);
    }
    lines.push(`  answer checks: ${m.benchmark.answer_checks.passed} passed, ${m.benchmark.answer_checks.failed} failed, ${m.benchmark.answer_checks.skipped} skipped`);
  }
  const c = m.continuous?.scorecard;
  if (c) {
    lines.push(
      '',
      `  data freshness       ${n(c.data_freshness_seconds, 1, ' s')} (worst)`,
      `  query-time fresh.    ${n(c.query_time_freshness_seconds, 1, ' s')} (median)`,
      `  ingest               ${n(c.sustained_throughput_rps, 0, ' rows/s')}, ratio ${n(c.ingest_ratio, 3)}${c.pipeline_saturated ? ' (saturated)' : ''}`,
      `  silver lag           ${n(c.silver_lag_seconds ?? null, 1, ' s')} at the window's close (allowed ${n(c.silver_lag_max_seconds ?? null, 1, ' s')})`,
      `  rounds               ${c.benchmark_rounds_count} run, ${c.rounds_skipped} skipped`,
    );
  }
  if (m.verdict.reasons.length) {
    lines.push('', '  verdict reasons:');
    for (const r of m.verdict.reasons) lines.push(`    ${r.severity} ${r.code}: ${r.message.split('\n')[0]}`);
  }
  lines.push('', `  report: ${reportPath}`, '');
  return lines.join('\n');
}

export function jsonSummary(m: Metrics, reportPath: string, metricsPath: string): string {
  return JSON.stringify({
    run_id: m.run_id,
    verdict: m.verdict.status,
    reasons: m.verdict.reasons,
    scale: m.scale,
    qph: m.scorecard.headline_qph,
    time_to_value_seconds: m.scorecard.time_to_value_seconds,
    queries: m.benchmark?.queries.map((q) => ({ id: q.id, success: q.success, rows: q.rows, elapsed_seconds: q.elapsed_seconds, fingerprint: q.fingerprint })) ?? [],
    metrics: metricsPath,
    report: reportPath,
    // Peak resident memory of this runner process (all threads, DuckDB included).
    runner_peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  });
}
