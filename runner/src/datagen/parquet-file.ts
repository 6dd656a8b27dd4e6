// Writes one bronze file: row groups of generated columns → Parquet (Snappy) under a temporary name,
// renamed into place only when complete. The writer is this generator's own (parquet/), so the bytes
// depend on nothing but the generator version and the file's inputs; DuckDB's append and COPY took
// four fifths of the time before (docs/data.md §2.1).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BRONZE_COLUMNS, type BronzeType } from './columns.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from './dataset.js';
import { ParquetFileWriter, type ParquetColumn } from './parquet/parquet-writer.js';
import type { RowGroup } from './rows.js';

const PARQUET_TYPE: Record<BronzeType, ParquetColumn['type']> = {
  BIGINT: 'int64',
  INTEGER: 'int32',
  DOUBLE: 'double',
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  'TIMESTAMP WITH TIME ZONE': 'timestamp-us',
};
const SCHEMA: readonly ParquetColumn[] = BRONZE_COLUMNS.map((c) => ({ name: c.name, type: PARQUET_TYPE[c.type] }));

/** Recorded in the manifest's `generator.parquet_writer` (docs/data.md §8.1). */
export const PARQUET_WRITER = GENERATOR_NAME;

export function writeParquetFile(path: string, rowGroupRows: number, produce: (maxRows: number) => RowGroup | undefined): { bytes: number; sha256: string } {
  const writer = new ParquetFileWriter(path, SCHEMA, `${GENERATOR_NAME} version ${GENERATOR_VERSION}`);
  try {
    for (let group = produce(rowGroupRows); group && group.rows > 0; group = produce(rowGroupRows)) writer.writeRowGroup(group.rows, group.columns);
    return writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
