// bronze-verify's gates (pipeline.md §3): observations in, a validation summary out. Any `fail`
// breach fails the stage; a `warn` breach only warns. Platform-neutral: the embedded (DuckDB) and
// cluster (Spark) stages both feed their observations through here.
import type { LakebenchConfig, QualityCheckName } from '../config/schema.js';
import type { ValidationCheck } from '../model/metrics.js';

export type BronzeObservations = {
  fileSetMismatches: string[];
  schemaMismatches: string[];
  rows: number;
  expectedRows: number;
  notNullViolations: number;
  structuralViolations: number;
  domainViolations: number;
  windowViolation: string | null;
  payloadViolations: number;
  emailMalformed: number;
  phoneUnnormalizable: number;
  duplicateSuspected: number;
  dirtyRatio: number;
};

type Thresholds = LakebenchConfig['quality']['thresholds'];

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function evaluateBronze(o: BronzeObservations, thresholds: Thresholds): ValidationCheck[] {
  const share = (n: number) => (o.rows > 0 ? n / o.rows : 0);
  const emailExpected = (o.dirtyRatio * 4) / 6;
  const phoneExpected = o.dirtyRatio * 0.38;
  const rateLimit = (expected: number) => 1.5 * expected + 0.005;
  const checks: ValidationCheck[] = [];

  const add = (name: QualityCheckName, observed: number, expected: number | null, defaultMax: number, detail: string, breach?: (max: number) => boolean) => {
    const t = thresholds[name];
    const max = t.max ?? defaultMax;
    const breached = breach ? breach(max) : observed > max;
    checks.push({ name, status: breached ? (t.mode === 'fail' ? 'FAIL' : 'WARN') : 'PASS', observed, expected, threshold: max, mode: t.mode, detail });
  };

  add('file_set', o.fileSetMismatches.length, 0, 0, o.fileSetMismatches.length ? o.fileSetMismatches.slice(0, 5).join('; ') : 'objects under the data prefix are exactly the manifest files, sizes equal');
  add('schema', o.schemaMismatches.length, 0, 0, o.schemaMismatches.length ? o.schemaMismatches.slice(0, 5).join('; ') : '41 columns with their declared types, no extra columns');
  add('row_count', Math.abs(o.rows - o.expectedRows), 0, 0, `read ${o.rows} rows, manifest says ${o.expectedRows}`);
  add('not_null', o.notNullViolations, 0, 0, `nulls in the 28 never-null columns`);
  add('structural_nulls', o.structuralViolations, 0, 0, 'rows whose nulls do not follow interaction type, channel, campaign and loyalty');
  add('domains', o.domainViolations + (o.windowViolation ? 1 : 0), 0, 0, o.windowViolation ?? 'categorical values, customer ids and event times inside their domains');
  add('payload', o.payloadViolations, 0, 0, 'payloads that are not 2 × payload_bytes lowercase hex characters');
  add('email_malformed_rate', share(o.emailMalformed), emailExpected, rateLimit(emailExpected), `${pct(share(o.emailMalformed))} malformed after trim + lower-case (expected ≈ ${pct(emailExpected)})`);
  add('phone_unnormalizable_rate', share(o.phoneUnnormalizable), phoneExpected, rateLimit(phoneExpected), `${pct(share(o.phoneUnnormalizable))} not normalizable to +1 and 10 digits (expected ≈ ${pct(phoneExpected)})`);
  add('duplicate_suspected_rate', share(o.duplicateSuspected), 0.02, 0.05, `${pct(share(o.duplicateSuspected))} flagged duplicate_suspected`);
  // Catches a generator that silently stopped corrupting: rates must reach half their expectation.
  const dirtFloor = Math.min(emailExpected, phoneExpected) / 2;
  add(
    'dirt_present',
    Math.min(share(o.emailMalformed) / (emailExpected || 1), share(o.phoneUnnormalizable) / (phoneExpected || 1)),
    1,
    0.5,
    o.dirtyRatio > 0 ? `email and phone dirt at least half their expected rates (floor ${pct(dirtFloor)})` : 'dirty_ratio is 0: nothing to check',
    (min) => o.dirtyRatio > 0 && (share(o.emailMalformed) < emailExpected * min || share(o.phoneUnnormalizable) < phoneExpected * min),
  );
  return checks;
}

export const failedChecks = (checks: readonly ValidationCheck[]) => checks.filter((c) => c.status === 'FAIL');
