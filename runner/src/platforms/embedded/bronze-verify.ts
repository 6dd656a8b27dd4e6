// bronze-verify on DuckDB: list the files, read the schema, run the one-pass observations and
// judge them with the shared judgement (model/bronze-checks.ts). Writes no table.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { BRONZE_COLUMNS } from '../../datagen/columns.js';
import { fileName } from '../../datagen/dataset.js';
import { adapt } from '../../sql/dialect.js';
import { bronzeObservationsSelect, bronzeCountsBy } from '../../sql/bronze-verify.js';
import { fileSetMismatches, judgeBronze, observedCount, schemaMismatches, type BronzeFileSet, type BronzeObservations } from '../../model/bronze-checks.js';
import { stageReport, type StageReport } from '../../model/stage-report.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDb, closeDuckDb, queryCells, queryNumbers, sqlString } from '../../engines/duckdb-session.js';
import type { Manifest } from '../../datagen/manifest.js';
import type { RunContext } from '../platform.js';
import type { Warehouse } from './warehouse.js';

export async function bronzeVerify(ctx: RunContext, wh: Warehouse, threads: number): Promise<StageReport> {
  const start = new Date();
  const m = ctx.manifest;
  const expected = new Map(m.files.map((f) => [f.key, f.bytes]));
  const fileSet = { unexpected: [] as { key: string }[], sizeMismatch: [] as { key: string; bytes: number; expected: number }[], missing: [] as string[] };
  const present = (await readdir(wh.bronze)).filter((n) => n !== '_manifest');
  let inputBytes = 0;
  for (const name of present) {
    const size = (await stat(path.join(wh.bronze, name))).size;
    inputBytes += size;
    const want = expected.get(name);
    if (want === undefined) fileSet.unexpected.push({ key: name });
    else if (want !== size) fileSet.sizeMismatch.push({ key: name, bytes: size, expected: want });
  }
  for (const f of m.files) if (!present.includes(f.key)) fileSet.missing.push(f.key);

  const files = m.files.map((f) => path.join(wh.bronze, fileName(f.index))).filter((p) => present.includes(path.basename(p)));
  const session = await openDuckDb({ threads });
  try {
    const { observations, columns, byType, byChannel } = await observeBronze(session.connection, files, m, fileSet);
    const judged = judgeBronze(observations, ctx.config.quality.thresholds);
    const counts = (rows: typeof byType.rows) => Object.fromEntries(rows.map((r) => [String(r[0]), Number(r[1])]));
    return stageReport('bronze-verify', ctx.runId, 'duckdb', start, {
      input_bytes: inputBytes,
      input_rows: observations.rows,
      output_bytes: 0,
      output_rows: 0,
      files_read: files.length,
      files_written: 0,
      extras: { columns, rows_by_interaction_type: counts(byType.rows), rows_by_channel: counts(byChannel.rows) },
      ...judged,
    });
  } finally {
    closeDuckDb(session);
  }
}

/**
 * What bronze-verify observes of the bronze files on DuckDB, in one pass: the shared judgement's input
 * (model/bronze-checks.ts) and the report's counts. A key missing from the result or a NULL aggregate
 * stays null, which the judgement fails as "not observed".
 */
export async function observeBronze(connection: DuckDBConnection, files: readonly string[], m: { dataset: Manifest['dataset']; totals: Pick<Manifest['totals'], 'total_rows'> }, fileSet: BronzeFileSet) {
  const source = `read_parquet([${files.map(sqlString).join(', ')}])`;
  const described = await queryCells(connection, `DESCRIBE SELECT * FROM ${source}`);
  const actual = described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));

  const tables = { bronze: source, silver: '', gold: '' };
  const obs = await queryNumbers(connection, adapt(bronzeObservationsSelect({ payloadBytes: m.dataset.payload_bytes, customers: m.dataset.customers }), 'duckdb', tables));
  const window = await queryCells(connection, adapt('SELECT min(event_timestamp) AS lo, max(event_timestamp) AS hi FROM {bronze}', 'duckdb', tables));
  const [lo, hi] = (window.rows[0] ?? []).map((c) => (c && typeof c === 'object' && 'timestamp' in c ? c.timestamp : null));
  const byType = await queryCells(connection, adapt(bronzeCountsBy('interaction_type'), 'duckdb', tables));
  const byChannel = await queryCells(connection, adapt(bronzeCountsBy('channel'), 'duckdb', tables));

  const n = (k: string) => observedCount(obs[k]);
  const observations: BronzeObservations = {
    fileSetMismatches: fileSetMismatches(fileSet),
    // DuckDB names the bronze types as the column list declares them.
    schemaMismatches: schemaMismatches(actual, BRONZE_COLUMNS),
    rows: n('rows'),
    expectedRows: m.totals.total_rows,
    notNullViolations: n('not_null_violations'),
    structuralViolations: n('structural_violations'),
    domainViolations: n('domain_violations'),
    eventTsMin: lo ?? null,
    eventTsMax: hi ?? null,
    window: { start: m.dataset.window_start, end: m.dataset.window_end },
    payloadViolations: n('payload_violations'),
    emailMalformed: n('email_malformed'),
    phoneUnnormalizable: n('phone_unnormalizable'),
    duplicateSuspected: n('duplicate_suspected'),
    dirtyRatio: m.dataset.dirty_ratio,
  };
  return { observations, columns: actual.length, byType, byChannel };
}
