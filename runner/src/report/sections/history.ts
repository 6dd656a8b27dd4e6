// History view: headline QpH and time to value of earlier runs from the runs index. Runs are only
// like-for-like when their data and sizing fingerprints match this run's (docs/results.md §5).
import type { Metrics } from '../../model/metrics.js';
import type { HistorySpec } from '../charts.js';
import { fmtInt, fmtSeconds, fmtTime, shortFingerprint } from '../format.js';
import type { IndexEntry } from '../../model/index-entry.js';

export function historyView(doc: Metrics, history: IndexEntry[] | undefined) {
  if (!history || history.length < 2) return null;
  const entries = [...history].sort((a, b) => a.start_time.localeCompare(b.start_time));
  const chart: HistorySpec = {
    kind: 'history',
    id: 'chart-history',
    title: 'Headline QpH and time to value per run',
    // Month-day and time keep the axis readable on a phone; the tooltip names the full run id.
    labels: entries.map((e) => fmtTime(e.start_time).slice(5, 16)),
    runIds: entries.map((e) => e.run_id),
    qph: entries.map((e) => (e.verdict === 'FAILED' ? null : e.headline_qph)),
    ttv: entries.map((e) => e.time_to_value_seconds),
  };
  const rows = entries.map((e) => ({
    runId: e.run_id,
    current: e.run_id === doc.run_id,
    start: fmtTime(e.start_time),
    status: e.verdict,
    tone: e.verdict === 'PASSED' ? 'pass' : e.verdict === 'WARNING' ? 'warn' : 'fail',
    qph: e.verdict === 'FAILED' ? `${fmtInt(e.headline_qph)} (not plotted)` : fmtInt(e.headline_qph),
    ttv: fmtSeconds(e.time_to_value_seconds),
    recipe: `${e.recipe.catalog} / ${e.recipe.table_format} / ${e.recipe.query_engine}`,
    scale: e.scale,
    dataFp: shortFingerprint(e.data_fingerprint),
    sizingFp: shortFingerprint(e.sizing_fingerprint),
    comparable: e.data_fingerprint === doc.data_fingerprint && e.sizing_fingerprint === doc.sizing_fingerprint,
    difference: [e.data_fingerprint !== doc.data_fingerprint ? 'data' : '', e.sizing_fingerprint !== doc.sizing_fingerprint ? 'sizing' : '']
      .filter(Boolean).join(' and ') + ' differ',
  }));
  return { chart, rows };
}
