// Results upload to a real S3 server (MinIO on 127.0.0.1, started here): two runs one after the
// other leave both runs, both reports and an index that keeps every entry; `lakebench results
// --bucket` lists them and fetches a report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client, CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { lakebench } from '../harness/cli.js';

let minio: MinioServer;
let s3: S3Client;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-upload-'));
const out = path.join(tmp, 'out');
const config = path.join(tmp, 'lakebench.yaml');
let env: NodeJS.ProcessEnv;
const ids: string[] = [];

const body = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'results', Key: key }))).Body!.transformToString();

beforeAll(async () => {
  minio = await startMinio();
  s3 = new S3Client({ endpoint: minio.endpoint, region: minio.region, forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
  await s3.send(new CreateBucketCommand({ Bucket: 'results' }));
  writeFileSync(config, `scale: 0.01\noutput: ${out}\nresults:\n  bucket:\n    endpoint: \${RESULTS_ENDPOINT}\n    bucket: results\n    prefix: team-a\n`);
  env = { RESULTS_ENDPOINT: minio.endpoint, AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: minio.secretKey, AWS_REGION: minio.region };
  for (let i = 0; i < 2; i++) {
    const r = await lakebench(['run', '--local', '--config', config, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    ids.push((JSON.parse(r.stdout) as { run_id: string }).run_id);
  }
}, 600_000);
afterAll(async () => {
  await minio?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('results bucket', () => {
  it('holds metrics.json, report.html and the run record of both runs under the prefix', async () => {
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: 'results', Prefix: 'team-a/' }))).Contents!.map((o) => o.Key);
    for (const id of ids) {
      for (const f of ['metrics.json', 'report.html', 'run.json', 'datagen-manifest.json', 'stages/silver-build.json', 'benchmark/Q1.json', 'logs/runner.log']) {
        expect(keys).toContain(`team-a/runs/${id}/${f}`);
      }
      const metrics = JSON.parse(await body(`team-a/runs/${id}/metrics.json`));
      expect(metrics.run_id).toBe(id);
      expect((await body(`team-a/runs/${id}/report.html`)).startsWith('<!DOCTYPE html>')).toBe(true);
      expect(JSON.parse(await body(`team-a/runs/${id}/run.json`)).state).toBe('complete');
    }
  });

  it('keeps every run in the index: one entry object per run and a rebuilt roll-up', async () => {
    const index = JSON.parse(await body('team-a/index/index.json')) as { runs: { run_id: string; verdict: string }[] };
    expect(index.runs.map((r) => r.run_id)).toEqual(ids);
    expect(index.runs.every((r) => r.verdict === 'PASSED')).toBe(true);
    for (const id of ids) expect(JSON.parse(await body(`team-a/index/runs/${id}.json`)).run_id).toBe(id);
  });

  it('never writes a credential into an uploaded artifact', async () => {
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: 'results', Prefix: 'team-a/' }))).Contents!.map((o) => o.Key!);
    for (const key of keys) expect(await body(key), key).not.toContain(minio.secretKey);
  });

  it('lists the bucket’s runs and fetches a report with `lakebench results --bucket`', async () => {
    const listed = await lakebench(['results', '--config', config, '--bucket'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    for (const id of ids) expect(listed.stdout).toContain(id);
    const fetchDir = path.join(tmp, 'fetched');
    const fetched = await lakebench(['results', '--config', config, '--bucket', '--output', fetchDir, '--fetch', ids[0]!], { env });
    expect(fetched.code, fetched.stderr).toBe(0);
    const report = path.join(fetchDir, 'runs', ids[0]!, 'report.html');
    expect(fetched.stdout).toContain(report);
    expect(readFileSync(report, 'utf8')).toContain(ids[0]!);
  });
});
