// A cheap read of each Parquet footer: a truncated or garbled file is named before any stage runs.
import { openDuckDb, closeDuckDb, sqlString } from '../../engines/duckdb-session.js';
import { BadInputError } from '../../util/errors.js';

export async function checkParquetFooters(files: readonly string[]): Promise<void> {
  const session = await openDuckDb({ threads: 1 });
  try {
    for (const file of files) {
      try {
        await session.connection.run(`SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`);
      } catch (e) {
        throw new BadInputError(`not a readable Parquet file: ${(e as Error).message.split('\n')[0]}`, file);
      }
    }
  } finally {
    closeDuckDb(session);
  }
}
