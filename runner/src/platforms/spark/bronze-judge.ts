// bronze-verify on Spark reports raw observations (spark-scripts/bronze_verify.py); the runner judges
// them here with the same gates as the embedded stage (pipeline/bronze-checks.ts), so the two
// platforms cannot disagree on what passes.
import { z } from 'zod';
import { BRONZE_COLUMNS, type BronzeType } from '../../datagen/columns.js';
import type { Manifest } from '../../datagen/manifest.js';
import type { LakebenchConfig } from '../../config/schema.js';
import { evaluateBronze, failedChecks } from '../../pipeline/bronze-checks.js';
import type { StageReport } from '../../pipeline/stage-report.js';

/** How Spark names the bronze types when it reads the Parquet files. */
export const SPARK_BRONZE_TYPES: Record<BronzeType, string> = {
  BIGINT: 'bigint',
  INTEGER: 'int',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
};

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

/** File-set messages in the embedded stage's wording; lists the job cut short still count in full. */
function fileSetMismatches(o: SparkBronzeObservations): string[] {
  const present = [
    ...o.unexpected.map((u) => ({ key: u.key, msg: `unexpected object ${u.key}` })),
    ...o.size_mismatch.map((s) => ({ key: s.key, msg: `${s.key}: ${s.bytes} bytes, manifest says ${s.expected}` })),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = present.map((p) => p.msg);
  const unlisted = o.unexpected_count - o.unexpected.length + (o.size_mismatch_count - o.size_mismatch.length);
  for (let i = 0; i < unlisted; i++) out.push('object not listed by the job (list cut short)');
  out.push(...o.missing.map((k) => `missing ${k}`));
  for (let i = o.missing.length; i < o.missing_count; i++) out.push('missing object not listed by the job (list cut short)');
  return out;
}

function schemaMismatches(schema: SparkBronzeObservations['schema']): string[] {
  const out: string[] = [];
  BRONZE_COLUMNS.forEach((c, i) => {
    const a = schema[i];
    const want = SPARK_BRONZE_TYPES[c.type];
    if (!a) out.push(`missing column ${c.name}`);
    else if (a.name !== c.name || a.type !== want) out.push(`column ${i + 1}: ${a.name} ${a.type}, expected ${c.name} ${want}`);
  });
  for (const extra of schema.slice(BRONZE_COLUMNS.length)) out.push(`extra column ${extra.name}`);
  return out;
}

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
  const validation = evaluateBronze(
    {
      fileSetMismatches: fileSetMismatches(o),
      schemaMismatches: schemaMismatches(o.schema),
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
  const failed = failedChecks(validation);
  return {
    ...report,
    status: failed.length ? 'failed' : 'succeeded',
    validation,
    error: failed.length ? { message: `bronze-verify gates failed: ${failed.map((f) => `${f.name} (${f.detail})`).join('; ')}`, reason: 'QUALITY_GATE' } : null,
  };
}
