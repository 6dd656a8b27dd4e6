// Every numeric flag of every command, fed what yargs' `type: 'number'` used to let through (`abc`
// became NaN, an empty value 0, 1e999 Infinity, and `run --timeout abc` started a run that failed
// with "timed out after NaN s"). Each bad value is refused with exit 2, naming the flag, before any
// output folder or run record exists. The whole matrix goes through the real command parser
// in-process (a child process per case would take minutes on a loaded machine); one case per flag,
// and the whole corpus for `run --timeout`, go through the CLI in a child process.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lakebench, type CliResult } from '../harness/cli.js';
import { isBadInput, lakebenchParser } from '../../runner/src/cli/parser.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// A config file that does not exist: should a flag's check ever be missing, the command's handler
// stops at once on it (with a different message, so the test fails) instead of starting a run.
const missingConfig = path.join(tmp, 'no-such-config.yaml');

type Rule = { integer?: boolean; min?: number; minExclusive?: boolean; max?: number; emptyMeansUnlimited?: boolean };
type Flag = { command: string; flag: string; rule: Rule; base: string[] };

const run = ['run', '--local', '--config', missingConfig];
const generate = ['generate', '--local', '--config', missingConfig];
const benchmark = ['benchmark', '--local', '--config', missingConfig];
const seconds: Rule = { min: 0, minExclusive: true, max: 2_000_000 };
const waitSeconds: Rule = { min: 0, max: 2_000_000 };

const FLAGS: Flag[] = [
  ...[run, generate, benchmark].flatMap((base) => [
    { command: base[0]!, flag: 'scale', rule: {}, base },
    { command: base[0]!, flag: 'wait-for-lease', rule: waitSeconds, base },
    { command: base[0]!, flag: 'wait', rule: { ...waitSeconds, emptyMeansUnlimited: true }, base },
  ]),
  { command: 'run', flag: 'timeout', rule: seconds, base: run },
  { command: 'benchmark', flag: 'streams', rule: { integer: true, min: 1, max: 64 }, base: benchmark },
  { command: 'benchmark', flag: 'iterations', rule: { integer: true, min: 1, max: 100 }, base: benchmark },
  { command: 'benchmark', flag: 'query-timeout', rule: { min: 0, minExclusive: true, max: 86400 }, base: benchmark },
  { command: 'plan', flag: 'scale', rule: {}, base: ['plan', '--config', missingConfig] },
  { command: 'recommend', flag: 'scale', rule: {}, base: ['recommend', '--config', missingConfig] },
  { command: 'recommend', flag: 'nodes', rule: { integer: true, min: 1, max: 100_000 }, base: ['recommend', '--config', missingConfig] },
  { command: 'recommend', flag: 'node-cpu', rule: { min: 0, minExclusive: true, max: 100_000 }, base: ['recommend', '--config', missingConfig] },
  { command: 'recommend', flag: 'node-memory-gb', rule: { min: 0, minExclusive: true, max: 1_000_000 }, base: ['recommend', '--config', missingConfig] },
  { command: 'datagen-worker', flag: 'index', rule: { integer: true, min: 0, max: 100_000 }, base: ['datagen-worker', '--task', path.join(tmp, 'no-such-task.json'), '--pods', '2'] },
  { command: 'datagen-worker', flag: 'pods', rule: { integer: true, min: 1, max: 100_000 }, base: ['datagen-worker', '--task', path.join(tmp, 'no-such-task.json'), '--index', '0'] },
];

/** Values that are never numbers, and numbers each flag's range may refuse. */
const CORPUS = ['abc', '', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '0x10', '1_000', '5s', '5 5', '0', '-5', '1.5', '1e9', '-0.5'];

function isValid(value: string, rule: Rule): boolean {
  if (value === '' && rule.emptyMeansUnlimited) return true;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return false;
  const n = Number(value);
  if (!Number.isFinite(n) || (rule.integer && !Number.isInteger(n))) return false;
  if (rule.min !== undefined && (rule.minExclusive ? n <= rule.min : n < rule.min)) return false;
  return rule.max === undefined || n <= rule.max;
}

const badCases = FLAGS.flatMap((f) => CORPUS.filter((v) => !isValid(v, f.rule)).map((value) => ({ ...f, value })));

