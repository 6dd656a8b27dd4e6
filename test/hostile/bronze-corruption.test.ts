// Bronze files overwritten with garbage of the same size, through the real CLI. `run` names the file
// and exits 2 before any run record exists (the footer may still be intact, so only the content hash
// catches it); `generate` does not certify the damaged files by their size: it regenerates them, and
// the manifest's content hashes and data fingerprint describe the bytes on disk again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench } from '../harness/cli.js';
import { sha256File } from '../../runner/src/datagen/parquet-file.js';
import { manifestSchema, type Manifest } from '../../runner/src/datagen/manifest.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-corrupt-'));
const out = path.join(tmp, 'out');
const bronze = path.join(out, 'warehouse', 'bronze');
const readManifest = (): Manifest => manifestSchema.parse(JSON.parse(readFileSync(path.join(bronze, '_manifest', 'manifest.json'), 'utf8')));
const noRun = () => expect(existsSync(path.join(out, 'runs')) ? readdirSync(path.join(out, 'runs')) : []).toEqual([]);
let clean: Manifest;

/** Overwrites the bytes between the leading magic and the footer: same size, footer still readable. */
function garbleBody(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    expect(tail.subarray(4).toString()).toBe('PAR1');
    const bodyEnd = size - 8 - tail.readUInt32LE(0);
    writeSync(fd, randomBytes(bodyEnd - 4), 0, bodyEnd - 4, 4);
  } finally {
    closeSync(fd);
  }
}

/** Overwrites the whole file with random bytes of the same size. */
function garbleAll(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, randomBytes(statSync(file).size), 0, statSync(file).size, 0);
  } finally {
    closeSync(fd);
  }
}

const hash = async (file: string) => `sha256:${await sha256File(file)}`;

beforeAll(async () => {
  const g = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
  expect(g.code, g.stderr).toBe(0);
  clean = readManifest();
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bronze corrupted with bytes of the same size', () => {
  it('run: names the file, exits 2 and writes no run record', async () => {
    const victim = path.join(bronze, 'part-000003.parquet');
    const size = statSync(victim).size;
    garbleBody(victim);
    expect(statSync(victim).size).toBe(size);
    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${victim}: content differs from the datagen manifest`);
    expect(r.stderr).toContain(clean.files[3]!.content_hash);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    noRun();
  });

  it('generate: regenerates the damaged files instead of certifying them by size, fingerprint unchanged and true', async () => {
    garbleAll(path.join(bronze, 'part-000005.parquet'));
    const before = await Promise.all(clean.files.map((f) => hash(path.join(bronze, f.key))));
    expect(before.filter((h, i) => h !== clean.files[i]!.content_hash)).toHaveLength(2); // files 3 and 5

    const g = await lakebench(['generate', '--local', '--scale', '0.01', '--output', out]);
    expect(g.code, g.stderr).toBe(0);
    const again = readManifest();
    expect(again.data_fingerprint).toBe(clean.data_fingerprint);
    // The manifest now describes the bytes on disk, every file checked.
    for (const f of again.files) expect(await hash(path.join(bronze, f.key)), f.key).toBe(f.content_hash);
    expect(again.files.map((f) => f.content_hash)).toEqual(clean.files.map((f) => f.content_hash));

    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out, '--stage', 'bronze-verify']);
    expect(r.code, r.stderr).toBe(0);
  });
});
