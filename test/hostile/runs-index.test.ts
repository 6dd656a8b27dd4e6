// One bad object in the runs index, through the real CLI, in the output folder and in a results
// bucket on a real MinIO: a truncated entry, an entry that parses but fails the schema, and a copy of
// another run's entry under a different name. Every command names each one in a warning on stderr
// and skips it; `results` and `report` still work, `run` still passes and ends its record. A run
// whose publishing fails ends its run.json as incomplete with the reason, never `running`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client, CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startMinio, type MinioServer } from '../harness/minio.js';
import { lakebench } from '../harness/cli.js';

let minio: MinioServer;
let s3: S3Client;
let env: NodeJS.ProcessEnv;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-index-'));
const out = path.join(tmp, 'out');
const config = path.join(tmp, 'lakebench.yaml');
const PREFIX = 'team-h';
let first: string;

const TRUNCATED = 'index/runs/20260101-000000-aaaaaa.json';
const OFF_SCHEMA = 'index/runs/20260101-000001-bbbbbb.json';
const FOREIGN = 'index/runs/20260101-000002-cccccc.json';

const readLocal = (key: string) => readFileSync(path.join(out, ...key.split('/')), 'utf8');
const readBucket = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'results', Key: `${PREFIX}/${key}` }))).Body!.transformToString();
const indexIds = (text: string) => (JSON.parse(text) as { runs: { run_id: string }[] }).runs.map((r) => r.run_id);

/** The three bad objects, made from a real entry so only the defect differs. */
function badObjects(entryText: string): Record<string, string> {
  const entry = JSON.parse(entryText) as Record<string, unknown>;
  return {
    [TRUNCATED]: JSON.stringify({ ...entry, run_id: '20260101-000000-aaaaaa' }).slice(0, 120),
    [OFF_SCHEMA]: JSON.stringify({ ...entry, run_id: '20260101-000001-bbbbbb', verdict: 'MAYBE' }),
    [FOREIGN]: entryText,
  };
}

function expectNamed(stderr: string, location: string): void {
  // `lakebench: warning: …` from results and report, `warning: …` in a run's progress.
  expect(stderr).toContain(`warning: skipped ${TRUNCATED} in ${location}: not JSON (`);
  expect(stderr).toContain(`skipped ${OFF_SCHEMA} in ${location}: not a valid index entry (verdict: `);
  expect(stderr).toContain(`skipped ${FOREIGN} in ${location}: describes run ${first}, not the run its name says`);
  expect(stderr).not.toContain('SyntaxError');
  expect(stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  minio = await startMinio();
  s3 = new S3Client({ endpoint: minio.endpoint, region: minio.region, forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
  await s3.send(new CreateBucketCommand({ Bucket: 'results' }));
  writeFileSync(config, `scale: 0.01\noutput: ${out}\nresults:\n  bucket:\n    endpoint: \${RESULTS_ENDPOINT}\n    bucket: results\n    prefix: ${PREFIX}\n`);
  env = { RESULTS_ENDPOINT: minio.endpoint, AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: minio.secretKey, AWS_REGION: minio.region };
  const r = await lakebench(['run', '--local', '--config', config, '--skip-benchmark', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  first = (JSON.parse(r.stdout) as { run_id: string }).run_id;
  for (const [key, body] of Object.entries(badObjects(readLocal(`index/runs/${first}.json`)))) {
    writeFileSync(path.join(out, ...key.split('/')), body);
    await s3.send(new PutObjectCommand({ Bucket: 'results', Key: `${PREFIX}/${key}`, Body: body }));
  }
}, 600_000);
afterAll(async () => {
  await minio?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a bad object under index/runs/', () => {
  it('`results` lists the good run once and names each bad object (output folder)', async () => {
    const r = await lakebench(['results', '--output', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`lakebench: warning: skipped ${TRUNCATED} in ${out}: not JSON (`);
    expect(r.stdout.split(first).length - 1).toBe(1);
    expectNamed(r.stderr, out);
    const json = await lakebench(['results', '--output', out, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { run_id: string }[]).map((e) => e.run_id)).toEqual([first]);
  });

  it('`results --bucket` lists the good run and names each bad object with the bucket', async () => {
    const r = await lakebench(['results', '--config', config, '--bucket', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { run_id: string }[]).map((e) => e.run_id)).toEqual([first]);
    expectNamed(r.stderr, `s3://results/${PREFIX} at ${minio.endpoint}`);
  });

  it('`report` re-renders the latest good run and names each bad object', async () => {
    const r = await lakebench(['report', '--output', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(path.join(out, 'runs', first, 'report.html'));
    expectNamed(r.stderr, out);
  });

  it('`run` still passes, ends its record and rebuilds both indexes with both runs', async () => {
    const r = await lakebench(['run', '--local', '--config', config, '--skip-benchmark', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const second = (JSON.parse(r.stdout) as { run_id: string; verdict: string }).run_id;
    expectNamed(r.stderr, out);
    expectNamed(r.stderr, `s3://results/${PREFIX} at ${minio.endpoint}`);
    // Once each, though the history and both index rebuilds read them.
    expect(r.stderr.split(`skipped ${OFF_SCHEMA} in ${out}:`).length - 1).toBe(1);
    expect(JSON.parse(readLocal(`runs/${second}/run.json`)).state).toBe('complete');
    expect(JSON.parse(await readBucket(`runs/${second}/run.json`)).state).toBe('complete');
    expect(indexIds(readLocal('index/index.json'))).toEqual([first, second]);
    expect(indexIds(await readBucket('index/index.json'))).toEqual([first, second]);
  });
});

describe('a run whose publishing fails', () => {
  it('exits 1 naming the folder and ends run.json as incomplete with the reason', async () => {
    const out2 = path.join(tmp, 'out2');
    // The same bronze (no second datagen), and a file where the index entries' folder must go.
    cpSync(path.join(out, 'warehouse', 'bronze'), path.join(out2, 'warehouse', 'bronze'), { recursive: true });
    mkdirSync(path.join(out2, 'index'), { recursive: true });
    writeFileSync(path.join(out2, 'index', 'runs'), 'not a folder\n');
    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out2, '--skip-benchmark']);
    expect(r.code, r.stderr).toBe(1);
    const runs = readdirSync(path.join(out2, 'runs'));
    expect(runs).toHaveLength(1);
    const record = JSON.parse(readFileSync(path.join(out2, 'runs', runs[0]!, 'run.json'), 'utf8')) as { state: string; reason: string; ended_at: string | null };
    expect(record.state).toBe('incomplete');
    expect(record.reason).toContain(`publishing the results to ${out2} failed`);
    expect(record.ended_at).not.toBeNull();
    expect(r.stderr).toContain(`publishing the results to ${out2} failed`);
    // The history could not be read either: said, not hidden.
    expect(r.stderr).toContain(`warning: the run history in ${out2} could not be read`);
  });
});
