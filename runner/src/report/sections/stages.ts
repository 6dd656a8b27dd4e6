// Sections 4, 6 and 7: where the time and the cores went, table maintenance, the stage list.
import type { Metrics, StageEntry } from '../../model/metrics.js';
import { STAGE_COLORS, type BottleneckSpec, type Range, type TimelineSpec } from '../charts.js';
import { bytesToGb, fmtGb, fmtInt, fmtNumber, fmtPercent, fmtSeconds, MISSING } from '../format.js';

// Datagen prepares the input and is not part of the system under test, so it is left out of the
// breakdown; a skipped stage spent nothing worth a slice.
function breakdownStages(doc: Metrics): StageEntry[] {
  return doc.stages.filter((s) => s.name !== 'datagen' && s.status !== 'skipped');
}

export function bottleneckView(doc: Metrics) {
  const stages = breakdownStages(doc);
  const totalTime = stages.reduce((a, s) => a + s.elapsed_seconds, 0);
  const totalCore = stages.reduce((a, s) => a + s.cpu_seconds_requested, 0);
  const share = (x: number, total: number) => (total > 0 ? x / total : 0);
  const rows = stages.map((s) => ({
    name: s.name,
    color: STAGE_COLORS[s.name],
    elapsed: fmtSeconds(s.elapsed_seconds),
    timeShare: fmtPercent(share(s.elapsed_seconds, totalTime)),
    coreSeconds: fmtNumber(s.cpu_seconds_requested),
    coreShare: fmtPercent(share(s.cpu_seconds_requested, totalCore)),
    cores: `${s.executor_count} × ${fmtNumber(s.executor_cores)}`,
  }));
  const chart: BottleneckSpec = {
    kind: 'bottleneck',
    id: 'chart-bottleneck',
    title: 'Share of wall time and of requested core-seconds per stage',
    categories: ['Wall time', 'Core-seconds'],
    series: stages.map((s) => ({
      label: s.name,
      color: STAGE_COLORS[s.name],
      percent: [share(s.elapsed_seconds, totalTime) * 100, share(s.cpu_seconds_requested, totalCore) * 100],
      absolute: [s.elapsed_seconds, s.cpu_seconds_requested],
      units: ['s', 'core-s'],
    })),
  };
  return { rows, chart, total: { time: fmtSeconds(totalTime), core: fmtNumber(totalCore) }, empty: stages.length === 0 };
}

const offset = (doc: Metrics, iso: string | null): number | null =>
  iso === null ? null : (Date.parse(iso) - Date.parse(doc.start_time)) / 1000;

export function stagesView(doc: Metrics) {
  const queue: Range[] = [];
  const run: Range[] = [];
  for (const s of doc.stages) {
    const start = offset(doc, s.start_time);
    const end = offset(doc, s.end_time) ?? (start === null ? null : start + s.elapsed_seconds);
    run.push(start === null || end === null ? null : [start, end]);
    queue.push(start === null || !s.queue_seconds ? null : [start - s.queue_seconds, start]);
  }
  const chart: TimelineSpec = {
    kind: 'timeline',
    id: 'chart-timeline',
    title: 'Stage timeline: queue and run time, seconds since the run started',
    labels: doc.stages.map((s) => (s.status === 'skipped' ? `${s.name} (skipped)` : s.name)),
    colors: doc.stages.map((s) => STAGE_COLORS[s.name]),
    queue,
    run,
  };
  const rows = doc.stages.map((s, i) => ({
    name: s.name,
    color: STAGE_COLORS[s.name],
    startAt: run[i] ? `+${fmtNumber(run[i]?.[0] ?? 0)} s` : MISSING,
    status: s.status,
    engine: s.engine,
    elapsed: s.status === 'skipped' ? MISSING : fmtSeconds(s.elapsed_seconds),
    queue: s.status === 'skipped' ? MISSING : fmtSeconds(s.queue_seconds),
    inGb: fmtGb(bytesToGb(s.input_bytes)),
    outGb: fmtGb(bytesToGb(s.output_bytes)),
    inRows: fmtInt(s.input_rows),
    outRows: fmtInt(s.output_rows),
    throughput: s.throughput_gb_per_second === null ? MISSING : `${fmtNumber(s.throughput_gb_per_second, 3)} GB/s`,
    rowsPerSecond: s.throughput_rows_per_second === null ? '' : `${fmtInt(s.throughput_rows_per_second)} rows/s`,
    executors: `${s.executor_count} × ${fmtNumber(s.executor_cores)}`,
    cpuSeconds: fmtNumber(s.cpu_seconds_requested),
    strategy: s.strategy ?? MISSING,
    source: s.metrics_source,
    error: s.error,
  }));
  return { chart, rows, empty: doc.stages.length === 0 };
}

// The maintenance stage's figures are stage extras (docs/results.md §2.8 "maintenance"); these are the
// keys the report knows how to label, in display order.
const MAINTENANCE_FIELDS: Array<[string, string, (x: number) => string]> = [
  ['files_before', 'Data files before', fmtInt],
  ['files_after', 'Data files after', fmtInt],
  ['compaction_ratio', 'Compaction ratio', (x) => `${fmtNumber(x, 2)} ×`],
  ['maintenance_pct_of_pipeline', 'Share of pipeline time', (x) => `${fmtNumber(x, 1)} %`],
  ['pre_compaction_qph', 'QpH before compaction', fmtInt],
  ['post_compaction_qph', 'QpH after compaction', fmtInt],
  ['maintenance_value_pct', 'Improvement', (x) => `${x >= 0 ? '+' : ''}${fmtNumber(x, 1)} %`],
  ['snapshots_expired', 'Snapshots expired', fmtInt],
  ['orphan_files_removed', 'Orphan files removed', fmtInt],
  ['storage_reclaimed_mb', 'Storage reclaimed', (x) => `${fmtNumber(x)} MB`],
];

export function maintenanceView(doc: Metrics) {
  const st = doc.stages.find((s) => s.name === 'maintenance');
  if (!st) return { state: 'skipped' as const, reason: 'no maintenance stage ran in this run', items: [] };
  const extraReason = st.extras['skip_reason'] ?? st.extras['reason'];
  const reason = typeof extraReason === 'string' ? extraReason : (st.error?.reason ?? st.error?.message ?? 'no reason recorded');
  if (st.status === 'skipped') return { state: 'skipped' as const, reason, items: [] };
  const items = [{ label: 'Time', value: fmtSeconds(st.elapsed_seconds) }];
  for (const [key, label, fmt] of MAINTENANCE_FIELDS) {
    const v = st.extras[key];
    if (typeof v === 'number') items.push({ label, value: fmt(v) });
  }
  if (st.status === 'failed') return { state: 'failed' as const, reason: st.error?.message ?? reason, items };
  return { state: 'ran' as const, reason: '', items };
}
