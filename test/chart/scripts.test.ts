// The chart's Python scripts (files/scripts), run here for real: the S3 probe and the init step
// against a real MinIO server and a local HTTP server. garage_setup.py and polaris_bootstrap.py
// need a Garage / Polaris server, which cannot run on this machine: they are only linted.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { chartDir, requireTools, run, runAsync, venvBin } from './helpers/tools.js';

const scripts = path.join(chartDir, 'files', 'scripts');
const python = path.join(venvBin, 'python');
const buckets = ['lakebench-bronze', 'lakebench-results'];
let minio: MinioServer;
let client: S3Client;

const s3Env = (overrides: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  PYTHONDONTWRITEBYTECODE: '1',
  LAKEBENCH_S3_ENDPOINT: minio.endpoint,
  LAKEBENCH_S3_REGION: minio.region,
  LAKEBENCH_S3_PATH_STYLE: 'true',
  AWS_ACCESS_KEY_ID: minio.accessKey,
  AWS_SECRET_ACCESS_KEY: minio.secretKey,
  ...overrides,
});
// No bytecode next to the chart's files (it would end up in a packaged chart otherwise).
const script = (name: string, args: string[], env: NodeJS.ProcessEnv) =>
  runAsync(python, [path.join(scripts, name), ...args], { env: { ...env, PYTHONDONTWRITEBYTECODE: '1' } });

beforeAll(async () => {
  requireTools();
  minio = await startMinio();
  client = new S3Client({ endpoint: minio.endpoint, region: minio.region, forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
  for (const Bucket of buckets) await client.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  client?.destroy();
  await minio?.stop();
});

describe('scripts', () => {
  it('pass pyflakes (no undefined names, unused imports or syntax errors)', () => {
    const files = readdirSync(scripts).filter((f) => f.endsWith('.py'));
    expect(files).toEqual(expect.arrayContaining(['catalog_health.py', 'common.py', 'garage_setup.py', 'polaris_bootstrap.py', 'prepare.py', 's3.py', 's3_probe.py']));
    const result = run(python, ['-m', 'pyflakes', ...files.map((f) => path.join(scripts, f))], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('s3_probe.py (helm test)', () => {
  it('puts, reads back, lists and deletes an object in every bucket', async () => {
    const result = await script('s3_probe.py', buckets, s3Env());
    expect(result.stderr).toBe('');
    expect(result.stdout.match(/^ok {3}s3:\/\/\S+: put\/get\/list\/delete$/gm)).toHaveLength(2);
    expect(result.status).toBe(0);
    for (const Bucket of buckets) expect((await client.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
  });

  it('fails, naming the bucket, when the bucket is missing', async () => {
    const result = await script('s3_probe.py', ['lakebench-bronze', 'lakebench-nope'], s3Env());
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/FAIL s3:\/\/lakebench-nope: HTTP 404/);
    expect(result.stderr).toMatch(/S3 probe failed for: lakebench-nope$/m);
  });

  it('fails with wrong credentials (the signature is really checked)', async () => {
    const result = await script('s3_probe.py', ['lakebench-bronze'], s3Env({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' }));
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/FAIL s3:\/\/lakebench-bronze: HTTP 403/);
  });

  it('names the missing environment variable', async () => {
    const result = await script('s3_probe.py', ['lakebench-bronze'], s3Env({ LAKEBENCH_S3_ENDPOINT: '' }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/LAKEBENCH_S3_ENDPOINT/);
  });
});

describe('prepare.py (init containers)', () => {
  let server: Server;
  let base = '';
  const jar = Buffer.from('not really a jar, but bytes with a known checksum');
  const sha = createHash('sha256').update(jar).digest('hex');
  const dirs: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => (req.url === '/driver.jar' ? res.end(jar) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'lakebench-prepare-'));
    dirs.push(d);
    return d;
  };

  it('waits for a TCP service and existing buckets, then fetches a file with a matching checksum', async () => {
    const dest = path.join(tmp(), 'driver.jar');
    const port = new URL(minio.endpoint).port;
    const result = await script('prepare.py', [`--wait=127.0.0.1:${port}`, `--buckets=${buckets.join(',')}`, `--fetch=${base}/driver.jar`, `--sha256=${sha}`, `--dest=${dest}`], s3Env());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(dest)).toEqual(jar);
  });

  it('rejects a download whose checksum differs and leaves no file behind', async () => {
    const dir = tmp();
    const result = await script('prepare.py', [`--fetch=${base}/driver.jar`, `--sha256=${'0'.repeat(64)}`, `--dest=${path.join(dir, 'driver.jar')}`], s3Env());
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/checksum mismatch/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives up on a missing bucket after the timeout, naming it', async () => {
    const result = await script('prepare.py', ['--buckets=lakebench-bronze,lakebench-missing', '--timeout=1'], s3Env());
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/buckets missing after 1s: lakebench-missing/);
  });
});

describe('catalog_health.py (helm test)', () => {
  it('fails, naming the endpoint, when no metastore answers', async () => {
    const result = await script('catalog_health.py', ['hive', '127.0.0.1', '1'], { PATH: process.env.PATH ?? '' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Hive Metastore 127\.0\.0\.1:1:/);
  });
});
