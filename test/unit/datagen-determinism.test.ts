// docs/data.md §4 and §9: files are pure functions of their inputs; any split, any order, any worker
// count and any host time zone give the same bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, readFileSync, writeFileSync, unlinkSync, existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { datasetParams, GENERATOR_VERSION } from '../../runner/src/datagen/dataset.js';
import { generateDataset } from '../../runner/src/datagen/generate-dataset.js';
import { generateFile } from '../../runner/src/datagen/generate-file.js';
import { sha256File } from '../../runner/src/datagen/parquet-file.js';
import { openDuckDb, closeDuckDb, queryCells, queryNumbers } from '../../runner/src/engines/duckdb-session.js';
import { BRONZE_COLUMNS } from '../../runner/src/datagen/columns.js';
import type { Manifest } from '../../runner/src/datagen/manifest.js';
import { repoRoot } from '../harness/cache.js';

// Scale 0.01 in 4 MB files: 25 files of about 1,000 rows (the 1,000-row floor applies).
const params = datasetParams({ seed: 42, scale: 0.01, windowStart: '2024-01-01', windowEnd: '2025-12-31', dirtyRatio: 0.08, fileSizeMb: 4, customerLaw: { s: 1, q: 10 } });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-datagen-'));
const dirA = path.join(tmp, 'a');
let manifest: Manifest;

beforeAll(async () => {
  manifest = await generateDataset({ params, bronzeDir: dirA, workers: 2, now: () => new Date(0) });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('datagen determinism', () => {
  it('splits scale 0.01 into files of at least 1,000 rows', () => {
    expect(params.file_count).toBe(25);
    expect(manifest.totals.total_rows).toBe(25_565);
    expect(manifest.files.every((f) => f.rows >= 1000)).toBe(true);
  });

  it('regenerates a single file alone, byte for byte', async () => {
    const dir = path.join(tmp, 'single');
    mkdirSync(dir, { recursive: true });
    const entry = await generateFile(params, 7, dir);
    expect(entry.content_hash).toBe(manifest.files[7]!.content_hash);
  });

  it('gives the same data fingerprint with one worker as with two', async () => {
    const one = await generateDataset({ params, bronzeDir: path.join(tmp, 'one'), workers: 1 });
    expect(one.data_fingerprint).toBe(manifest.data_fingerprint);
    expect(one.files.map((f) => f.content_hash)).toEqual(manifest.files.map((f) => f.content_hash));
  }, 120_000);

  it('writes exactly the 41 declared columns with their types', async () => {
    const s = await openDuckDb();
    try {
      const d = await queryCells(s.connection, `DESCRIBE SELECT * FROM read_parquet('${path.join(dirA, 'part-000000.parquet')}')`);
      expect(d.rows.map((r) => [r[0], r[1]])).toEqual(BRONZE_COLUMNS.map((c) => [c.name, c.type]));
    } finally {
      closeDuckDb(s);
    }
  });

  it('keeps manifest totals equal to the entries and to the rows actually in the files', async () => {
    expect(manifest.files.reduce((n, f) => n + f.rows, 0)).toBe(manifest.totals.total_rows);
    expect(manifest.files.reduce((n, f) => n + f.bytes, 0)).toBe(manifest.totals.total_bytes);
    const s = await openDuckDb();
    try {
      const counted = await queryNumbers(s.connection, `SELECT count(*) AS n, min(id) AS lo, max(id) AS hi, count(DISTINCT id) AS d FROM read_parquet('${dirA}/*.parquet')`);
      expect(counted).toEqual({ n: 25_565, lo: 0, hi: 25_564, d: 25_565 });
      for (const f of manifest.files.slice(0, 3)) expect(`sha256:${await sha256File(path.join(dirA, f.key))}`).toBe(f.content_hash);
    } finally {
      closeDuckDb(s);
    }
  });

  it('resumes: only a missing file is generated again, and leftovers are removed', async () => {
    unlinkSync(path.join(dirA, 'part-000004.parquet'));
    writeFileSync(path.join(dirA, 'part-999999.parquet'), 'leftover from a larger run');
    const events: { skipped: number }[] = [];
    const again = await generateDataset({ params, bronzeDir: dirA, workers: 2, onProgress: (p) => events.push(p) });
    expect(events).toHaveLength(1);
    expect(events[0]!.skipped).toBe(24);
    expect(again.data_fingerprint).toBe(manifest.data_fingerprint);
    expect(existsSync(path.join(dirA, 'part-999999.parquet'))).toBe(false);
    expect(readdirSync(dirA).filter((n) => n.endsWith('.parquet'))).toHaveLength(25);
  }, 120_000);

  it('changes the fingerprint when the seed changes', () => {
    const other = datasetParams({ ...{ seed: 43, scale: 0.01, windowStart: '2024-01-01', windowEnd: '2025-12-31', dirtyRatio: 0.08, fileSizeMb: 4, customerLaw: { s: 1, q: 10 } } });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(params));
  });

  it('does not depend on the host time zone', () => {
    const script = `import { datasetParams } from './runner/src/datagen/dataset.ts';
import { generateFile } from './runner/src/datagen/generate-file.ts';
const p = datasetParams(${JSON.stringify({ seed: 42, scale: 0.01, windowStart: '2024-01-01', windowEnd: '2025-12-31', dirtyRatio: 0.08, fileSizeMb: 4, customerLaw: { s: 1, q: 10 } })});
const e = await generateFile(p, 2, process.argv[2]);
console.log(e.content_hash);`;
    const file = path.join(repoRoot, 'scratch-tz-probe.mts');
    writeFileSync(file, script);
    try {
      const hashes = ['America/Los_Angeles', 'Asia/Kolkata'].map((tz) => {
        const dir = mkdtempSync(path.join(tmp, 'tz-'));
        return execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [file, dir], { cwd: repoRoot, env: { ...process.env, TZ: tz } }).toString().trim();
      });
      expect(hashes[0]).toBe(manifest.files[2]!.content_hash);
      expect(hashes[1]).toBe(manifest.files[2]!.content_hash);
    } finally {
      rmSync(file, { force: true });
    }
  }, 60_000);

  it('names its own Parquet writer and the generator version in the manifest and in every file', async () => {
    expect(manifest.generator).toMatchObject({ name: 'lakebench-datagen', version: GENERATOR_VERSION, parquet_writer: 'lakebench-datagen', parquet_writer_version: GENERATOR_VERSION, hash_basis: 'file-bytes' });
    const s = await openDuckDb();
    try {
      const created = await queryCells(s.connection, `SELECT DISTINCT created_by FROM parquet_file_metadata('${dirA}/*.parquet')`);
      expect(created.rows).toEqual([[`lakebench-datagen version ${GENERATOR_VERSION}`]]);
    } finally {
      closeDuckDb(s);
    }
  });

  it('writes the manifest entries it is built from', () => {
    const entry = JSON.parse(readFileSync(path.join(dirA, '_manifest', 'files', 'part-000003.json'), 'utf8'));
    expect(entry.content_hash).toBe(manifest.files[3]!.content_hash);
    expect(entry.aggregates.rows_by_interaction_type).toBeTypeOf('object');
  });
});
