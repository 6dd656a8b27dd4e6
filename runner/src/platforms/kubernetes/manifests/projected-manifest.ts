// What the datagen manifest will say before the data exists, for `lakebench plan` without a cluster:
// file names, row counts and ids are exact (they follow from the parameters); sizes are the nominal
// 4,200 bytes per row, and hashes and aggregates are unknown. A run always uses the real manifest.
import { fileKey, fileName, type DatasetParams } from '../../../datagen/dataset.js';
import type { Manifest } from '../../../datagen/manifest.js';
import { BYTES_PER_ROW, firstRowId, rowsInFile } from '../../../model/scale.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../../../datagen/dataset.js';
import { PARQUET_WRITER } from '../../../datagen/parquet-file.js';

export const PROJECTED = 'projected';

export function projectedManifest(params: DatasetParams): Manifest {
  const files = Array.from({ length: params.file_count }, (_, index) => {
    const rows = rowsInFile(params.total_rows, params.file_count, index);
    const first = firstRowId(params.total_rows, params.file_count, index);
    return { index, key: fileName(index), stream_key: fileKey(params, index), rows, bytes: rows * BYTES_PER_ROW, first_id: first, last_id: first + rows - 1, content_hash: PROJECTED, event_ts_min: params.window_start, event_ts_max: params.window_end };
  });
  // The window is half-open: its last instant, and so the last event date, is 1 µs before the end.
  const lastInstant = new Date(Date.parse(params.window_end) - 1).toISOString();
  const zero = { rows_by_interaction_type: {}, rows_by_data_quality_flag: {}, rows_by_channel: {}, rows_by_flag_and_type: {}, amount_cents_total: 0, amount_cents_by_flag: {}, rows_by_month_excluding_duplicates: {}, rows_product_id_null: 0, rows_device_type_null: 0, rows_satisfaction_set: 0 };
  return {
    manifest_version: 1,
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION, parquet_writer: PARQUET_WRITER, parquet_writer_version: GENERATOR_VERSION, image: null, hash_basis: 'file-bytes' },
    dataset: params,
    totals: {
      file_count: params.file_count,
      total_rows: params.total_rows,
      total_bytes: files.reduce((n, f) => n + f.bytes, 0),
      event_ts_min: params.window_start,
      event_ts_max: lastInstant,
      event_date_min: params.window_start.slice(0, 10),
      event_date_max: lastInstant.slice(0, 10),
    },
    files,
    aggregates: zero,
    data_fingerprint: PROJECTED,
    generated_at: PROJECTED,
  };
}
