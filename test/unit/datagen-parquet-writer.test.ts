// The generator's own Parquet writer (runner/src/datagen/parquet/), read back by a real reader
// (DuckDB's): every type, nulls in every nullable type, NaN, int64 beyond 32 bits and negative,
// several row groups, columns split into several pages, Snappy matches of every shape (long runs,
// overlapping and far copies, several 64 KiB fragments), statistics, and the temporary file removed
// when a write fails.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParquetFileWriter, type ParquetColumn } from '../../runner/src/datagen/parquet/parquet-writer.js';
import type { ColumnValues } from '../../runner/src/datagen/parquet/column-pages.js';
import { RandomAscii } from '../../runner/src/datagen/random-ascii.js';
import { sha256File } from '../../runner/src/datagen/parquet-file.js';
import { openDuckDb, closeDuckDb, queryCells } from '../../runner/src/engines/duckdb-session.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-pqw-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SCHEMA: ParquetColumn[] = [
  { name: 'big', type: 'int64' },
  { name: 'ts', type: 'timestamp-us' },
  { name: 'small', type: 'int32' },
  { name: 'x', type: 'double' },
  { name: 'flag', type: 'boolean' },
  { name: 'text', type: 'string' },
  { name: 'hex', type: 'string' },
];

/** Row r's expected values; null where the column's mask says so. */
const expected = (r: number) => ({
  big: r % 7 === 3 ? null : (r - 500) * 2 ** 33 + r, // negative and far beyond 32 bits
  ts: 1_704_067_200_000_000 + r * 1_000_001,
  small: r % 5 === 0 ? null : r * (r % 2 === 0 ? 1 : -1),
  x: r % 11 === 0 ? Number.NaN : r % 13 === 0 ? null : r / 8,
  flag: r % 9 === 0 ? null : r % 3 === 0,
  // Repetitive text: long matches, overlapping copies (a run of one letter), near and far offsets.
  text: r % 17 === 0 ? null : r % 4 === 0 ? 'z'.repeat(200 + (r % 50)) : `row-${r % 97}-${'abcdefgh'.repeat(r % 5)}-é`,
});

function group(from: number, rows: number, hex: RandomAscii): ColumnValues[] {
  const big = new Float64Array(rows);
  const ts = new Float64Array(rows);
  const small = new Int32Array(rows);
  const x = new Float64Array(rows);
  const flag = new Uint8Array(rows);
  const text = new Array<string>(rows);
  const valid = { big: new Uint8Array(rows), small: new Uint8Array(rows), x: new Uint8Array(rows), flag: new Uint8Array(rows), text: new Uint8Array(rows) };
  for (let i = 0; i < rows; i++) {
    const e = expected(from + i);
    big[i] = e.big ?? 0;
    valid.big[i] = e.big === null ? 0 : 1;
    ts[i] = e.ts;
    small[i] = e.small ?? 0;
    valid.small[i] = e.small === null ? 0 : 1;
    x[i] = e.x ?? 0;
    valid.x[i] = e.x === null ? 0 : 1;
    flag[i] = e.flag ? 1 : 0;
    valid.flag[i] = e.flag === null ? 0 : 1;
    text[i] = e.text ?? '';
    valid.text[i] = e.text === null ? 0 : 1;
  }
  return [
    { type: 'int64', values: big, valid: valid.big },
    { type: 'timestamp-us', values: ts },
    { type: 'int32', values: small, valid: valid.small },
    { type: 'double', values: x, valid: valid.x },
    { type: 'boolean', values: flag, valid: valid.flag },
    { type: 'string', values: text, valid: valid.text },
    { type: 'random-ascii', width: 1000, fill: (out, at, stride, count) => hex.hex(out, at, stride, count, 500) },
  ];
}

