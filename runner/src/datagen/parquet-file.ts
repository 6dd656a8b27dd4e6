// Writes one bronze file: column chunks → a DuckDB staging table → Parquet (Snappy) under a
// temporary name, renamed into place only when complete. One DuckDB thread per file keeps row
// order, and so the file bytes, identical on every run.
import { DuckDBDataChunk, BIGINT, INTEGER, DOUBLE, BOOLEAN, VARCHAR, type DuckDBType } from '@duckdb/node-api';
import { openDuckDb, closeDuckDb } from '../engines/duckdb-session.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { BRONZE_COLUMNS, type BronzeType } from './columns.js';
import type { Chunk } from './rows.js';

const STAGING_TYPE: Record<BronzeType, DuckDBType> = {
  BIGINT,
  INTEGER,
  DOUBLE,
  BOOLEAN,
  VARCHAR,
  'TIMESTAMP WITH TIME ZONE': BIGINT, // epoch microseconds, converted in the COPY below
};
const CHUNK_ROWS = 2048; // DuckDB's vector size: the largest chunk the appender takes

export const DUCKDB_PARQUET_WRITER = 'duckdb';

export async function writeParquetFile(
  path: string,
  rowGroupRows: number,
  produce: (maxRows: number) => Chunk | undefined,
): Promise<{ bytes: number; sha256: string }> {
  // The session runs in UTC: the cast of epoch microseconds to TIMESTAMPTZ below would otherwise
  // read them in the host's time zone and shift every instant.
  const session = await openDuckDb({ threads: 1 });
  const connection = session.connection;
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const staging = BRONZE_COLUMNS.map((c) => `"${c.name}" ${c.type === 'TIMESTAMP WITH TIME ZONE' ? 'BIGINT' : c.type}`).join(', ');
    await connection.run(`CREATE TABLE staging (${staging})`);
    const appender = await connection.createAppender('staging');
    const types = BRONZE_COLUMNS.map((c) => STAGING_TYPE[c.type]);
    for (let chunk = produce(CHUNK_ROWS); chunk && chunk.rows > 0; chunk = produce(CHUNK_ROWS)) {
      const data = DuckDBDataChunk.create(types, chunk.rows);
      data.setColumns(chunk.columns as never);
      appender.appendDataChunk(data);
    }
    appender.closeSync();
    const select = BRONZE_COLUMNS.map((c) =>
      c.type === 'TIMESTAMP WITH TIME ZONE' ? `make_timestamp("${c.name}")::TIMESTAMPTZ AS "${c.name}"` : `"${c.name}"`,
    ).join(', ');
    // No dictionaries: the payload, UUIDs and fingerprints are unique per row, and building (then
    // abandoning) dictionaries for them cost 2–4× the write time. Snappy still shrinks the repetitive
    // small columns, so files come out at ≈ 4,340 bytes per row, as docs/data.md §2.1 expects.
    await connection.run(
      `COPY (SELECT ${select} FROM staging) TO '${tmp.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${rowGroupRows}, DICTIONARY_SIZE_LIMIT 1)`,
    );
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    closeDuckDb(session);
  }
  return { bytes: (await stat(path)).size, sha256: await sha256File(path) };
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
