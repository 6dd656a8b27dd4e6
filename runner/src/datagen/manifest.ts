// The datagen manifest (docs/data.md §8): per-file entries written as each file lands, and the final
// document summed from them. Readers validate it with these schemas.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, GENERATOR_NAME, GENERATOR_VERSION, type DatasetParams } from './dataset.js';
import { sumAggregates, type Aggregates } from './aggregates.js';
import { PARQUET_WRITER } from './parquet-file.js';

const counts = z.record(z.string(), z.number());
export const aggregatesSchema = z.object({
  rows_by_interaction_type: counts,
  rows_by_data_quality_flag: counts,
  rows_by_channel: counts,
  rows_by_flag_and_type: counts,
  amount_cents_total: z.number(),
  amount_cents_by_flag: counts,
  rows_by_month_excluding_duplicates: counts,
  rows_product_id_null: z.number(),
  rows_device_type_null: z.number(),
  rows_satisfaction_set: z.number(),
});

export const fileEntrySchema = z.object({
  index: z.number().int().nonnegative(),
  key: z.string(),
  /** SHA-256 of the file's generation inputs: an entry from other parameters is never resumed. */
  stream_key: z.string(),
  rows: z.number().int().positive(),
  bytes: z.number().int().positive(),
  first_id: z.number().int().nonnegative(),
  last_id: z.number().int().nonnegative(),
  content_hash: z.string(),
  event_ts_min: z.string(),
  event_ts_max: z.string(),
  aggregates: aggregatesSchema,
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const manifestSchema = z.object({
  manifest_version: z.literal(1),
  generator: z.object({ name: z.string(), version: z.string(), parquet_writer: z.string(), parquet_writer_version: z.string(), image: z.string().nullable(), hash_basis: z.enum(['file-bytes', 'column-data']) }),
  dataset: z.object({
    schema: z.literal('customer360'),
    seed: z.number(),
    scale: z.number(),
    window_start: z.string(),
    window_end: z.string(),
    dirty_ratio: z.number(),
    duplicate_email_ratio: z.number(),
    payload_bytes: z.number(),
    bytes_per_row_constant: z.number(),
    compression: z.literal('snappy'),
    file_size_bytes: z.number(),
    row_group_rows: z.number(),
    customers: z.number(),
    customer_law: z.object({ type: z.literal('zipf-mandelbrot'), s: z.number(), q: z.number() }),
    total_rows: z.number(),
    file_count: z.number(),
  }),
  totals: z.object({
    file_count: z.number().int(),
    total_rows: z.number().int(),
    total_bytes: z.number().int(),
    event_ts_min: z.string(),
    event_ts_max: z.string(),
    event_date_min: z.string(),
    event_date_max: z.string(),
  }),
  files: z.array(fileEntrySchema.omit({ aggregates: true })),
  aggregates: aggregatesSchema,
  data_fingerprint: z.string(),
  generated_at: z.string(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function dataFingerprint(params: DatasetParams, files: readonly Pick<FileEntry, 'index' | 'rows' | 'content_hash'>[]): string {
  const body = canonicalJson({
    generator_version: GENERATOR_VERSION,
    dataset: params,
    files: files.map((f) => [f.index, f.rows, f.content_hash]),
  });
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

export function buildManifest(params: DatasetParams, entries: readonly FileEntry[], now: Date): Manifest {
  const files = [...entries].sort((a, b) => a.index - b.index);
  const tsMin = files.reduce((m, f) => (f.event_ts_min < m ? f.event_ts_min : m), files[0]!.event_ts_min);
  const tsMax = files.reduce((m, f) => (f.event_ts_max > m ? f.event_ts_max : m), files[0]!.event_ts_max);
  const aggregates: Aggregates = sumAggregates(files.map((f) => f.aggregates));
  return {
    manifest_version: 1,
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION, parquet_writer: PARQUET_WRITER, parquet_writer_version: GENERATOR_VERSION, image: process.env.LAKEBENCH_IMAGE ?? null, hash_basis: 'file-bytes' },
    dataset: params,
    totals: {
      file_count: files.length,
      total_rows: files.reduce((n, f) => n + f.rows, 0),
      total_bytes: files.reduce((n, f) => n + f.bytes, 0),
      event_ts_min: tsMin,
      event_ts_max: tsMax,
      event_date_min: tsMin.slice(0, 10),
      event_date_max: tsMax.slice(0, 10),
    },
    files: files.map(({ aggregates: _a, ...rest }) => rest),
    aggregates,
    data_fingerprint: dataFingerprint(params, files),
    generated_at: now.toISOString(),
  };
}

/** Rows that survive silver's quality filter: the number every later check is built on. */
export const silverRowsExpected = (m: Manifest): number => m.totals.total_rows - (m.aggregates.rows_by_data_quality_flag.duplicate_suspected ?? 0);
export const silverCentsExpected = (m: Manifest): number => m.aggregates.amount_cents_total - (m.aggregates.amount_cents_by_flag.duplicate_suspected ?? 0);