describe('the datagen Parquet writer', () => {
  const file = path.join(tmp, 'all-types.parquet');
  // 3 row groups; `text` and `hex` span several ~1 MiB pages and several 64 KiB Snappy fragments.
  const groups = [12_000, 9_000, 3];
  const rows = groups.reduce((a, b) => a + b, 0);
  const written = (() => {
    const hex = new RandomAscii('test-key', 'hex');
    const w = new ParquetFileWriter(file, SCHEMA, 'lakebench-datagen test');
    let from = 0;
    for (const n of groups) {
      w.writeRowGroup(n, group(from, n, hex));
      from += n;
    }
    return w.close();
  })();

  it('reports the size and SHA-256 of the bytes it wrote, and leaves no temporary file', async () => {
    expect(written.bytes).toBe(statSync(file).size);
    expect(written.sha256).toBe(await sha256File(file));
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('is read back by DuckDB with the declared types and every value, null and NaN', async () => {
    const db = await openDuckDb();
    try {
      const src = `read_parquet('${file}')`;
      const types = await queryCells(db.connection, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${src})`);
      expect(types.rows).toEqual([
        ['big', 'BIGINT'], ['ts', 'TIMESTAMP WITH TIME ZONE'], ['small', 'INTEGER'], ['x', 'DOUBLE'], ['flag', 'BOOLEAN'], ['text', 'VARCHAR'], ['hex', 'VARCHAR'],
      ]);
      const got = await queryCells(db.connection, `SELECT big, epoch_us(ts), small, x, flag, text, length(hex), regexp_full_match(hex, '[0-9a-f]{1000}') FROM ${src}`);
      expect(got.rows).toHaveLength(rows);
      for (let r = 0; r < rows; r++) {
        const e = expected(r);
        const [big, ts, small, x, flag, text, hexLength, hexOk] = got.rows[r]!;
        expect([big === null ? null : Number(big), Number(ts), small, x, flag, text, Number(hexLength), hexOk], `row ${r}`).toEqual([e.big, e.ts, e.small, e.x, e.flag, e.text, 1000, true]);
      }
      const distinctHex = await queryCells(db.connection, `SELECT count(DISTINCT hex) FROM ${src}`);
      expect(Number(distinctHex.rows[0]![0])).toBe(rows);
    } finally {
      closeDuckDb(db);
    }
  });

  it('writes row groups, pages and statistics a reader can use', async () => {
    const db = await openDuckDb();
    try {
      const meta = await queryCells(db.connection, `SELECT row_group_id, row_group_num_rows, path_in_schema, stats_min_value, stats_max_value, stats_null_count, compression FROM parquet_metadata('${file}') ORDER BY row_group_id, column_id`);
      expect(new Set(meta.rows.map((m) => `${m[0]}:${m[1]}`))).toEqual(new Set(['0:12000', '1:9000', '2:3']));
      expect(new Set(meta.rows.map((m) => m[6]))).toEqual(new Set(['SNAPPY']));
      const bigFirst = meta.rows.find((m) => m[0] === 0n && m[2] === 'big')!;
      const values = Array.from({ length: 12_000 }, (_, r) => expected(r).big).filter((v): v is number => v !== null);
      expect([bigFirst[3], bigFirst[4], Number(bigFirst[5])]).toEqual([String(Math.min(...values)), String(Math.max(...values)), 12_000 - values.length]);
      const textNulls = meta.rows.filter((m) => m[2] === 'text').reduce((n, m) => n + Number(m[5]), 0);
      expect(textNulls).toBe(Array.from({ length: rows }, (_, r) => r).filter((r) => expected(r).text === null).length);
      // DuckDB skips row groups by these statistics: wrong ones would lose rows from this count.
      const pruned = await queryCells(db.connection, `SELECT count(*) FROM read_parquet('${file}') WHERE big > ${(12_000 - 500) * 2 ** 33}`);
      expect(Number(pruned.rows[0]![0])).toBe(Array.from({ length: rows }, (_, r) => expected(r).big).filter((v) => v !== null && v > (12_000 - 500) * 2 ** 33).length);
    } finally {
      closeDuckDb(db);
    }
  });

  it('removes its temporary file and writes nothing under the final name when a write fails', () => {
    const target = path.join(tmp, 'failed.parquet');
    const w = new ParquetFileWriter(target, [{ name: 'hex', type: 'string' }], 'test');
    const failing: ColumnValues = { type: 'random-ascii', width: 8, fill: () => { throw new Error('generator failed'); } };
    expect(() => w.writeRowGroup(10, [failing])).toThrow('generator failed');
    w.abort();
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(tmp).filter((n) => n.startsWith('failed'))).toEqual([]);
  });

  it('refuses a row group whose columns do not match the schema', () => {
    const w = new ParquetFileWriter(path.join(tmp, 'mismatch.parquet'), SCHEMA, 'test');
    try {
      expect(() => w.writeRowGroup(1, [])).toThrow('row group has 0 columns, schema 7');
    } finally {
      w.abort();
    }
  });
});