async function parseError(argv: string[]): Promise<unknown> {
  try {
    await lakebenchParser(argv).parseAsync();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('numeric flags, through the command parser', () => {
  it('covers every numeric flag with at least four refused values', () => {
    for (const f of FLAGS) expect(badCases.filter((c) => c.command === f.command && c.flag === f.flag).length, `${f.command} --${f.flag}`).toBeGreaterThanOrEqual(4);
  });

  it.each(badCases.map((c) => [`${c.command} --${c.flag} ${JSON.stringify(c.value)}`, c] as const))('refuses %s', async (_name, c) => {
    const e = await parseError([...c.base, `--${c.flag}=${c.value}`]);
    expect(isBadInput(e), String(e)).toBe(true);
    expect((e as Error).message).toMatch(new RegExp(`^--${c.flag}: expected a (whole )?number`));
  });

  it('refuses a numeric flag given twice', async () => {
    const e = await parseError([...run, '--timeout', '5', '--timeout', '6']);
    expect(isBadInput(e)).toBe(true);
    expect((e as Error).message).toBe('--timeout: given 2 times; give it once');
  });

  it('refuses a numeric flag without its value', async () => {
    const e = await parseError([...run, '--timeout']);
    expect(isBadInput(e)).toBe(true);
    expect((e as Error).message).toMatch(/timeout/);
  });

  // The other side: valid values pass the flag check and reach the handler, which then stops on
  // the missing config file. Without this, a parser refusing everything would pass the tests above.
  it.each(FLAGS.filter((f) => f.command !== 'datagen-worker').map((f) => [`${f.command} --${f.flag}`, f] as const))('accepts a valid %s', async (_name, f) => {
    const value = f.rule.min !== undefined && f.rule.min > 0 ? String(f.rule.min) : f.rule.integer ? '1' : '0.5';
    const e = await parseError([...f.base, `--${f.flag}`, value]);
    expect((e as Error).message).toBe(`${missingConfig}: cannot read config file (ENOENT)`);
  });
});

/** Runs `jobs` at most `width` at a time (each is a node process; the machine has 2 cores). */
async function pooled<T>(jobs: (() => Promise<T>)[], width = 3): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

describe('numeric flags, through the CLI in child processes', () => {
  // The cases on `run --timeout`, then one refused value on a flag of each other command
  // (the parser tests above cover every flag), each with a real config and output folder, so a
  // missing check would start work. The exit code and the disk are what only a process shows.
  const config = path.join(tmp, 'ok.yaml');
  const cases = [
    ...['abc', '0', '-5', '1e999', 'NaN', ''].map((value) => ({ command: 'run', flag: 'timeout', value })),
    { command: 'generate', flag: 'scale', value: 'abc' },
    { command: 'benchmark', flag: 'streams', value: '1.5' },
    { command: 'benchmark', flag: 'query-timeout', value: 'Infinity' },
    { command: 'plan', flag: 'scale', value: '' },
    { command: 'recommend', flag: 'node-cpu', value: '-5' },
    { command: 'datagen-worker', flag: 'pods', value: '0' },
  ];
  const argvOf = (c: (typeof cases)[number], out: string): string[] => {
    const flag = `--${c.flag}=${c.value}`;
    switch (c.command) {
      case 'run':
      case 'generate':
      case 'benchmark':
        return [c.command, '--local', ...(c.flag === 'scale' ? [] : ['--scale', '0.01']), '--output', out, flag];
      case 'plan':
      case 'recommend':
        return [c.command, '--config', config, flag];
      default:
        return ['datagen-worker', '--task', path.join(tmp, 'task.json'), ...(c.flag === 'pods' ? ['--index', '0'] : ['--pods', '2']), flag];
    }
  };

  it(`refuses each with exit 2 naming the flag, leaving nothing behind (${cases.length} processes)`, async () => {
    writeFileSync(config, 'scale: 0.01\ncluster:\n  queryEngine: { endpoint: http://trino:8080 }\n');
    const results: CliResult[] = await pooled(cases.map((c, i) => () => lakebench(argvOf(c, path.join(tmp, `out-${i}`)), { cwd: tmp })));
    for (const [i, c] of cases.entries()) {
      const r = results[i]!;
      const what = `${c.command} --${c.flag}=${JSON.stringify(c.value)}: ${r.stderr}`;
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toMatch(new RegExp(`^lakebench: --${c.flag}: expected a (whole )?number`));
      expect(r.stderr, what).not.toMatch(/\n\s+at /); // no stack trace
      // Refused before the output folder was even created: no run record, no warehouse.
      expect(existsSync(path.join(tmp, `out-${i}`)), what).toBe(false);
    }
    // Nothing anywhere else either (no lakebench-output/ in the working folder).
    expect(readdirSync(tmp)).toEqual(['ok.yaml']);
  });
});
