// Section 9: per-query latency and answers. A failed query is drawn and listed as failed, with its
// error, and never counted in QpH (docs/benchmark.md §7: it adds time and no count).
import type { Metrics, QueryClass, QueryResult } from '../../model/metrics.js';
import type { QueriesSpec } from '../charts.js';
import { fmtInt, fmtNumber, fmtSeconds, fmtValue, shortFingerprint } from '../format.js';

const CLASS_LABELS: Record<QueryClass, string> = {
  scan: 'Scan',
  filter_prune: 'Filter & prune',
  aggregation: 'Aggregation',
  analytics: 'Analytics',
  operational: 'Operational',
};

function checksSummary(q: QueryResult) {
  const passed = q.checks.filter((c) => c.status === 'passed').length;
  const failed = q.checks.filter((c) => c.status === 'failed');
  return {
    text: q.checks.length === 0 ? 'none' : `${passed} / ${q.checks.length} passed`,
    tone: failed.length > 0 ? 'fail' : q.checks.length === 0 ? 'na' : 'pass',
    failed: failed.map((c) => `${c.name}: expected ${fmtValue(c.expected)}, observed ${fmtValue(c.observed)}${c.detail ? ` (${c.detail})` : ''}`),
  };
}

export function queriesView(doc: Metrics) {
  const b = doc.benchmark;
  if (!b) return null;
  const rows = b.queries.map((q) => ({
    id: q.id,
    name: q.display_name || q.name,
    technicalName: q.name,
    cls: CLASS_LABELS[q.class],
    median: fmtSeconds(q.elapsed_seconds),
    p95: q.success ? fmtSeconds(q.p95_seconds) : '—',
    rows: fmtInt(q.rows),
    success: q.success,
    counted: q.success ? 'yes' : 'no',
    fingerprint: shortFingerprint(q.fingerprint),
    fingerprintFull: q.fingerprint ?? '',
    fingerprintStable: q.fingerprint_stable,
    checks: checksSummary(q),
    error: q.error,
    samplesText: q.samples_seconds.map((x) => fmtNumber(x, 3)).join(', ') || '—',
  }));
  const chart: QueriesSpec = {
    kind: 'queries',
    id: 'chart-queries',
    title: 'Latency per query: median, p50–p95 range and every iteration',
    labels: b.queries.map((q) => q.id),
    names: b.queries.map((q) => q.display_name || q.name),
    median: b.queries.map((q) => (q.success ? q.elapsed_seconds : null)),
    failed: b.queries.map((q) => (q.success ? null : q.elapsed_seconds)),
    range: b.queries.map((q) => (q.success && q.samples_seconds.length > 1 ? [q.p50_seconds, q.p95_seconds] : null)),
    samples: b.queries.flatMap((q) => q.samples_seconds.map((y, i) => ({ x: q.id, y, iteration: i + 1 }))),
  };
  const byClass = (Object.keys(CLASS_LABELS) as QueryClass[]).map((cls) => {
    const qs = b.queries.filter((q) => q.class === cls);
    return {
      cls: CLASS_LABELS[cls],
      qph: fmtInt(b.qph_by_class[cls] ?? null),
      queries: qs.map((q) => q.id).join(', ') || '—',
      failed: qs.filter((q) => !q.success).map((q) => q.id).join(', '),
    };
  });
  const streams = b.streams_results.map((s) => ({
    id: s.stream_id,
    iteration: s.iteration,
    order: s.order.join(' → '),
    span: `${fmtNumber(s.start_offset_seconds, 3)} – ${fmtNumber(s.finish_offset_seconds, 3)} s`,
    wall: fmtSeconds(s.wall_seconds),
    successes: `${s.successes} / ${s.queries.length}`,
    allOk: s.successes === s.queries.length,
    failed: s.queries.filter((q) => !q.success).map((q) => `${q.id}: ${q.error?.code ?? 'failed'}`).join(', '),
  }));
  const throughputIterations = (b.throughput_iterations ?? []).map((t) => ({
    iteration: t.iteration,
    wall: fmtSeconds(t.wall_seconds),
    successes: `${t.successes} / ${t.executions}`,
    qph: fmtInt(t.qph),
  }));
  return {
    chart,
    rows,
    byClass,
    streams,
    throughputIterations,
    summary: {
      engine: `${b.engine.type} ${b.engine.version}`,
      mode: b.mode === 'power' ? b.mode : `${b.mode}, ${b.streams} concurrent streams`,
      iterations: b.iterations,
      cache: `${b.cache.mode}${b.cache.warmup ? ', with warm-up' : ''}`,
      flushed: b.cache.flushed.join(', ') || 'nothing',
      notFlushed: b.cache.not_flushed.join(', ') || 'nothing',
      qph: fmtInt(b.qph),
      power: fmtInt(b.power_qph),
      throughput: fmtInt(b.throughput_qph),
      composite: fmtInt(b.composite_qph),
      total: fmtSeconds(b.total_seconds),
      timeout: fmtSeconds(b.timeout_seconds),
      succeeded: `${b.queries.filter((q) => q.success).length} / ${b.queries.length}`,
    },
  };
}
