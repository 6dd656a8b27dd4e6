// A stage's failure reason is one of a closed set of codes, and the PySpark jobs' contract agrees
// with the runner's list: every code the Python source can put into a report's error.reason is read
// from spark-scripts/ and must be one the runner's stage report schema accepts, and vice versa.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JOB_FAILURE_REASONS, SPARK_APPLICATION_END_REASONS, sparkEndReason } from '../../runner/src/model/stage-reasons.js';
import { stageReport, stageReportSchema } from '../../runner/src/model/stage-report.js';
import { SPARK_FAILURE_STATES } from '../../runner/src/platforms/kubernetes/objects.js';

const SCRIPTS = path.resolve(__dirname, '../../spark-scripts');

/**
 * The reason codes the jobs can write: the first argument of every `JobError(...)` (both branches of
 * a conditional one), the `"reason": "..."` literals, and error_fields' fallbacks for other exceptions.
 */
function pythonReasonCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(SCRIPTS).filter((f) => f.endsWith('.py'))) {
    const text = readFileSync(path.join(SCRIPTS, file), 'utf8');
    for (const m of text.matchAll(/JobError\(\s*((?:"[A-Z_]+"(?:\s+if\s[^"]*?\selse\s)?)+)/g)) for (const c of m[1]!.matchAll(/"([A-Z_]+)"/g)) codes.add(c[1]!);
    for (const m of text.matchAll(/"reason":\s*"([A-Z_]+)"/g)) codes.add(m[1]!);
    for (const m of text.matchAll(/^\s*reason = .*$/gm)) for (const c of m[0].matchAll(/"([A-Z_]+)"/g)) codes.add(c[1]!);
  }
  return codes;
}

describe('stage failure reasons', () => {
  it('reads the codes the jobs write from the Python source (the reader finds what it must)', () => {
    const codes = pythonReasonCodes();
    // One of each form: a plain JobError, a conditional one (both branches), a literal, a fallback.
    for (const c of ['MANIFEST_MISMATCH', 'CATALOG', 'STORAGE', 'SELF_CHECK', 'CONFIG', 'ERROR']) expect(codes, c).toContain(c);
  });

  it('the job contract lists exactly the codes the PySpark jobs write', () => {
    expect([...pythonReasonCodes()].sort()).toEqual([...JOB_FAILURE_REASONS].sort());
  });

  it('the stage report schema accepts every job code and refuses one outside the set', () => {
    const failed = (reason: string) => ({ ...stageReport('silver-build', 'r', 'spark', new Date(0), {}), status: 'failed', error: { message: 'm', reason } });
    for (const code of JOB_FAILURE_REASONS) expect(stageReportSchema.safeParse(failed(code)).success, code).toBe(true);
    expect(stageReportSchema.safeParse(failed('SOMETHING_ELSE')).success).toBe(false);
  });

  it('every failure state of a SparkApplication the monitor can end in is a reason code', () => {
    for (const state of [...SPARK_FAILURE_STATES, 'TIMEOUT', 'DELETED', 'UNKNOWN', 'OOMKilled']) expect(SPARK_APPLICATION_END_REASONS, state).toContain(state);
    expect(sparkEndReason('SUBMISSION_FAILED')).toBe('SUBMISSION_FAILED');
    expect(sparkEndReason('SUSPENDED')).toBe('UNKNOWN');
    expect(sparkEndReason(null)).toBeNull();
  });
});
