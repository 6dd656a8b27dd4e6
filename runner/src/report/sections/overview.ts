// Sections 1–3: header with the verdict, run context, summary cards.
import type { Metrics } from '../../model/metrics.js';
import { SCALE_RATIO_MIN } from '../../model/scale.js';
import { fmtInt, fmtNumber, fmtSeconds, fmtTime, shortFingerprint } from '../format.js';

export interface Card { label: string; value: string; unit: string; note: string; tone: 'neutral' | 'good' | 'bad' }
export interface Pair { label: string; value: string; title?: string }

export function headerView(doc: Metrics) {
  return {
    deployment: doc.deployment_name,
    runId: doc.run_id,
    start: fmtTime(doc.start_time),
    status: doc.verdict.status,
    badgeClass: `badge-${doc.verdict.status.toLowerCase()}`,
    reasons: doc.verdict.reasons.map((r) => ({ ...r, cls: `sev-${r.severity.toLowerCase()}` })),
  };
}

const KEY_VERSION_HINTS = ['runner', 'duckdb', 'trino', 'spark', 'iceberg', 'generator', 'node'];

function keyVersions(versions: Metrics['versions']): Pair[] {
  const entries = Object.entries(versions);
  const picked: Array<[string, string | null]> = [];
  for (const hint of KEY_VERSION_HINTS) {
    for (const e of entries) if (e[0].toLowerCase().includes(hint) && !picked.includes(e)) picked.push(e);
  }
  const list = picked.length > 0 ? picked : entries;
  return list.slice(0, 8).map(([label, value]) => ({ label, value: value ?? 'not recorded' }));
}

export function contextView(doc: Metrics): { items: Pair[]; versions: Pair[] } {
  const b = doc.benchmark;
  const items: Pair[] = [
    { label: 'Mode', value: doc.mode },
    { label: 'Platform', value: doc.platform },
    { label: 'Scale', value: `${fmtNumber(doc.scale, 3)} (≈ ${fmtNumber(doc.scale * 10, 2)} GB bronze)` },
    { label: 'Catalog', value: doc.recipe.catalog },
    { label: 'Table format', value: doc.recipe.table_format },
    { label: 'Pipeline engine', value: doc.recipe.pipeline_engine },
    { label: 'Query engine', value: doc.recipe.query_engine },
    { label: 'Duration', value: fmtSeconds(doc.total_elapsed_seconds) },
    { label: 'Start → end', value: `${fmtTime(doc.start_time)} → ${fmtTime(doc.end_time)}` },
    { label: 'Benchmark', value: b ? `${b.mode}, ${b.cache.mode} cache, ${b.iterations} iteration(s)` : 'not run' },
    { label: 'Data fingerprint', value: shortFingerprint(doc.data_fingerprint), title: doc.data_fingerprint ?? '' },
    { label: 'Sizing fingerprint', value: shortFingerprint(doc.sizing_fingerprint), title: doc.sizing_fingerprint },
  ];
  return { items, versions: keyVersions(doc.versions) };
}

export function cardsView(doc: Metrics): Card[] {
  const s = doc.scorecard;
  const note = (key: string) => doc.score_descriptions[key] ?? '';
  const batchStages = doc.stages.filter((st) => st.type === 'batch' && st.throughput_gb_per_second !== null);
  const avgThroughput = batchStages.length === 0 ? null
    : batchStages.reduce((sum, st) => sum + (st.throughput_gb_per_second ?? 0), 0) / batchStages.length;
  const succeeded = doc.stages.filter((st) => st.status === 'succeeded').length;
  const failed = doc.stages.filter((st) => st.status === 'failed').length;
  const skipped = doc.stages.length - succeeded - failed;
  const stageNote = [failed > 0 ? `${failed} failed` : '', skipped > 0 ? `${skipped} skipped` : ''].filter(Boolean).join(', ');
  const ratio = s.scale_ratio;
  const qphKind = s.headline_qph_kind ? `${s.headline_qph_kind} QpH` : 'QpH';
  return [
    { label: 'Time to value', value: fmtNumber(s.time_to_value_seconds), unit: 's', note: note('time_to_value_seconds'), tone: 'neutral' },
    { label: 'Pipeline throughput', value: fmtNumber(s.pipeline_throughput_gb_per_second, 3), unit: 'GB/s', note: note('pipeline_throughput_gb_per_second'), tone: 'neutral' },
    { label: 'Compute efficiency', value: fmtNumber(s.compute_efficiency_gb_per_core_hour, 2), unit: 'GB/core-h', note: note('compute_efficiency_gb_per_core_hour'), tone: 'neutral' },
    { label: 'Queries per hour', value: fmtInt(s.headline_qph), unit: qphKind, note: note('headline_qph'), tone: doc.benchmark && doc.benchmark.queries.some((q) => !q.success) ? 'bad' : 'neutral' },
    { label: 'Scale ratio', value: fmtNumber(ratio, 3), unit: `gate ≥ ${SCALE_RATIO_MIN}`, note: note('scale_ratio'), tone: ratio === null ? 'neutral' : ratio < SCALE_RATIO_MIN ? 'bad' : 'good' },
    { label: 'Total time', value: fmtNumber(s.total_elapsed_seconds), unit: 's', note: note('total_elapsed_seconds'), tone: 'neutral' },
    { label: 'Stages', value: `${succeeded} / ${succeeded + failed}`, unit: 'succeeded', note: stageNote, tone: failed > 0 ? 'bad' : 'neutral' },
    { label: 'Data processed', value: fmtNumber(s.total_data_processed_gb, 3), unit: 'GB', note: note('total_data_processed_gb'), tone: 'neutral' },
    { label: 'Average stage throughput', value: fmtNumber(avgThroughput, 3), unit: 'GB/s', note: 'mean of the batch stages’ input ÷ elapsed', tone: 'neutral' },
  ];
}
