// Puts a run's pieces together into metrics.json: stages, benchmark, scorecard, verdict and the
// fingerprints that decide what may be compared with what (docs/results.md §3.6).
import { createHash } from 'node:crypto';
import { DEFAULT_CATALOG_TYPE, DEFAULT_CLUSTER_QUERY_ENGINE, DEFAULT_TABLE_FORMAT } from '../config/defaults.js';
import type { LakebenchConfig } from '../config/schema.js';
import { canonicalJson } from '../util/canonical-json.js';
import { METRICS_SCHEMA_VERSION, QUERY_SET_VERSION, type BenchmarkBlock, type Metrics, type StageEntry } from './metrics.js';
import { scorecard, SCORE_DESCRIPTIONS } from './scorecard.js';
import { verdict } from './verdict.js';
import { redactConfig } from '../config/redact.js';

/**
 * What metrics.json records of the datagen manifest (datagen/manifest.ts's Manifest has these and
 * more); declared here so the model does not depend on the generator.
 */
export type ManifestFacts = {
  generator: { version: string };
  dataset: { seed: number; scale: number; window_start: string; window_end: string };
  totals: { file_count: number; total_rows: number; total_bytes: number };
  data_fingerprint: string;
};

export type RunFacts = {
  runId: string;
  config: LakebenchConfig;
  platform: 'embedded' | 'kubernetes';
  start: Date;
  end: Date;
  manifest: ManifestFacts | null;
  datagenSeconds: number | null;
  stages: StageEntry[];
  benchmark: BenchmarkBlock | null;
  benchmarkExpected: boolean;
  versions: Record<string, string | null>;
  sizing: Record<string, unknown>;
  incompleteReason: string | null;
};

const sha = (v: unknown) => `sha256:${createHash('sha256').update(canonicalJson(v)).digest('hex')}`;
const GB = 2 ** 30;

export function assembleMetrics(f: RunFacts): Metrics {
  const bronzeBytes = f.manifest?.totals.total_bytes ?? null;
  const layer = (name: string) => {
    const s = f.stages.find((e) => e.name === name && e.status === 'succeeded');
    return s?.output_bytes != null ? s.output_bytes / GB : null;
  };
  const card = scorecard(f.stages, f.benchmark, bronzeBytes, f.config.scale);
  const b = f.config.benchmark;
  return {
    schema_version: METRICS_SCHEMA_VERSION,
    run_id: f.runId,
    deployment_name: f.config.name,
    platform: f.platform,
    mode: 'batch',
    scale: f.config.scale,
    start_time: f.start.toISOString(),
    end_time: f.end.toISOString(),
    total_elapsed_seconds: (f.end.getTime() - f.start.getTime()) / 1000,
    verdict: verdict({
      stages: f.stages,
      benchmark: f.benchmark,
      benchmarkExpected: f.benchmarkExpected,
      scaleRatio: card.scale_ratio,
      incompleteReason: f.incompleteReason,
      versions: f.versions,
      // Executor overrides only act on the kubernetes platform's Spark applications.
      executorOverrides: f.platform === 'kubernetes' ? (f.config.cluster?.spark.executors ?? {}) : {},
    }),
    recipe: {
      catalog: f.platform === 'embedded' ? 'none (Parquet files)' : (f.config.cluster?.catalog?.type ?? DEFAULT_CATALOG_TYPE),
      table_format: f.platform === 'embedded' ? 'parquet' : (f.config.cluster?.tableFormat ?? DEFAULT_TABLE_FORMAT),
      pipeline_engine: f.platform === 'embedded' ? 'duckdb' : 'spark',
      query_engine: f.benchmark?.engine.type ?? b.engine ?? (f.platform === 'embedded' ? 'duckdb' : DEFAULT_CLUSTER_QUERY_ENGINE.type),
    },
    versions: { ...f.versions, datagen_generator: f.manifest?.generator.version ?? null },
    datagen: f.manifest
      ? {
          generator_version: f.manifest.generator.version,
          seed: f.manifest.dataset.seed,
          scale: f.manifest.dataset.scale,
          window: { start: f.manifest.dataset.window_start, end: f.manifest.dataset.window_end },
          files: f.manifest.totals.file_count,
          rows: f.manifest.totals.total_rows,
          bytes: f.manifest.totals.total_bytes,
          data_fingerprint: f.manifest.data_fingerprint,
          elapsed_seconds: f.datagenSeconds,
        }
      : null,
    bucket_sizes: { bronze_gb: bronzeBytes !== null ? bronzeBytes / GB : null, silver_gb: layer('silver-build'), gold_gb: layer('gold-finalize') },
    stages: f.stages,
    benchmark: f.benchmark,
    scorecard: card,
    score_descriptions: SCORE_DESCRIPTIONS,
    config_snapshot: { ...redactConfig(f.config), resolved_sizing: f.sizing },
    data_fingerprint: f.manifest?.data_fingerprint ?? null,
    sizing_fingerprint: sha({ platform: f.platform, ...f.sizing }),
    measurement_fingerprint: f.benchmark
      ? sha({ mode: b.mode, cache: b.cache, iterations: b.iterations, streams: b.mode === 'power' ? 1 : b.streams, timeout_seconds: b.timeoutSeconds, query_set: QUERY_SET_VERSION })
      : null,
  };
}
