// The output folder is made ready before anything is written (runner/src/storage/output-folder.ts):
// created one level at a time, and refused, naming it, when a file is in the way or when it would
// sit on a kernel pseudo filesystem. On this machine's real filesystems.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareOutputFolder } from '../../runner/src/storage/output-folder.js';
import { BadInputError } from '../../runner/src/util/errors.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-output-folder-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const refused = async (folder: string): Promise<BadInputError> => {
  const e = await prepareOutputFolder(folder).then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(BadInputError);
  return e as BadInputError;
};

describe('output folder', () => {
  it('creates missing levels and leaves no write probe behind', async () => {
    const target = path.join(tmp, 'a', 'b', 'c');
    expect(await prepareOutputFolder(target)).toBe(target);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses a file in place of the folder, and a folder below a file, naming the folder', async () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const e1 = await refused(file);
    expect(e1.where).toBe(file);
    expect(e1.message).toContain('it is a file, not a folder');
    const below = path.join(file, 'out');
    const e2 = await refused(below);
    expect(e2.where).toBe(below);
    expect(e2.message).toContain(`${file} is a file, not a folder`);
  });

  it('refuses a folder on a kernel pseudo filesystem without trying to create it', async () => {
    const e = await refused('/proc/lakebench-output');
    expect(e.message).toContain('on the proc filesystem');
    expect(existsSync('/proc/lakebench-output')).toBe(false);
    expect((await refused('/sys/kernel/lakebench')).message).toContain('on the sysfs filesystem');
  });
});
