// Two runs publishing at once must both end up in index/index.json. A store wrapper forces the
// interleaving that used to lose a run: publisher A has listed the entries (its own only) and is
// held there while publisher B publishes completely; then A writes its roll-up. On a real MinIO
// (conditional PUT) and on the local folder (lock + compare), A's stale write is refused and A
// rebuilds; on a server that ignores the condition (Garage v1.1.0's PutObject, simulated by the
// wrapper) A's re-check after writing finds B's entry and rebuilds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { makeMetrics } from '../fixtures/metrics.js';
import type { ObjectStore } from '../../runner/src/storage/object-store.js';
import { LocalStore } from '../../runner/src/storage/local-store.js';
import { S3Store } from '../../runner/src/storage/s3-store.js';
import { publishRun } from '../../runner/src/storage/results.js';

/** A real store whose first listing of the index entries waits for `gate` after it has listed. */
class HeldListingStore implements ObjectStore {
  heldOnce = false;
  refusedWrites = 0;
  private reachedHold!: () => void;
  readonly reached = new Promise<void>((r) => (this.reachedHold = r));

  constructor(
    private readonly inner: ObjectStore,
    private readonly gate: Promise<void>,
    /** Simulates a server that ignores If-Match / If-None-Match on PUT. */
    private readonly ignoreConditions = false,
  ) {}

  get location(): string {
    return this.inner.location;
  }
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    return this.inner.put(key, body, contentType);
  }
  putIfAbsent(key: string, body: string, contentType: string): Promise<boolean> {
    return this.inner.putIfAbsent(key, body, contentType);
  }
  get(key: string): Promise<string | undefined> {
    return this.inner.get(key);
  }
  version(key: string): Promise<string | undefined> {
    return this.inner.version(key);
  }
  async putIfMatch(key: string, body: string, contentType: string, expected: string | undefined): Promise<boolean> {
    if (this.ignoreConditions) {
      await this.inner.put(key, body, contentType);
      return true;
    }
    const written = await this.inner.putIfMatch(key, body, contentType, expected);
    if (!written) this.refusedWrites++;
    return written;
  }
  async list(prefix: string): Promise<string[]> {
    const keys = await this.inner.list(prefix);
    if (prefix === 'index/runs/' && !this.heldOnce) {
      this.heldOnce = true;
      this.reachedHold();
      await this.gate;
    }
    return keys;
  }
}

const A = makeMetrics({ runId: '20260110-090000-a0000a', startTime: '2026-01-10T09:00:00.000Z' });
const B = makeMetrics({ runId: '20260110-090100-b0000b', startTime: '2026-01-10T09:01:00.000Z' });
const artifacts = (m: typeof A) => ({ metrics: m, reportHtml: '<!DOCTYPE html>\n', files: {} });

/** A publishes through the wrapper and is held after listing; B publishes completely meanwhile. */
async function raceTwoPublishes(store: ObjectStore, ignoreConditions = false): Promise<{ index: { run_id: string }[]; held: HeldListingStore; warnings: string[] }> {
  let openGate!: () => void;
  const gate = new Promise<void>((r) => (openGate = r));
  const held = new HeldListingStore(store, gate, ignoreConditions);
  const warnings: string[] = [];
  const warn = (m: string) => void warnings.push(m);
  const a = publishRun(held, artifacts(A), warn);
  await held.reached;
  await publishRun(store, artifacts(B), warn);
  // B's roll-up has both runs now; A still holds a listing without B.
  expect((JSON.parse((await store.get('index/index.json'))!) as { runs: { run_id: string }[] }).runs.map((r) => r.run_id)).toEqual([A.run_id, B.run_id]);
  openGate();
  await a;
  const index = (JSON.parse((await store.get('index/index.json'))!) as { runs: { run_id: string }[] }).runs;
  return { index, held, warnings };
}

