// gold-finalize on DuckDB: the shared gold aggregation over silver, written as one Parquet file,
// then the self-checks of docs/pipeline.md §5 against the silver it was built from.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { adapt } from '../../sql/dialect.js';
import { goldSelect, GOLD_SELF_CHECKS } from '../../sql/gold.js';
import { stageReport, type StageReport } from '../../model/stage-report.js';
import { openDuckDb, closeDuckDb, queryNumbers, sqlString } from '../../engines/duckdb-session.js';
import { createWarehouseViews, DUCKDB_TABLES } from '../../engines/duckdb-engine.js';
import { parquetFiles, totalBytes, type Warehouse } from './warehouse.js';
import { replaceDir } from './replace-dir.js';
import { removeStaging, stagingPath, stagingWrite, sweepStaleStaging } from './staging.js';
import { StageFailedError } from '../../util/errors.js';
import type { RunContext } from '../platform.js';

export async function goldFinalize(ctx: RunContext, wh: Warehouse, threads: number): Promise<StageReport> {
  const start = new Date();
  const silverFiles = await parquetFiles(wh.silver);
  if (silverFiles.length === 0) throw new StageFailedError('gold-finalize', `silver is missing: no Parquet files under ${wh.silver}`);
  await sweepStaleStaging(wh.root, [wh.silver, wh.gold]);
  const tmp = stagingPath(wh.root, `gold-${path.basename(wh.gold)}`);
  const session = await openDuckDb({ threads });
  const tables = DUCKDB_TABLES;
  try {
    await createWarehouseViews(session, wh.root, ['silver']);
    const silverRows = (await queryNumbers(session.connection, adapt('SELECT count(*) AS n FROM {silver}', 'duckdb', tables))).n ?? 0;
    if (silverRows === 0) throw new StageFailedError('gold-finalize', 'silver is empty');
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await stagingWrite(
      () => session.connection.interrupt(),
      () => session.connection.run(`COPY (${adapt(goldSelect(), 'duckdb', tables)} ORDER BY interaction_date) TO ${sqlString(path.join(tmp, 'part-000000.parquet'))} (FORMAT parquet, COMPRESSION snappy)`),
    );
    const commitStart = performance.now();
    await replaceDir(tmp, wh.gold);
    const commitSeconds = (performance.now() - commitStart) / 1000;
    await removeStaging(tmp);
    const goldFiles = await parquetFiles(wh.gold);
    await createWarehouseViews(session, wh.root, ['gold']);
    const goldRows = (await queryNumbers(session.connection, adapt('SELECT count(*) AS n FROM {gold}', 'duckdb', tables))).n ?? 0;
    const selfChecks = [];
    for (const [name, pair] of Object.entries(GOLD_SELF_CHECKS)) {
      const g = (await queryNumbers(session.connection, adapt(pair.gold, 'duckdb', tables))).v ?? null;
      const s = (await queryNumbers(session.connection, adapt(pair.silver, 'duckdb', tables))).v ?? null;
      selfChecks.push({ name, passed: g !== null && g === s, expected: s, observed: g });
    }
    const failed = selfChecks.filter((c) => !c.passed);
    return stageReport('gold-finalize', ctx.runId, 'duckdb', start, {
      status: failed.length ? 'failed' : 'succeeded',
      input_bytes: totalBytes(silverFiles),
      input_rows: silverRows,
      output_bytes: totalBytes(goldFiles),
      output_rows: goldRows,
      files_read: silverFiles.length,
      files_written: goldFiles.length,
      commit_seconds: commitSeconds,
      strategy: 'embedded',
      self_checks: selfChecks,
      error: failed.length ? { message: `gold self-checks failed: ${failed.map((c) => `${c.name} (gold ${c.observed}, silver ${c.expected})`).join('; ')}`, reason: 'SELF_CHECK' } : null,
    });
  } catch (e) {
    await removeStaging(tmp);
    throw e;
  } finally {
    closeDuckDb(session);
  }
}
