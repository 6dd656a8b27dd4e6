// The three continuous-mode jobs as DuckDB micro-batches on the embedded warehouse (docs/pipeline.md
// §8.1), each one step of its trigger loop:
// - bronze-ingest: files landed and not yet ingested (at most maxFilesPerTrigger, in index order) →
//   one new Parquet file of `default/bronze_raw` with the declared 41 columns;
// - silver-stream: bronze_raw files not yet transformed → silver, appended through the same SELECT as
//   silver-build (sql/silver.ts), partitioned by interaction_date;
// - gold-refresh: all of silver as it is now → gold, replaced whole through the same SELECT as
//   gold-finalize (sql/gold.ts), with a commit record holding the newest silver processing time the
//   new gold covers.
// Each job stages in a folder of its own below this process's staging folder (the three run at once,
// and removing one job's emptied staging folder must never pull another's from under it).
// Every file is written in the staging folder and renamed into its table: a reader sees a file whole
// or not at all. Silver gains a batch's files one rename at a time; gold is swapped as one folder.
import { mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { BRONZE_COLUMN_NAMES } from '../../datagen/columns.js';
import { adapt } from '../../sql/dialect.js';
import { silverSelect } from '../../sql/silver.js';
import { goldSelect } from '../../sql/gold.js';
import { closeDuckDb, globLiteral, openDuckDb, queryNumbers, sqlString } from '../../engines/duckdb-session.js';
import { parquetFiles, type Warehouse } from './warehouse.js';
import { replaceDir } from './replace-dir.js';
import { removeStaging, stagingPath, stagingWrite } from './staging.js';
import { writeJsonAtomic } from '../../util/fs-atomic.js';
import type { GoldCommitRecord, JobReport } from '../../model/streaming-job-report.js';
import { SOURCE_MAX_PROCESSING_TS_KEY } from '../streaming.js';

/** A bronze file ready to ingest: a base file, or an extra file whose manifest entry exists. */
export type IngestCandidate = { index: number; path: string };

export type StreamingPaths = {
  wh: Warehouse;
  bronzeRaw: string;
  /** `<warehouse>/<checkpointBase>/<run-id>/`: each job's report.json below it. */
  checkpoints: string;
  /** The embedded gold commit records, one JSON file per refresh. */
  goldCommits: string;
};

const pad = (n: number) => String(n).padStart(6, '0');

/** Epoch microseconds → ISO-8601 UTC with microseconds (the form the freshness key holds). */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  return new Date(ms).toISOString().replace('Z', `${String(us - ms * 1000).padStart(3, '0')}Z`);
}

export async function writeJobReport(paths: StreamingPaths, report: JobReport): Promise<void> {
  await writeJsonAtomic(path.join(paths.checkpoints, report.job, 'report.json'), report);
}

