// The embedded platform's checks on bronze files before any stage runs
// (runner/src/platforms/embedded/footers.ts and bronze-content.ts), on real Parquet files written by
// DuckDB: a truncated or garbled footer, a file overwritten with other bytes of the same size, and a
// missing file are each refused as bad input naming the file; intact files pass.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkParquetFooters } from '../../runner/src/platforms/embedded/footers.js';
import { checkBronzeContent } from '../../runner/src/platforms/embedded/bronze-content.js';
import { closeDuckDb, openDuckDb, sqlString } from '../../runner/src/engines/duckdb-session.js';
import { fileName } from '../../runner/src/datagen/dataset.js';
import { sha256File } from '../../runner/src/datagen/parquet-file.js';
import type { Manifest } from '../../runner/src/datagen/manifest.js';
import { BadInputError } from '../../runner/src/util/errors.js';

let root = '';
let dir = '';
let entries: Manifest['files'] = [];
const file = (index: number) => path.join(dir, fileName(index));

/** Writes a fresh copy of the two-file bronze folder; tests damage their own copy. */
async function freshBronze(): Promise<{ dir: string; entries: Manifest['files'] }> {
  const folder = mkdtempSync(path.join(root, 'bronze-'));
  const session = await openDuckDb({ threads: 1 });
  try {
    for (const index of [0, 1]) {
      await session.connection.run(`COPY (SELECT range AS id, 'row ' || range AS note FROM range(${index * 1000}, ${index * 1000 + 1000})) TO ${sqlString(path.join(folder, fileName(index)))} (FORMAT parquet)`);
    }
  } finally {
    closeDuckDb(session);
  }
  const files = await Promise.all(
    [0, 1].map(async (index) => {
      const p = path.join(folder, fileName(index));
      const bytes = readFileSync(p).length;
      return { index, key: fileName(index), stream_key: 'k', rows: 1000, bytes, first_id: index * 1000, last_id: index * 1000 + 999, content_hash: `sha256:${await sha256File(p)}`, event_ts_min: '', event_ts_max: '' };
    }),
  );
  return { dir: folder, entries: files };
}

/** The BadInputError a check threw (it must throw one). */
async function refusal(check: Promise<void>): Promise<BadInputError> {
  const e: unknown = await check.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(BadInputError);
  return e as BadInputError;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'lakebench-bronze-checks-'));
  ({ dir, entries } = await freshBronze());
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Parquet footer check', () => {
  it('passes intact files', async () => {
    await expect(checkParquetFooters([file(0), file(1)])).resolves.toBeUndefined();
  });

  it('refuses a truncated file and a file that is not Parquet, naming the file', async () => {
    const b = await freshBronze();
    const truncated = path.join(b.dir, fileName(1));
    truncateSync(truncated, readFileSync(truncated).length - 20);
    const e = await refusal(checkParquetFooters([path.join(b.dir, fileName(0)), truncated]));
    expect(e.where).toBe(truncated);
    expect(e.message).toContain('not a readable Parquet file');
    const text = path.join(b.dir, 'notes.parquet');
    writeFileSync(text, 'just text, no footer');
    expect((await refusal(checkParquetFooters([text]))).where).toBe(text);
  });
});

describe('bronze content check against the manifest', () => {
  it('passes files whose bytes hash to their manifest entries', async () => {
    await expect(checkBronzeContent(dir, entries)).resolves.toBeUndefined();
  });

  it('refuses a file overwritten in the middle with bytes of the same size, which its footer check misses', async () => {
    const b = await freshBronze();
    const damaged = path.join(b.dir, fileName(0));
    const bytes = readFileSync(damaged);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(damaged, bytes);
    await expect(checkParquetFooters([damaged])).resolves.toBeUndefined();
    const e = await refusal(checkBronzeContent(b.dir, b.entries));
    expect(e.where).toBe(damaged);
    expect(e.message).toContain(`content differs from the datagen manifest (sha256:${await sha256File(damaged)}, manifest says ${b.entries[0]!.content_hash})`);
  });

  it('refuses a missing file as not readable, naming it', async () => {
    const b = await freshBronze();
    rmSync(path.join(b.dir, fileName(1)));
    const e = await refusal(checkBronzeContent(b.dir, b.entries));
    expect(e.where).toBe(path.join(b.dir, fileName(1)));
    expect(e.message).toContain('not readable');
  });

  it('takes the file name from the entry’s index, never from its key: a key pointing outside is not followed', async () => {
    const outside = entries.map((f) => ({ ...f, key: '../../etc/passwd' }));
    await expect(checkBronzeContent(dir, outside)).resolves.toBeUndefined();
  });
});
