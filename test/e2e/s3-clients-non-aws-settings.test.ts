// Every S3 client of the runner comes from storage/s3-client.ts, and what reaches a real S3 server
// (MinIO on 127.0.0.1) through each user of it (the results store, the datagen bronze bucket, the
// Spark metrics reader, cleanup's bucket steps) is what non-AWS servers accept: no flexible
// checksum on uploads (MinIO stores none), no checksum mode on reads, one retry budget, and a
// missing object read as absent. A recording proxy in front of MinIO sees the requests as sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { createS3Client, S3_MAX_ATTEMPTS } from '../../runner/src/storage/s3-client.js';
import { S3Store } from '../../runner/src/storage/s3-store.js';
import { BronzeBucket } from '../../runner/src/datagen/bronze-bucket.js';
import { readMetricsText } from '../../runner/src/spark-jobs/read-report.js';
import { emptyBucket } from '../../runner/src/platforms/kubernetes/cleanup-buckets.js';

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders };

let minio: MinioServer;
let direct: S3Client;
let proxy: http.Server;
let endpoint: string;
const seen: Seen[] = [];
/** Keys under this prefix are answered 503 SlowDown by the proxy, so each attempt is counted. */
const FAILING = 'always-503/';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-s3-client-'));

beforeAll(async () => {
  minio = await startMinio();
  // The runner's clients read credentials from the environment only; this file's worker is its own process.
  process.env.AWS_ACCESS_KEY_ID = minio.accessKey;
  process.env.AWS_SECRET_ACCESS_KEY = minio.secretKey;
  direct = new S3Client({ endpoint: minio.endpoint, region: minio.region, forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
  for (const b of ['results', 'bronze', 'silver']) await direct.send(new CreateBucketCommand({ Bucket: b }));
  const target = new URL(minio.endpoint);
  proxy = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.url?.includes(`/${FAILING}`)) {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code><Message>test proxy</Message></Error>');
      return;
    }
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  direct?.destroy();
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  await minio?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** The requests the proxy saw while `fn` ran. */
async function recorded(fn: () => Promise<void>): Promise<Seen[]> {
  const from = seen.length;
  await fn();
  return seen.slice(from);
}

const FLEXIBLE_CHECKSUM_HEADERS = ['x-amz-sdk-checksum-algorithm', 'x-amz-checksum-algorithm', 'x-amz-checksum-mode', 'x-amz-trailer', 'x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256'];

/** Requests carrying a checksum header or aws-chunked framing; DeleteObjects (`?delete`) must carry one. */
function withChecksums(requests: Seen[]): string[] {
  return requests
    .filter((r) => !(r.method === 'POST' && /[?&]delete(=|&|$)/.test(r.url)))
    .flatMap((r) => {
      const bad = FLEXIBLE_CHECKSUM_HEADERS.filter((h) => r.headers[h] !== undefined);
      if (String(r.headers['content-encoding'] ?? '').includes('aws-chunked')) bad.push('content-encoding: aws-chunked');
      return bad.length ? [`${r.method} ${r.url}: ${bad.join(', ')}`] : [];
    });
}

/** The flexible checksum MinIO stored with the object, if any (what a server without them would have been sent). */
async function storedChecksum(bucket: string, key: string): Promise<string | undefined> {
  const h = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  return h.ChecksumCRC32 ?? h.ChecksumCRC32C ?? h.ChecksumCRC64NVME ?? h.ChecksumSHA1 ?? h.ChecksumSHA256;
}

const at = () => ({ endpoint, region: minio.region, pathStyle: true });

describe('S3 clients: the settings non-AWS servers need, in every user of the factory', () => {
  it('the results store uploads (single and multipart) and reads without flexible checksums', async () => {
    const store = new S3Store({ ...at(), bucket: 'results', prefix: 'team-a' });
    const requests = await recorded(async () => {
      await store.put('small.json', '{"a":1}', 'application/json');
      await store.put('large.bin', new Uint8Array(9 * 2 ** 20).fill(7), 'application/octet-stream');
      expect(await store.putIfMatch('index.json', '{}', 'application/json', undefined)).toBe(true);
      expect(await store.get('small.json')).toBe('{"a":1}');
      expect(await store.version('small.json')).toMatch(/^"/);
    });
    expect(requests.some((r) => r.url.includes('uploadId='))).toBe(true);
    expect(withChecksums(requests)).toEqual([]);
    for (const key of ['small.json', 'large.bin', 'index.json']) expect(await storedChecksum('results', `team-a/${key}`)).toBeUndefined();
  });

  it('the datagen bronze bucket streams files and writes documents without flexible checksums', async () => {
    const file = path.join(tmp, 'part-000000.parquet');
    writeFileSync(file, Buffer.alloc(3 * 2 ** 20, 5));
    const bucket = new BronzeBucket({ endpoint, region: minio.region, path_style: true, bucket: 'bronze' });
    try {
      const requests = await recorded(async () => {
        await bucket.putFile('customer/interactions/part-000000.parquet', file);
        await bucket.putJson('customer/_manifest/manifest.json', { files: 1 });
        expect(await bucket.size('customer/interactions/part-000000.parquet')).toBe(statSync(file).size);
        expect(await bucket.sha256('customer/interactions/part-000000.parquet')).toMatch(/^[0-9a-f]{64}$/);
        expect(await bucket.getJson('customer/_manifest/manifest.json')).toEqual({ files: 1 });
      });
      expect(withChecksums(requests)).toEqual([]);
      expect(await storedChecksum('bronze', 'customer/interactions/part-000000.parquet')).toBeUndefined();
      expect(await storedChecksum('bronze', 'customer/_manifest/manifest.json')).toBeUndefined();
    } finally {
      bucket.destroy();
    }
  });

  it('the Spark metrics reader reads without asking for a checksum mode', async () => {
    await direct.send(new PutObjectCommand({ Bucket: 'silver', Key: 'metrics/silver-build.json', Body: '{"stage":"silver-build"}' }));
    const requests = await recorded(async () => {
      expect(await readMetricsText('s3a://silver/metrics/silver-build.json', { endpoint, region: minio.region, path_style: true })).toBe('{"stage":"silver-build"}');
    });
    expect(requests).toHaveLength(1);
    expect(withChecksums(requests)).toEqual([]);
  });

  it("cleanup's bucket step sends a checksum only with DeleteObjects, which requires one", async () => {
    await direct.send(new PutObjectCommand({ Bucket: 'silver', Key: 'warehouse/x.parquet', Body: 'x' }));
    const s3 = createS3Client(at());
    try {
      const requests = await recorded(async () => {
        expect(await emptyBucket(s3, 'silver')).toMatch(/^\d+ objects deleted$/);
      });
      const deletes = requests.filter((r) => r.method === 'POST' && r.url.includes('delete'));
      expect(deletes.length).toBeGreaterThan(0);
      expect(withChecksums(requests)).toEqual([]);
      expect((await direct.send(new ListObjectsV2Command({ Bucket: 'silver' }))).KeyCount).toBe(0);
    } finally {
      s3.destroy();
    }
  });

  it('reads a missing object as absent in every reader (NoSuchKey on GET, NotFound on HEAD)', async () => {
    const store = new S3Store({ ...at(), bucket: 'results', prefix: '' });
    expect(await store.get('runs/none/metrics.json')).toBeUndefined();
    expect(await store.version('runs/none/metrics.json')).toBeUndefined();
    const bucket = new BronzeBucket({ endpoint, region: minio.region, path_style: true, bucket: 'bronze' });
    try {
      expect(await bucket.size('nothing.parquet')).toBeUndefined();
      expect(await bucket.sha256('nothing.parquet')).toBeUndefined();
      expect(await bucket.getJson('nothing.json')).toBeUndefined();
    } finally {
      bucket.destroy();
    }
    expect(await readMetricsText('s3://silver/metrics/none.json', { endpoint, region: minio.region, path_style: true })).toBeUndefined();
  });

  it(`gives every user the same retry budget: ${S3_MAX_ATTEMPTS} attempts of a request the server keeps refusing with 503`, async () => {
    const attemptsOf = async (fn: () => Promise<unknown>): Promise<number> => {
      const requests = await recorded(async () => {
        await expect(fn()).rejects.toThrow();
      });
      return requests.filter((r) => r.url.includes(`/${FAILING}`)).length;
    };
    const store = new S3Store({ ...at(), bucket: 'results', prefix: '' });
    const bucket = new BronzeBucket({ endpoint, region: minio.region, path_style: true, bucket: 'bronze' });
    try {
      expect(await attemptsOf(() => store.get(`${FAILING}a.json`))).toBe(S3_MAX_ATTEMPTS);
      expect(await attemptsOf(() => bucket.getJson(`${FAILING}b.json`))).toBe(S3_MAX_ATTEMPTS);
      expect(await attemptsOf(() => readMetricsText(`s3://silver/${FAILING}c.json`, { endpoint, region: minio.region, path_style: true }))).toBe(S3_MAX_ATTEMPTS);
    } finally {
      bucket.destroy();
    }
  }, 60_000);

  it('builds no S3 client anywhere in the runner but in the factory', () => {
    const root = path.resolve(__dirname, '../../runner/src');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
    const builders = files(root).filter((f) => /new\s+S3Client\s*\(/.test(readFileSync(f, 'utf8'))).map((f) => path.relative(root, f));
    expect(builders).toEqual(['storage/s3-client.ts']);
  });
});
