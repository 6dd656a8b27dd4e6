// Object keys that could leave a store's root are refused: the pure decision (objectKeyProblem),
// then each store on a real folder / without reaching a server, and run ids on their way into keys.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { objectKeyProblem } from '../../runner/src/storage/object-key.js';
import { LocalStore } from '../../runner/src/storage/local-store.js';
import { S3Store } from '../../runner/src/storage/s3-store.js';
import { runKey } from '../../runner/src/storage/results.js';
import { BadInputError } from '../../runner/src/util/errors.js';

const HOSTILE_KEYS: [string, string][] = [
  ['', 'is empty'],
  ['../x', "has a '..' path segment"],
  ['runs/../../x/report.html', "has a '..' path segment"],
  ['runs/20261121-143005-3fa9c2/..', "has a '..' path segment"],
  ['./runs/x', "has a '.' path segment"],
  ['/etc/passwd', 'is an absolute path'],
  ['C:/Windows/win.ini', 'starts with a drive letter'],
  ['runs\\..\\..\\x', 'contains a backslash'],
  ['runs/x\0.json', 'contains a NUL byte'],
  ['runs/x\n.json', 'contains a control character'],
  ['runs//x.json', 'has an empty path segment'],
  ['runs/x/', 'has an empty path segment'],
];

describe('objectKeyProblem', () => {
  it.each(HOSTILE_KEYS)('refuses %j: %s', (key, problem) => {
    expect(objectKeyProblem(key)).toBe(problem);
  });

  it('accepts the keys of the results layout', () => {
    for (const key of ['runs/20261121-143005-3fa9c2/run.json', 'runs/20261121-143005-3fa9c2/stages/silver-build.json', 'index/runs/20261121-143005-3fa9c2.json', 'index/index.json', 'a..b/c.d']) expect(objectKeyProblem(key), key).toBeNull();
  });

  it('allows one trailing slash on a listing prefix, and nothing else', () => {
    expect(objectKeyProblem('index/runs/', { prefix: true })).toBeNull();
    expect(objectKeyProblem('index/runs//', { prefix: true })).toBe('has an empty path segment');
    expect(objectKeyProblem('../', { prefix: true })).toBe("has a '..' path segment");
  });
});

describe('LocalStore keeps every path inside its folder', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-keys-'));
  const root = path.join(tmp, 'out');
  const store = new LocalStore(root);
  writeFileSync(path.join(tmp, 'secret.txt'), 'outside the output folder');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(HOSTILE_KEYS.filter(([k]) => k !== ''))('refuses %j for put, get, list, putIfAbsent and putIfMatch', async (key) => {
    await expect(store.put(key, 'x')).rejects.toBeInstanceOf(BadInputError);
    await expect(store.get(key)).rejects.toBeInstanceOf(BadInputError);
    if (objectKeyProblem(key, { prefix: true })) await expect(store.list(key)).rejects.toBeInstanceOf(BadInputError);
    await expect(store.putIfAbsent(key, 'x')).rejects.toBeInstanceOf(BadInputError);
    await expect(store.putIfMatch(key, 'x', 'text/plain', undefined)).rejects.toBeInstanceOf(BadInputError);
  });

  it('names the key and the folder, and wrote nothing anywhere', async () => {
    await expect(store.get('../secret.txt')).rejects.toThrow(`${root}: object key "../secret.txt" has a '..' path segment`);
    expect(readdirSync(tmp).sort()).toEqual(['secret.txt']);
    expect(existsSync(root)).toBe(false);
  });
});

describe('S3Store refuses before any request', () => {
  // Nothing listens on port 9 (discard): a request that went out would fail differently.
  const bucket = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', pathStyle: true, bucket: 'results', prefix: 'team-a' };

  it.each(HOSTILE_KEYS.filter(([k]) => k !== ''))('refuses %j', async (key) => {
    const store = new S3Store(bucket);
    await expect(store.get(key)).rejects.toBeInstanceOf(BadInputError);
    await expect(store.put(key, 'x', 'text/plain')).rejects.toBeInstanceOf(BadInputError);
    await expect(store.version(key)).rejects.toBeInstanceOf(BadInputError);
    await expect(store.putIfMatch(key, 'x', 'text/plain', '"etag"')).rejects.toBeInstanceOf(BadInputError);
    if (objectKeyProblem(key, { prefix: true })) await expect(store.list(key)).rejects.toBeInstanceOf(BadInputError);
  });

  it.each([['../other-team'], ['team-a/../../x'], ['a\\b'], ['a//b']])('refuses the prefix %j, naming results.bucket.prefix', (prefix) => {
    expect(() => new S3Store({ ...bucket, prefix })).toThrow(/^results\.bucket\.prefix: prefix /);
  });

  it('accepts a nested prefix with surrounding slashes', () => {
    expect(new S3Store({ ...bucket, prefix: '/team-a/nightly/' }).location).toBe('s3://results/team-a/nightly at http://127.0.0.1:9');
  });
});

describe('runKey', () => {
  it.each([['../../x'], ['20261121-143005-3fa9c2/../..'], [''], ['20261121-143005-3FA9C2'], ['20261121-143005-3fa9c2 ']])('refuses the run id %j', (id) => {
    expect(() => runKey(id, 'metrics.json')).toThrow(BadInputError);
  });

  it('builds the key of a run id', () => {
    expect(runKey('20261121-143005-3fa9c2', 'metrics.json')).toBe('runs/20261121-143005-3fa9c2/metrics.json');
  });
});
