// `lakebench datagen-land` (the landing pod of a continuous run) refuses a task document it cannot use,
// naming the file, before it lands anything: driven through the real command parser in-process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lakebenchParser } from '../../runner/src/cli/parser.js';
import { BadInputError } from '../../runner/src/util/errors.js';

async function refusal(args: string[]): Promise<BadInputError> {
  try {
    await lakebenchParser(args).exitProcess(false).parseAsync();
  } catch (e) {
    if (e instanceof BadInputError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('datagen-land task refusals', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-land-task-'));

  it('names a task file that cannot be read', async () => {
    const file = path.join(dir, 'missing.json');
    const e = await refusal(['datagen-land', '--task', file, '--work-dir', dir]);
    expect(e.where).toBe(file);
    expect(e.message).toMatch(/cannot read the landing task \(ENOENT\)/);
  });

  it('names the task file and the field of a document that is not a landing task', async () => {
    const file = path.join(dir, 'bad.json');
    // A prefix escaping the bucket's data folder is refused like every other key the runner writes.
    writeFileSync(file, JSON.stringify({ landing_version: 1, datagen: {}, first_index: 3, interval_ms: 1000, duration_seconds: 60, prefix: '../other/', entries_prefix: 'customer/_manifest/landing/x/' }));
    const e = await refusal(['datagen-land', '--task', file, '--work-dir', dir]);
    expect(e.where).toBe(file);
    expect(e.message).toMatch(/invalid landing task: .*prefix: a relative key prefix ending in \//);
  });
});
