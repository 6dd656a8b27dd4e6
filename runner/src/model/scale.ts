// Scale arithmetic of docs/data.md §2: how many bytes, rows, files and customers a scale means.
// Every other part (datagen, sizing, checks) derives its numbers from here.

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
export const BYTES_PER_ROW = 4200; // valid for Snappy + a 2 KB payload only (docs/data.md §2.1)
export const PAYLOAD_BYTES = 2048;
export const ROW_GROUP_ROWS = Math.floor((128 * MiB) / BYTES_PER_ROW); // 31,956
export const MIN_ROWS_PER_FILE = 1000;

/**
 * The validity gate on the scale ratio, bronze bytes ÷ (scale × 10 GiB) (docs/results.md): below
 * SCALE_RATIO_MIN the run FAILED (too little data for its scale), above SCALE_RATIO_WARN_ABOVE it
 * has a WARNING. The verdict, the scorecard's description and the report read these.
 */
export const SCALE_RATIO_MIN = 0.95;
export const SCALE_RATIO_WARN_ABOVE = 1.1;

export const targetBytes = (scale: number): number => Math.round(scale * 10 * GiB);
export const totalRows = (scale: number): number => Math.floor(targetBytes(scale) / BYTES_PER_ROW);
export const customerCount = (scale: number): number => Math.max(1000, Math.round(scale * 100_000));

export function fileCount(scale: number, fileSizeBytes: number): number {
  const byRows = Math.floor(totalRows(scale) / MIN_ROWS_PER_FILE);
  return Math.max(1, Math.min(Math.max(1, Math.round(targetBytes(scale) / fileSizeBytes)), byRows));
}

/** Rows of file `index` when `rows` are split evenly over `files` (no tail file, no rounding loss). */
export function rowsInFile(rows: number, files: number, index: number): number {
  return Math.floor(rows / files) + (index < rows % files ? 1 : 0);
}

/** Global row id of the first row of file `index`. */
export function firstRowId(rows: number, files: number, index: number): number {
  const base = Math.floor(rows / files);
  return base * index + Math.min(index, rows % files);
}

/**
 * Share of rows held by the hottest customer under the Zipf–Mandelbrot law P(k) ∝ 1/(k+q)^s,
 * computed analytically (exact sum for small N, integral tail beyond).
 */
export function hottestCustomerShare(customers: number, s: number, q: number): number {
  const exact = Math.min(customers, 100_000);
  let total = 0;
  for (let k = 1; k <= exact; k++) total += (k + q) ** -s;
  if (customers > exact) {
    const a = exact + 0.5 + q;
    const b = customers + 0.5 + q;
    total += s === 1 ? Math.log(b / a) : (a ** (1 - s) - b ** (1 - s)) / (s - 1);
  }
  return (1 + q) ** -s / total;
}

/** Rows in silver-build's skew sample (docs/pipeline.md §4.1). */
export const SKEW_SAMPLE_ROWS = 1_000_000;
/** Every k-th row id is in the skew sample: deterministic, and independent of how files are split. */
export const skewSampleStep = (totalRows: number): number => Math.max(1, Math.ceil(totalRows / SKEW_SAMPLE_ROWS));

export function defaultStageTimeoutSeconds(scale: number): number {
  return Math.max(3600, scale * 60);
}
