// The embedded bronze-verify stage (DuckDB in-process) on a bronze file with the right schema and no
// rows: every sum() over it is NULL, and min/max(event_timestamp) too. Those observations were never
// made, so their checks fail as "not observed"; they used to read as zero violations and pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bronzeVerify } from '../../runner/src/platforms/embedded/bronze-verify.js';
import { warehouse } from '../../runner/src/platforms/embedded/warehouse.js';
import { BRONZE_COLUMNS } from '../../runner/src/datagen/columns.js';
import { datasetParams, fileName } from '../../runner/src/datagen/dataset.js';
import { buildManifest } from '../../runner/src/datagen/manifest.js';
import { sha256File } from '../../runner/src/datagen/parquet-file.js';
import { validateConfig } from '../../runner/src/config/load.js';
import { openDuckDb, closeDuckDb, sqlString } from '../../runner/src/engines/duckdb-session.js';
import type { StageReport } from '../../runner/src/model/stage-report.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-not-observed-'));
const wh = warehouse(path.join(tmp, 'out'));
let report: StageReport;

beforeAll(async () => {
  mkdirSync(wh.bronze, { recursive: true });
  const file = path.join(wh.bronze, fileName(0));
  const s = await openDuckDb({ threads: 1 });
  try {
    const columns = BRONZE_COLUMNS.map((c) => `CAST(NULL AS ${c.type}) AS "${c.name}"`).join(', ');
    await s.connection.run(`COPY (SELECT ${columns} LIMIT 0) TO ${sqlString(file)} (FORMAT parquet)`);
  } finally {
    closeDuckDb(s);
  }
  const params = datasetParams({ seed: 42, scale: 0.01, windowStart: '2024-01-01', windowEnd: '2025-12-31', dirtyRatio: 0.08, fileSizeMb: 16, customerLaw: { s: 1, q: 10 } });
  const zero = { amount_cents_total: 0, rows_product_id_null: 0, rows_device_type_null: 0, rows_satisfaction_set: 0 };
  const counts = { rows_by_interaction_type: {}, rows_by_data_quality_flag: {}, rows_by_channel: {}, rows_by_flag_and_type: {}, amount_cents_by_flag: {}, rows_by_month_excluding_duplicates: {} };
  const manifest = buildManifest(
    { ...params, file_count: 1 },
    [{ index: 0, key: fileName(0), stream_key: 'k', rows: 1000, bytes: statSync(file).size, first_id: 0, last_id: 999, content_hash: `sha256:${await sha256File(file)}`, event_ts_min: '2024-01-01T00:00:00.000000Z', event_ts_max: '2025-12-30T00:00:00.000000Z', aggregates: { ...zero, ...counts } }],
    new Date(0),
  );
  const config = validateConfig({ scale: 0.01 }, 'test');
  report = await bronzeVerify({ config, runId: '20261121-143005-3fa9c2', referenceDate: '2025-12-30', manifest, log: () => {} }, wh, 1);
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('embedded bronze-verify on a file with no rows', () => {
  it('fails every check whose observation is NULL as not observed', () => {
    const byName = Object.fromEntries(report.validation!.map((c) => [c.name, c]));
    for (const name of ['not_null', 'structural_nulls', 'domains', 'payload', 'email_malformed_rate', 'phone_unnormalizable_rate', 'duplicate_suspected_rate', 'dirt_present']) {
      expect(byName[name], name).toMatchObject({ status: 'FAIL', observed: null });
      expect(byName[name]!.detail, name).toMatch(/^not observed: /);
    }
    // What was observed is judged as usual: the file set and schema are right, the row count is not.
    expect(byName.file_set).toMatchObject({ status: 'PASS', observed: 0 });
    expect(byName.schema).toMatchObject({ status: 'PASS', observed: 0 });
    expect(byName.row_count).toMatchObject({ status: 'FAIL', observed: 1000, detail: 'read 0 rows, manifest says 1000' });
  });

  it('fails the stage with QUALITY_GATE naming the checks', () => {
    expect(report.status).toBe('failed');
    expect(report.error?.reason).toBe('QUALITY_GATE');
    expect(report.error?.message).toContain('not_null (not observed: nulls in the 28 never-null columns)');
  });
});