/** One bronze-ingest micro-batch; null when nothing new has landed. */
export async function ingestBatch(paths: StreamingPaths, batchId: number, files: readonly IngestCandidate[], threads: number): Promise<JobReport['batches'][number] | null> {
  if (files.length === 0) return null;
  const started = new Date();
  const tmp = stagingPath(paths.wh.root, path.join('bronze-ingest', `bronze_raw-${pad(batchId)}.parquet`));
  await mkdir(path.dirname(tmp), { recursive: true });
  const session = await openDuckDb({ threads });
  try {
    // The declared columns, by name and in order: never a schema inferred from whatever file came first.
    const select = `SELECT ${BRONZE_COLUMN_NAMES.join(', ')} FROM read_parquet([${files.map((f) => sqlString(f.path)).join(', ')}])`;
    await stagingWrite(
      () => session.connection.interrupt(),
      () => session.connection.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION snappy)`),
    );
    const rows = (await queryNumbers(session.connection, `SELECT count(*) AS n FROM read_parquet(${sqlString(tmp)})`)).n ?? 0;
    await mkdir(paths.bronzeRaw, { recursive: true });
    const name = `batch-${pad(batchId)}.parquet`;
    await rename(tmp, path.join(paths.bronzeRaw, name));
    return { batch_id: batchId, started_at: started.toISOString(), committed_at: new Date().toISOString(), rows, files: files.map((f) => path.basename(f.path)) };
  } catch (e) {
    await removeStaging(tmp);
    throw e;
  } finally {
    closeDuckDb(session);
  }
}

/** One silver-stream micro-batch over the given bronze_raw files; null when there are none. */
export async function silverBatch(paths: StreamingPaths, batchId: number, bronzeRawFiles: readonly string[], referenceDate: string, threads: number): Promise<JobReport['batches'][number] | null> {
  if (bronzeRawFiles.length === 0) return null;
  const started = new Date();
  const tmp = stagingPath(paths.wh.root, path.join('silver-stream', `silver-${pad(batchId)}`));
  const session = await openDuckDb({ threads });
  try {
    const source = `read_parquet([${bronzeRawFiles.map((f) => sqlString(path.join(paths.bronzeRaw, f))).join(', ')}])`;
    const select = adapt(silverSelect(referenceDate), 'duckdb', { bronze: source, silver: '', gold: '' });
    await mkdir(path.dirname(tmp), { recursive: true });
    await session.connection.run('SET preserve_insertion_order = false');
    await stagingWrite(
      () => session.connection.interrupt(),
      () => session.connection.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (interaction_date), FILENAME_PATTERN 'part-s${pad(batchId)}-{i}')`),
    );
    const rows = (await queryNumbers(session.connection, `SELECT count(*) AS n FROM read_parquet(${sqlString(path.join(globLiteral(tmp), '**', '*.parquet'))})`)).n ?? 0;
    for (const partition of await readdir(tmp).catch(() => [] as string[])) {
      const target = path.join(paths.wh.silver, partition);
      await mkdir(target, { recursive: true });
      for (const file of await readdir(path.join(tmp, partition))) await rename(path.join(tmp, partition, file), path.join(target, file));
    }
    await removeStaging(tmp);
    return { batch_id: batchId, started_at: started.toISOString(), committed_at: new Date().toISOString(), rows, files: [...bronzeRawFiles] };
  } catch (e) {
    await removeStaging(tmp);
    throw e;
  } finally {
    closeDuckDb(session);
  }
}

/**
 * One gold refresh over silver as it is now; null while silver is empty. The silver files are listed
 * once, and both gold and the recorded newest processing time are computed from exactly that list.
 */
export async function goldRefresh(paths: StreamingPaths, runId: string, batchId: number, threads: number): Promise<{ batch: JobReport['batches'][number]; commit: GoldCommitRecord } | null> {
  const silverFiles = await parquetFiles(paths.wh.silver);
  if (silverFiles.length === 0) return null;
  const started = new Date();
  const tmp = stagingPath(paths.wh.root, path.join('gold-refresh', `gold-${pad(batchId)}`));
  const session = await openDuckDb({ threads });
  try {
    const silver = `read_parquet([${silverFiles.map((f) => sqlString(f.path)).join(', ')}], hive_partitioning = true, hive_types = {'interaction_date': DATE})`;
    const newest = (await queryNumbers(session.connection, `SELECT epoch_us(max(silver_processing_timestamp)) AS us FROM ${silver}`)).us ?? null;
    await mkdir(tmp, { recursive: true });
    // A new file name per refresh: a reader's Parquet metadata cache can never take it for the old one.
    const file = path.join(tmp, `part-${pad(batchId)}.parquet`);
    await stagingWrite(
      () => session.connection.interrupt(),
      () => session.connection.run(`COPY (${adapt(goldSelect(), 'duckdb', { silver, gold: '' })} ORDER BY interaction_date) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION snappy)`),
    );
    const rows = (await queryNumbers(session.connection, `SELECT count(*) AS n FROM read_parquet(${sqlString(file)})`)).n ?? 0;
    await replaceDir(tmp, paths.wh.gold);
    const committed = new Date().toISOString();
    await removeStaging(tmp);
    const commit: GoldCommitRecord = {
      run_id: runId,
      id: String(batchId),
      committed_at: committed,
      rows,
      silver_files: silverFiles.length,
      summary: newest === null ? {} : { [SOURCE_MAX_PROCESSING_TS_KEY]: isoMicros(newest) },
    };
    await writeJsonAtomic(path.join(paths.goldCommits, `${pad(batchId)}.json`), commit);
    return { batch: { batch_id: batchId, started_at: started.toISOString(), committed_at: committed, rows }, commit };
  } catch (e) {
    await removeStaging(tmp);
    throw e;
  } finally {
    closeDuckDb(session);
  }
}
