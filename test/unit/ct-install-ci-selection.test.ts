// The cluster tier's choice of the chart's ci/ values files for chart-testing's `ct install`
// (test/cluster/fixtures/ct-install-ci-files.ts): the runnable ones are installed, and a ci file that
// is neither run nor left out with a reason is refused instead of being silently skipped.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CiFilesUnaccountedError, notRunnableCiFiles, runnableCiFiles, selectCiFiles } from '../cluster/fixtures/ct-install-ci-files.js';

const chartCi = path.resolve(import.meta.dirname, '../../charts/lakebench/ci');
const runnable = ['b-values.yaml', 'a-values.yaml'];
const notRunnable = { 'c-values.yaml': 'its image cannot be built here' };

function refusal(run: () => unknown): CiFilesUnaccountedError {
  try {
    run();
  } catch (e) {
    if (e instanceof CiFilesUnaccountedError) return e;
    throw e;
  }
  throw new Error('expected CiFilesUnaccountedError, nothing was thrown');
}

describe('ct install: which ci values files run', () => {
  it('returns the runnable values files, sorted, ignoring files that are not values files', () => {
    expect(selectCiFiles(['c-values.yaml', 'b-values.yaml', 'README.md', 'a-values.yaml'], runnable, notRunnable)).toEqual([
      'a-values.yaml',
      'b-values.yaml',
    ]);
  });

  it('refuses a ci values file that is neither run nor left out with a reason, naming it', () => {
    const e = refusal(() => selectCiFiles(['a-values.yaml', 'b-values.yaml', 'c-values.yaml', 'new-combination-values.yaml'], runnable, notRunnable));
    expect(e.problems).toEqual(['new-combination-values.yaml is neither run by ct install nor left out with a reason']);
    expect(e.message).toContain('charts/lakebench/ci: new-combination-values.yaml');
  });

  it('refuses a file left out with an empty reason', () => {
    const e = refusal(() => selectCiFiles(['a-values.yaml', 'b-values.yaml', 'c-values.yaml'], runnable, { 'c-values.yaml': '  ' }));
    expect(e.problems).toEqual(['c-values.yaml is left out without a reason']);
  });

  it('refuses a file listed both as run and as left out', () => {
    const e = refusal(() => selectCiFiles(['a-values.yaml', 'b-values.yaml', 'c-values.yaml'], runnable, { ...notRunnable, 'a-values.yaml': 'no image' }));
    expect(e.problems).toEqual(['a-values.yaml is listed both as run and as left out']);
  });

  it('refuses a listed file that is not in ci/ (renamed or removed), for either list', () => {
    const e = refusal(() => selectCiFiles(['a-values.yaml'], runnable, notRunnable));
    expect(e.problems).toEqual(['b-values.yaml is listed but not in ci/', 'c-values.yaml is listed but not in ci/']);
  });

  it("accounts for every values file in the chart's ci/ today", () => {
    expect(selectCiFiles(readdirSync(chartCi))).toEqual([...runnableCiFiles].sort());
    for (const reason of Object.values(notRunnableCiFiles)) expect(reason.trim()).not.toBe('');
  });
});
