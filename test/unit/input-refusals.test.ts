// Bad input refused where it is read, naming what to fix (exit 2 through BadInputError): numeric
// flags (runner/src/cli/number-flag.ts), run ids given as arguments (cli/run-id-argument.ts) and the
// config's issue lines (config/issues.ts), here on the functions themselves; the e2e and hostile
// tiers drive the same refusals through the CLI.
import { describe, expect, it } from 'vitest';
import { parseNumberFlag } from '../../runner/src/cli/number-flag.js';
import { runIdArgument } from '../../runner/src/cli/run-id-argument.js';
import { describeIssues } from '../../runner/src/config/issues.js';
import { configSchema } from '../../runner/src/config/schema.js';
import { newRunId } from '../../runner/src/model/run-id.js';
import { BadInputError } from '../../runner/src/util/errors.js';

const refusal = (fn: () => unknown): BadInputError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BadInputError) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('numeric flags', () => {
  const timeout = { min: 0, minExclusive: true, max: 2_000_000 };
  it('accepts plain decimal numbers in range, from text or a number', () => {
    expect(parseNumberFlag('--timeout', '90', timeout)).toBe(90);
    expect(parseNumberFlag('--timeout', ' 1.5e3 ', timeout)).toBe(1500);
    expect(parseNumberFlag('--streams', 8, { integer: true, min: 1, max: 64 })).toBe(8);
  });

  for (const raw of ['abc', '', 'NaN', 'Infinity', '1e999', '0x10', '1_000', '--5']) {
    it(`refuses ${JSON.stringify(raw)}, naming the flag and what it expects`, () => {
      const e = refusal(() => parseNumberFlag('--timeout', raw, timeout));
      expect(e.where).toBe('--timeout');
      expect(e.message).toMatch(/^--timeout: expected a number above 0 and at most 2000000, got /);
    });
  }

  it('refuses the excluded minimum, values out of range and fractions for a whole-number flag', () => {
    expect(refusal(() => parseNumberFlag('--timeout', '0', timeout)).message).toBe('--timeout: expected a number above 0 and at most 2000000, got 0');
    expect(refusal(() => parseNumberFlag('--timeout', '-5', timeout)).message).toBe('--timeout: expected a number above 0 and at most 2000000, got -5');
    expect(refusal(() => parseNumberFlag('--streams', '65', { integer: true, min: 1, max: 64 })).message).toBe('--streams: expected a whole number at least 1 and at most 64, got 65');
    expect(refusal(() => parseNumberFlag('--streams', '2.5', { integer: true, min: 1, max: 64 })).message).toBe('--streams: expected a whole number at least 1 and at most 64, got 2.5');
  });

  it('refuses a flag given twice', () => {
    expect(refusal(() => parseNumberFlag('--scale', ['1', '2'], {})).message).toBe('--scale: given 2 times; give it once');
  });
});

describe('run id arguments', () => {
  it('accepts a run id of the form the runner makes', () => {
    const id = newRunId(new Date('2026-11-21T14:30:05Z'));
    expect(runIdArgument(id, 'run-id')).toBe(id);
  });

  for (const bad of ['../../x', '20261121-143005-3fa9c2/../..', '/etc/passwd', '20261121-143005', '20261121-143005-3FA9C2', '']) {
    it(`refuses ${JSON.stringify(bad)}, naming the argument`, () => {
      const e = refusal(() => runIdArgument(bad, '--fetch'));
      expect(e.where).toBe('--fetch');
      expect(e.message).toContain('is not a run id');
    });
  }
});

describe("the config's issue lines", () => {
  const lines = (input: unknown) => {
    const r = configSchema.safeParse(input);
    if (r.success) throw new Error('accepted');
    return describeIssues(r.error, configSchema).split('\n');
  };

  it('names an unknown key with its dotted path, the closest known key and the allowed ones', () => {
    expect(lines({ benchmark: { iteratoins: 2 } })).toEqual([expect.stringMatching(/^ {2}- benchmark\.iteratoins: unknown key \(did you mean 'iterations'\?\); allowed: .*\biterations\b/)]);
  });

  it('never offers a removed key as an allowed one', () => {
    expect(lines({ pipeline: { preBenchmark: true } })).toEqual(["  - pipeline.preBenchmark: unknown key; allowed: mode, timeoutSeconds"]);
  });

  it('suggests nothing for a key far from every known one', () => {
    expect(lines({ zzzzzzzzzz: 1 })[0]).toMatch(/^ {2}- zzzzzzzzzz: unknown key; allowed: name, scale, /);
  });

  it('gives a wrong value its path and the schema message', () => {
    expect(lines({ scale: 0 })).toEqual(['  - scale: scale must be at least 0.01']);
    expect(lines({ benchmark: { mode: 'fast' } })[0]).toMatch(/^ {2}- benchmark\.mode: /);
  });
});
