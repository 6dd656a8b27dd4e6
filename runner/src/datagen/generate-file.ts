// Generates one bronze file and its manifest entry: a pure function of (generator version,
// dataset parameters, file index).
import path from 'node:path';
import { fileKey, fileName, type DatasetParams } from './dataset.js';
import { FileRows } from './rows.js';
import { writeParquetFile } from './parquet-file.js';
import { firstRowId, rowsInFile } from '../model/scale.js';
import type { FileEntry } from './manifest.js';

const isoUs = (us: number): string => {
  const ms = Math.floor(us / 1000);
  const micros = String(us % 1000).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${micros}Z`);
};

export async function generateFile(params: DatasetParams, index: number, dir: string): Promise<FileEntry> {
  const key = fileKey(params, index);
  const rows = rowsInFile(params.total_rows, params.file_count, index);
  const first = firstRowId(params.total_rows, params.file_count, index);
  const gen = new FileRows(params, key, rows, first);
  const { bytes, sha256 } = writeParquetFile(path.join(dir, fileName(index)), params.row_group_rows, (max) =>
    gen.remaining > 0 ? gen.nextRowGroup(max) : undefined,
  );
  return {
    index,
    key: fileName(index),
    stream_key: key,
    rows,
    bytes,
    first_id: first,
    last_id: first + rows - 1,
    content_hash: `sha256:${sha256}`,
    event_ts_min: isoUs(gen.aggregates.tsMinUs),
    event_ts_max: isoUs(gen.aggregates.tsMaxUs),
    aggregates: gen.aggregates.value,
  };
}
