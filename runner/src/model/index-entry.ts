// One entry of the runs index (docs/results.md §1 "Index"): the few fields `lakebench results` and the
// report's history view need, so neither has to open every old metrics.json. It lives with the
// metrics schema it is cut from, below the results stores that write it and the report that reads it.
import { z } from 'zod';
import { benchmarkSchema, metricsSchema, scorecardSchema, verdictSchema, type Metrics } from './metrics.js';
import { RUN_ID_PATTERN } from './run-id.js';

const m = metricsSchema.shape;

export const indexEntrySchema = z.object({
  // The id becomes a path (runs/<id>/): an entry naming anything but a run id is not an entry.
  run_id: m.run_id.regex(RUN_ID_PATTERN, 'not a run id'),
  deployment_name: m.deployment_name,
  platform: m.platform,
  mode: m.mode,
  scale: m.scale,
  recipe: m.recipe,
  start_time: m.start_time,
  end_time: m.end_time,
  verdict: verdictSchema.shape.status,
  time_to_value_seconds: scorecardSchema.shape.time_to_value_seconds,
  headline_qph: scorecardSchema.shape.headline_qph,
  headline_qph_kind: scorecardSchema.shape.headline_qph_kind,
  data_fingerprint: m.data_fingerprint,
  sizing_fingerprint: m.sizing_fingerprint,
  benchmark_mode: benchmarkSchema.shape.mode.nullable(),
  benchmark_cache: benchmarkSchema.shape.cache.shape.mode.nullable(),
});
export type IndexEntry = z.infer<typeof indexEntrySchema>;

export function indexEntryFromMetrics(doc: Metrics): IndexEntry {
  return {
    run_id: doc.run_id,
    deployment_name: doc.deployment_name,
    platform: doc.platform,
    mode: doc.mode,
    scale: doc.scale,
    recipe: { ...doc.recipe },
    start_time: doc.start_time,
    end_time: doc.end_time,
    verdict: doc.verdict.status,
    time_to_value_seconds: doc.scorecard.time_to_value_seconds,
    headline_qph: doc.scorecard.headline_qph,
    headline_qph_kind: doc.scorecard.headline_qph_kind,
    data_fingerprint: doc.data_fingerprint,
    sizing_fingerprint: doc.sizing_fingerprint,
    benchmark_mode: doc.benchmark?.mode ?? null,
    benchmark_cache: doc.benchmark?.cache.mode ?? null,
  };
}