describe('concurrent publishes on the local folder', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-race-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('keep both runs: the stale roll-up is refused and rebuilt', async () => {
    const { index, held, warnings } = await raceTwoPublishes(new LocalStore(path.join(tmp, 'cas')));
    expect(index.map((r) => r.run_id)).toEqual([A.run_id, B.run_id]);
    expect(held.refusedWrites).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('keep both runs even when the write is not conditional (re-check after writing)', async () => {
    const { index } = await raceTwoPublishes(new LocalStore(path.join(tmp, 'plain')), true);
    expect(index.map((r) => r.run_id)).toEqual([A.run_id, B.run_id]);
  });

  it('keep all of eight runs published at the same time', async () => {
    const store = new LocalStore(path.join(tmp, 'eight'));
    const runs = Array.from({ length: 8 }, (_, i) => makeMetrics({ runId: `20260111-0900${String(i).padStart(2, '0')}-c0000${i}`, startTime: `2026-01-11T09:00:${String(i).padStart(2, '0')}.000Z` }));
    await Promise.all(runs.map((m) => publishRun(store, artifacts(m), () => {})));
    const index = JSON.parse((await store.get('index/index.json'))!) as { runs: { run_id: string }[] };
    expect(index.runs.map((r) => r.run_id)).toEqual(runs.map((m) => m.run_id));
  });
});

describe('concurrent publishes on MinIO', () => {
  let minio: MinioServer;
  let prefixes = 0;
  const store = () => new S3Store({ endpoint: minio.endpoint, region: minio.region, pathStyle: true, bucket: 'results', prefix: `race-${++prefixes}` });

  beforeAll(async () => {
    minio = await startMinio();
    process.env.AWS_ACCESS_KEY_ID = minio.accessKey;
    process.env.AWS_SECRET_ACCESS_KEY = minio.secretKey;
    const s3 = new S3Client({ endpoint: minio.endpoint, region: minio.region, forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
    await s3.send(new CreateBucketCommand({ Bucket: 'results' }));
  });
  afterAll(async () => {
    await minio?.stop();
  });

  it('keep both runs: MinIO refuses the stale conditional PUT (412) and A rebuilds', async () => {
    const { index, held, warnings } = await raceTwoPublishes(store());
    expect(index.map((r) => r.run_id)).toEqual([A.run_id, B.run_id]);
    expect(held.refusedWrites).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('MinIO evaluates the conditions: If-None-Match * on an existing object and a stale If-Match are refused', async () => {
    const s = store();
    expect(await s.putIfMatch('index/index.json', '{"v":1}', 'application/json', undefined)).toBe(true);
    const v1 = await s.version('index/index.json');
    expect(v1).toMatch(/^"[0-9a-f]+"$/);
    expect(await s.putIfMatch('index/index.json', '{"v":2}', 'application/json', undefined)).toBe(false);
    expect(await s.putIfMatch('index/index.json', '{"v":2}', 'application/json', v1)).toBe(true);
    expect(await s.putIfMatch('index/index.json', '{"v":3}', 'application/json', v1)).toBe(false);
    expect(await s.get('index/index.json')).toBe('{"v":2}');
  });

  it('keep both runs on a server that ignores the condition (re-check after writing)', async () => {
    const { index } = await raceTwoPublishes(store(), true);
    expect(index.map((r) => r.run_id)).toEqual([A.run_id, B.run_id]);
  });

  it('keep all of eight runs published at the same time', async () => {
    const s = store();
    const runs = Array.from({ length: 8 }, (_, i) => makeMetrics({ runId: `20260111-0900${String(i).padStart(2, '0')}-c0000${i}`, startTime: `2026-01-11T09:00:${String(i).padStart(2, '0')}.000Z` }));
    await Promise.all(runs.map((m) => publishRun(s, artifacts(m), () => {})));
    const index = JSON.parse((await s.get('index/index.json'))!) as { runs: { run_id: string }[] };
    expect(index.runs.map((r) => r.run_id)).toEqual(runs.map((m) => m.run_id));
  });
});
