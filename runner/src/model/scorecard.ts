// The batch scorecard (docs/results.md §2.8): volume counted once (the bronze the pipeline read), time to
// value from bronze-verify's start to gold-finalize's end, core-hours from requested resources.
import type { BenchmarkBlock, Scorecard, StageEntry } from './metrics.js';
import { GiB, SCALE_RATIO_MIN } from './scale.js';

export function scorecard(stages: readonly StageEntry[], benchmark: BenchmarkBlock | null, bronzeBytes: number | null, scale: number): Scorecard {
  const byName = (n: string) => stages.find((s) => s.name === n && s.status === 'succeeded');
  const first = byName('bronze-verify');
  const last = byName('gold-finalize');
  const ttv = first?.start_time && last?.end_time ? (Date.parse(last.end_time) - Date.parse(first.start_time)) / 1000 : null;
  const batch = stages.filter((s) => s.type === 'batch');
  const coreHours = batch.length ? batch.reduce((h, s) => h + s.cpu_seconds_requested, 0) / 3600 : null;
  const gb = bronzeBytes !== null ? bronzeBytes / GiB : null;
  const headline = benchmark ? benchmark.qph : null;
  return {
    time_to_value_seconds: ttv,
    total_elapsed_seconds: stages.reduce((s, e) => s + e.elapsed_seconds, 0),
    total_data_processed_gb: gb,
    pipeline_throughput_gb_per_second: gb !== null && ttv ? gb / ttv : null,
    total_core_hours: coreHours,
    total_core_hours_with_drivers: coreHours, // embedded stages have no separate driver
    compute_efficiency_gb_per_core_hour: gb !== null && coreHours ? gb / coreHours : null,
    scale_ratio: bronzeBytes !== null ? bronzeBytes / (scale * 10 * GiB) : null,
    composite_qph: benchmark?.composite_qph ?? null,
    headline_qph: headline,
    headline_qph_kind: benchmark ? (benchmark.mode === 'composite' ? 'composite' : benchmark.mode) : null,
  };
}

export const SCORE_DESCRIPTIONS: Record<string, string> = {
  time_to_value_seconds: 'Seconds from bronze-verify start to gold-finalize end (excludes datagen and the benchmark).',
  total_elapsed_seconds: 'Sum of every stage’s elapsed seconds, datagen and benchmark included.',
  total_data_processed_gb: 'Bronze GiB read by the pipeline, counted once.',
  pipeline_throughput_gb_per_second: 'total_data_processed_gb ÷ time_to_value_seconds.',
  total_core_hours: 'Σ over batch stages of executors × cores × elapsed ÷ 3600 (embedded: DuckDB threads).',
  total_core_hours_with_drivers: 'total_core_hours plus driver cores (equal in the embedded mode).',
  compute_efficiency_gb_per_core_hour: 'total_data_processed_gb ÷ total_core_hours.',
  scale_ratio: `Bronze bytes ÷ (scale × 10 GiB); the validity gate is ≥ ${SCALE_RATIO_MIN}.`,
  composite_qph: '√(power QpH × throughput QpH) when both ran, else null.',
  headline_qph: 'The QpH shown on cards: the score of the benchmark mode that ran.',
  headline_qph_kind: 'Which QpH headline_qph is: power, throughput or composite.',
};
