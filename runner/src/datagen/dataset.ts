// The dataset parameters a run generates from (docs/data.md §8.1 "dataset"), and the per-file key that
// seeds every random stream of a file.
import { createHash } from 'node:crypto';
import { BYTES_PER_ROW, PAYLOAD_BYTES, ROW_GROUP_ROWS, MiB, customerCount, fileCount, totalRows, hottestCustomerShare } from '../model/scale.js';
import { BadInputError } from '../util/errors.js';
import { canonicalJson } from '../util/canonical-json.js';

export const GENERATOR_NAME = 'lakebench-datagen';
// 2.0.0: the generator's own Parquet writer and AES-CTR text columns; every file's bytes differ from 1.x.
export const GENERATOR_VERSION = '2.0.0';
export const DUPLICATE_EMAIL_RATIO = 0.1;

export type DatasetParams = {
  schema: 'customer360';
  seed: number;
  scale: number;
  window_start: string;
  window_end: string;
  dirty_ratio: number;
  duplicate_email_ratio: number;
  payload_bytes: number;
  bytes_per_row_constant: number;
  compression: 'snappy';
  file_size_bytes: number;
  row_group_rows: number;
  customers: number;
  customer_law: { type: 'zipf-mandelbrot'; s: number; q: number };
  total_rows: number;
  file_count: number;
};

export type DatasetInput = {
  seed: number;
  scale: number;
  windowStart: string;
  windowEnd: string;
  dirtyRatio: number;
  fileSizeMb: number;
  customerLaw: { s: number; q: number };
};

/** A bare date means 00:00:00 UTC; instants must be UTC (Z). Returns epoch microseconds. */
export function parseInstantUs(value: string, field: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new BadInputError(`not a valid date or UTC instant: ${value}`, field);
  return ms * 1000;
}

/**
 * The dataset checks that need nothing but the config (window, customer law at this scale): a run
 * makes them before its record exists, so a dataset that cannot be generated is refused up front.
 */
export function checkDatasetInput(input: Pick<DatasetInput, 'scale' | 'windowStart' | 'windowEnd' | 'customerLaw'>): { start: number; end: number; customers: number } {
  const start = parseInstantUs(input.windowStart, 'datagen.window.start');
  const end = parseInstantUs(input.windowEnd, 'datagen.window.end');
  if (end <= start) throw new BadInputError(`window end ${input.windowEnd} is not after start ${input.windowStart}`, 'datagen.window');
  const customers = customerCount(input.scale);
  const share = hottestCustomerShare(customers, input.customerLaw.s, input.customerLaw.q);
  if (share >= 0.05) {
    throw new BadInputError(
      `the hottest customer would hold ${(share * 100).toFixed(2)}% of rows at scale ${input.scale} (limit 5%); lower s or raise q`,
      'datagen.customers',
    );
  }
  return { start, end, customers };
}

export function datasetParams(input: DatasetInput): DatasetParams {
  const { start, end, customers } = checkDatasetInput(input);
  const fileSizeBytes = input.fileSizeMb * MiB;
  return {
    schema: 'customer360',
    seed: input.seed,
    scale: input.scale,
    window_start: new Date(start / 1000).toISOString(),
    window_end: new Date(end / 1000).toISOString(),
    dirty_ratio: input.dirtyRatio,
    duplicate_email_ratio: DUPLICATE_EMAIL_RATIO,
    payload_bytes: PAYLOAD_BYTES,
    bytes_per_row_constant: BYTES_PER_ROW,
    compression: 'snappy',
    file_size_bytes: fileSizeBytes,
    row_group_rows: ROW_GROUP_ROWS,
    customers,
    customer_law: { type: 'zipf-mandelbrot', s: input.customerLaw.s, q: input.customerLaw.q },
    total_rows: totalRows(input.scale),
    file_count: fileCount(input.scale, fileSizeBytes),
  };
}

// Its home is util/canonical-json.ts (the metrics fingerprints use it too); the datagen and platform
// modules keep taking it from here.
export { canonicalJson };

export function fileKey(params: DatasetParams, index: number): string {
  return createHash('sha256').update(canonicalJson({ generator_version: GENERATOR_VERSION, dataset: params, file_index: index })).digest('hex');
}

export const fileName = (index: number): string => `part-${String(index).padStart(6, '0')}.parquet`;
export const manifestEntryName = (index: number): string => `part-${String(index).padStart(6, '0')}.json`;
