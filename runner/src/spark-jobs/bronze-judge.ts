// bronze-verify on Spark reports raw observations (spark-scripts/bronze_verify.py); the runner reads
// them here and judges them with the judgement the embedded stage uses (model/bronze-checks.ts), so
// the two platforms cannot disagree on what passes.
import { z } from 'zod';
import { BRONZE_COLUMNS, type BronzeType } from '../datagen/columns.js';
import type { Manifest } from '../datagen/manifest.js';
import type { LakebenchConfig } from '../config/schema.js';
import { fileSetMismatches, judgeBronze, schemaMismatches } from '../model/bronze-checks.js';
import type { StageReport } from '../model/stage-report.js';

/** How Spark names the bronze types when it reads the Parquet files. */
export const SPARK_BRONZE_TYPES: Record<BronzeType, string> = {
  BIGINT: 'bigint',
  INTEGER: 'int',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
};

/** The bronze columns as Spark should read them. */
const SPARK_BRONZE_COLUMNS = BRONZE_COLUMNS.map((c) => ({ name: c.name, type: SPARK_BRONZE_TYPES[c.type] }));

const count = z.number().int().nonnegative();
export const sparkBronzeObservationsSchema = z.object({
  objects: count,
  unexpected: z.array(z.object({ key: z.string(), bytes: count })),
  unexpected_count: count,
  size_mismatch: z.array(z.object({ key: z.string(), bytes: count, expected: count })),
  size_mismatch_count: count,
  missing: z.array(z.string()),
  missing_count: count,
  schema: z.array(z.object({ name: z.string(), type: z.string() })),
  counts: z.object({
    rows: count,
    not_null_violations: count.nullable(),
    structural_violations: count.nullable(),
    domain_violations: count.nullable(),
    payload_violations: count.nullable(),
    email_malformed: count.nullable(),
    phone_unnormalizable: count.nullable(),
    duplicate_suspected: count.nullable(),
    event_ts_min: z.string().nullable(),
    event_ts_max: z.string().nullable(),
  }),
});
export type SparkBronzeObservations = z.infer<typeof sparkBronzeObservationsSchema>;

/** The report with `validation`, `status` and `error` decided by the shared gates. */
export function judgeSparkBronze(report: StageReport, manifest: Manifest, thresholds: LakebenchConfig['quality']['thresholds']): StageReport {
  if (report.status === 'failed') return report;
  const parsed = sparkBronzeObservationsSchema.safeParse(report.extras.observations);
  if (!parsed.success) {
    return { ...report, status: 'failed', error: { message: `bronze-verify reported no usable observations: ${parsed.error.message.slice(0, 500)}`, reason: 'STAGE_BAD_METRICS' } };
  }
  const o = parsed.data;
  const c = o.counts;
  const d = manifest.dataset;
  // Nullable counts go through as null (a NULL aggregate): evaluateBronze fails them as "not observed".
  const judged = judgeBronze(
    {
      fileSetMismatches: fileSetMismatches({
        unexpected: o.unexpected,
        sizeMismatch: o.size_mismatch,
        missing: o.missing,
        unlistedPresent: o.unexpected_count - o.unexpected.length + (o.size_mismatch_count - o.size_mismatch.length),
        unlistedMissing: o.missing_count - o.missing.length,
      }),
      schemaMismatches: schemaMismatches(o.schema, SPARK_BRONZE_COLUMNS),
      rows: c.rows,
      expectedRows: manifest.totals.total_rows,
      notNullViolations: c.not_null_violations,
      structuralViolations: c.structural_violations,
      domainViolations: c.domain_violations,
      eventTsMin: c.event_ts_min,
      eventTsMax: c.event_ts_max,
      window: { start: d.window_start, end: d.window_end },
      payloadViolations: c.payload_violations,
      emailMalformed: c.email_malformed,
      phoneUnnormalizable: c.phone_unnormalizable,
      duplicateSuspected: c.duplicate_suspected,
      dirtyRatio: d.dirty_ratio,
    },
    thresholds,
  );
  return { ...report, ...judged };
}
