// Config files and environment values a careless or hostile user would feed `--config`, through the
// real CLI. Every refusal is exit 2 with the file (or the field) named, no stack trace, and nothing
// written: the output folder is never even created. `${VAR}` is substituted into parsed scalar
// values, so an environment value can never add keys, comment out text or become a mapping.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench, type CliResult } from '../harness/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-yaml-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, body: string | Buffer) => {
  const p = path.join(tmp, name);
  writeFileSync(p, body);
  return p;
};

/** Nine levels of nine aliases each: 9^9 ≈ 387 million strings once expanded. */
function aliasBomb(): string {
  const names = 'abcdefghij';
  let text = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
  for (let i = 1; i < names.length; i++) text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
  return text;
}

let outputs = 0;
/** `run --local` with the config, into a fresh output folder; returns the result and that folder. */
async function runWith(config: string, env: NodeJS.ProcessEnv = {}): Promise<{ r: CliResult; out: string }> {
  const out = path.join(tmp, `out-${++outputs}`);
  const r = await lakebench(['run', '--local', '--config', config, '--output', out], { env, cwd: tmp });
  return { r, out };
}

function refused(r: CliResult, out: string, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(existsSync(out), `${out} was created`).toBe(false);
}

describe('hostile config files', () => {
  it('an alias bomb: exit 2 naming the file, at once', async () => {
    const f = file('bomb.yaml', aliasBomb());
    const t0 = Date.now();
    const { r, out } = await runWith(f);
    refused(r, out, new RegExp(`^lakebench: ${f}: unusable YAML: Excessive alias count`));
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('a sequence nested 100,000 deep', async () => {
    const f = file('deep-seq.yaml', `name: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    const { r, out } = await runWith(f);
    refused(r, out, new RegExp(`^lakebench: ${f}: (malformed|unusable) YAML: .*(call stack|nested too deeply)`));
  });

  it('a mapping nested 50,000 deep', async () => {
    const f = file('deep-map.yaml', `${'{a: '.repeat(50_000)}1${'}'.repeat(50_000)}\n`);
    const { r, out } = await runWith(f);
    refused(r, out, new RegExp(`^lakebench: ${f}: (malformed|unusable) YAML: .*(call stack|nested too deeply)`));
  });

  it('a sequence, a scalar and a number at the top level', async () => {
    for (const [name, body] of [['seq.yaml', '- scale: 1\n- seed: 2\n'], ['scalar.yaml', 'lakebench\n'], ['number.yaml', '42\n']] as const) {
      const f = file(name, body);
      const { r, out } = await runWith(f);
      refused(r, out, new RegExp(`^lakebench: ${f}: the top level must be a mapping of keys`));
    }
  });

  it('a duplicate key (the second would silently win)', async () => {
    const f = file('dup.yaml', 'scale: 0.01\nseed: 1\nscale: 50\n');
    const { r, out } = await runWith(f);
    refused(r, out, new RegExp(`^lakebench: ${f}: malformed YAML: Map keys must be unique`));
  });

  it('binary junk, and a NUL byte inside a value', async () => {
    const junk = file('junk.yaml', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)));
    const a = await runWith(junk);
    refused(a.r, a.out, new RegExp(`^lakebench: ${junk}: `));
    const nul = file('nul.yaml', 'scale: 0.01\u0000\n');
    const b = await runWith(nul);
    refused(b.r, b.out, new RegExp(`^lakebench: ${nul}: invalid configuration\\n  - scale: `));
  });

  it('a YAML tag and a merge key do not smuggle in values', async () => {
    const tagged = file('tag.yaml', 'scale: !!binary AAAA\n');
    const a = await runWith(tagged);
    refused(a.r, a.out, new RegExp(`^lakebench: ${tagged}: invalid configuration\\n  - scale: `));
    const merge = file('merge.yaml', 'defaults: &d { scale: 50 }\n<<: *d\n');
    const b = await runWith(merge);
    refused(b.r, b.out, /defaults: unknown key/);
  });

  it('a directory, a device and a FIFO instead of a file (each would be read forever or fail obscurely)', async () => {
    const dir = path.join(tmp, 'dir.yaml');
    mkdirSync(dir);
    const fifo = path.join(tmp, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    for (const [f, what] of [[dir, 'a directory'], ['/dev/zero', 'a device, socket or pipe'], [fifo, 'a device, socket or pipe']] as const) {
      const { r, out } = await runWith(f);
      refused(r, out, new RegExp(`^lakebench: ${f}: not a regular file \\(${what}\\)`));
    }
  });

  it('a file far larger than any config', async () => {
    const f = file('huge.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\nscale: 0.01\n`);
    const { r, out } = await runWith(f);
    refused(r, out, new RegExp(`^lakebench: ${f}: \\d+ bytes: a config file is at most 1048576 bytes`));
  });

  it('an empty file and a comments-only file are all defaults (accepted)', async () => {
    for (const f of [file('empty.yaml', ''), file('comments.yaml', '# every key is optional\n')]) {
      const r = await lakebench(['recommend', '--config', f], { cwd: tmp });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Lakebench sizing at scale 0\.1 /);
    }
  });
});

describe('environment values substituted into the config', () => {
  const recommend = (config: string, env: NodeJS.ProcessEnv) => lakebench(['recommend', '--config', config], { env, cwd: tmp });

  it('a newline in a value cannot add a key (it used to set scale: 50 here)', async () => {
    const f = file('env-output.yaml', 'output: ${LB_HOSTILE_OUT}\n');
    const r = await recommend(f, { LB_HOSTILE_OUT: '/tmp/somewhere\nscale: 50' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Lakebench sizing at scale 0\.1 /);
  });

  it("' #' in a value is part of the value, not a comment (the name is refused whole)", async () => {
    const f = file('env-name.yaml', 'name: ${LB_HOSTILE_NAME}\n');
    const r = await recommend(f, { LB_HOSTILE_NAME: 'bench # the rest' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${f}: invalid configuration\n  - name: lower-case letters, digits and dashes`);
  });

  it("'{…}' in a value stays a string, and a newline in a name is refused naming the field", async () => {
    const f = file('env-name2.yaml', 'name: ${LB_HOSTILE_NAME}\n');
    for (const value of ['{scale: 50}', 'bench\nseed: 7']) {
      const r = await recommend(f, { LB_HOSTILE_NAME: value });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${f}: invalid configuration\n  - name: lower-case letters, digits and dashes`);
    }
  });

  it("':' and '//' in a value (an endpoint URL) arrive intact", async () => {
    const f = file('env-endpoint.yaml', 'scale: 0.01\ncluster:\n  storage: { endpoint: "${LB_HOSTILE_S3}" }\n  catalog: { uri: "thrift://hive:9083" }\n  queryEngine:\n    endpoint: ${LB_HOSTILE_TRINO:-http://trino:8080}\n');
    const r = await lakebench(['plan', '--config', f], { env: { LB_HOSTILE_S3: 'http://minio.example:9000' }, cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('http://minio.example:9000');
  });

  it('an unquoted value is typed like a YAML literal; a quoted one stays a string', async () => {
    const plain = await recommend(file('env-scale.yaml', 'scale: ${LB_HOSTILE_SCALE}\n'), { LB_HOSTILE_SCALE: '0.5' });
    expect(plain.stdout).toMatch(/^Lakebench sizing at scale 0\.5 /);
    const quoted = file('env-scale-quoted.yaml', 'scale: "${LB_HOSTILE_SCALE}"\n');
    const r = await recommend(quoted, { LB_HOSTILE_SCALE: '0.5' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${quoted}: invalid configuration\n  - scale: Invalid input: expected number, received string`);
  });

  it('an unset variable without a default is refused naming it and the file', async () => {
    const f = file('env-unset.yaml', 'scale: 0.01\nname: ${LB_HOSTILE_UNSET}\n');
    const { r, out } = await runWith(f, { LB_HOSTILE_UNSET: '' });
    refused(r, out, new RegExp(`^lakebench: ${f}: environment variable LB_HOSTILE_UNSET is not set and has no default`));
  });

  it('a ${VAR} in a comment is not substituted (an unset one used to refuse the file)', async () => {
    const f = file('env-comment.yaml', '# set ${LB_HOSTILE_UNSET} to change the name\nscale: 0.01\n');
    const r = await recommend(f, {});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Lakebench sizing at scale 0\.01 /);
  });
});
