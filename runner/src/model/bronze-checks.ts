// bronze-verify's judgement (docs/pipeline.md §3), the one both platforms use: the file-set and
// schema messages, the gates (observations in, a validation summary out) and the stage's verdict
// with its message. Any `fail` breach fails the stage; a `warn` breach only warns. The embedded
// stage (DuckDB) observes bronze itself; on a cluster the Spark job reports raw observations and
// the runner judges them here, so the two platforms cannot disagree on what passes. Plain data in:
// the callers map the manifest and their engine's type names.
import type { LakebenchConfig, QualityCheckName } from '../config/schema.js';
import type { ValidationCheck } from './metrics.js';
import type { StageReport } from './stage-report.js';

/**
 * A count the stage observed, or `null` when it was not observed (a column missing from the
 * result, a NULL aggregate). A check whose observation is missing fails as "not observed", in either
 * mode: a count nobody made is never zero violations.
 */
export type Observed = number | null;

export type BronzeObservations = {
  fileSetMismatches: string[];
  schemaMismatches: string[];
  rows: Observed;
  expectedRows: number;
  notNullViolations: Observed;
  structuralViolations: Observed;
  domainViolations: Observed;
  /** min(event_timestamp) and max(event_timestamp) as ISO instants. */
  eventTsMin: string | null;
  eventTsMax: string | null;
  /** The dataset's half-open window [start, end) from the manifest. */
  window: { start: string; end: string };
  payloadViolations: Observed;
  emailMalformed: Observed;
  phoneUnnormalizable: Observed;
  duplicateSuspected: Observed;
  dirtyRatio: number;
};

type Thresholds = LakebenchConfig['quality']['thresholds'];

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** A usable count: a finite, non-negative number. Anything else (undefined, null, NaN) was not observed. */
export function observedCount(value: unknown): Observed {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** `null` unless both inputs were observed. */
const both = <T>(a: Observed, b: Observed, f: (a: number, b: number) => T): T | null => (a === null || b === null ? null : f(a, b));

export function evaluateBronze(o: BronzeObservations, thresholds: Thresholds): ValidationCheck[] {
  const rows = observedCount(o.rows);
  // A share of the rows read: not observed without a count or without rows to divide by.
  const share = (n: Observed): Observed => both(observedCount(n), rows, (k, r) => (r > 0 ? k / r : null));
  const emailExpected = (o.dirtyRatio * 4) / 6;
  const phoneExpected = o.dirtyRatio * 0.38;
  const rateLimit = (expected: number) => 1.5 * expected + 0.005;
  const checks: ValidationCheck[] = [];

  const add = (name: QualityCheckName, observed: Observed, expected: number | null, defaultMax: number, detail: string, breach?: (max: number) => boolean) => {
    const t = thresholds[name];
    const max = t.max ?? defaultMax;
    if (observed === null || !Number.isFinite(observed)) {
      checks.push({ name, status: 'FAIL', observed: null, expected, threshold: max, mode: t.mode, detail: `not observed: ${detail}` });
      return;
    }
    const breached = breach ? breach(max) : observed > max;
    checks.push({ name, status: breached ? (t.mode === 'fail' ? 'FAIL' : 'WARN') : 'PASS', observed, expected, threshold: max, mode: t.mode, detail });
  };

  add('file_set', o.fileSetMismatches.length, 0, 0, o.fileSetMismatches.length ? o.fileSetMismatches.slice(0, 5).join('; ') : 'objects under the data prefix are exactly the manifest files, sizes equal');
  add('schema', o.schemaMismatches.length, 0, 0, o.schemaMismatches.length ? o.schemaMismatches.slice(0, 5).join('; ') : '41 columns with their declared types, no extra columns');
  add('row_count', rows === null ? null : Math.abs(rows - o.expectedRows), 0, 0, rows === null ? `no row count (manifest says ${o.expectedRows})` : `read ${rows} rows, manifest says ${o.expectedRows}`);
  add('not_null', observedCount(o.notNullViolations), 0, 0, `nulls in the 28 never-null columns`);
  add('structural_nulls', observedCount(o.structuralViolations), 0, 0, 'rows whose nulls do not follow interaction type, channel, campaign and loyalty');
  const window = windowViolation(o);
  add(
    'domains',
    window === null ? null : both(observedCount(o.domainViolations), window.violated ? 1 : 0, (a, b) => a + b),
    0,
    0,
    window === null ? 'the event_timestamp range (no min or max read)' : window.violated ? window.detail : 'categorical values, customer ids and event times inside their domains',
  );
  add('payload', observedCount(o.payloadViolations), 0, 0, 'payloads that are not 2 × payload_bytes lowercase hex characters');
  const email = share(o.emailMalformed);
  const phone = share(o.phoneUnnormalizable);
  const duplicates = share(o.duplicateSuspected);
  const rateDetail = (x: Observed, observedText: (x: number) => string, count: string) => (x === null ? `no ${count} count or no rows read` : observedText(x));
  add('email_malformed_rate', email, emailExpected, rateLimit(emailExpected), rateDetail(email, (x) => `${pct(x)} malformed after trim + lower-case (expected ≈ ${pct(emailExpected)})`, 'email_malformed'));
  add('phone_unnormalizable_rate', phone, phoneExpected, rateLimit(phoneExpected), rateDetail(phone, (x) => `${pct(x)} not normalizable to +1 and 10 digits (expected ≈ ${pct(phoneExpected)})`, 'phone_unnormalizable'));
  add('duplicate_suspected_rate', duplicates, 0.02, 0.05, rateDetail(duplicates, (x) => `${pct(x)} flagged duplicate_suspected`, 'duplicate_suspected'));
  // Catches a generator that silently stopped corrupting: rates must reach half their expectation.
  const dirtFloor = Math.min(emailExpected, phoneExpected) / 2;
  const dirt = email === null || phone === null ? null : { email, phone };
  add(
    'dirt_present',
    dirt && Math.min(dirt.email / (emailExpected || 1), dirt.phone / (phoneExpected || 1)),
    1,
    0.5,
    dirt === null ? 'the email and phone dirt rates' : o.dirtyRatio > 0 ? `email and phone dirt at least half their expected rates (floor ${pct(dirtFloor)})` : 'dirty_ratio is 0: nothing to check',
    (min) => dirt !== null && o.dirtyRatio > 0 && (dirt.email < emailExpected * min || dirt.phone < phoneExpected * min),
  );
  return checks;
}

/** The event_timestamp range against the window; `null` when the range was not observed or not readable. */
function windowViolation(o: BronzeObservations): { violated: boolean; detail: string } | null {
  const lo = o.eventTsMin === null ? Number.NaN : Date.parse(o.eventTsMin);
  const hi = o.eventTsMax === null ? Number.NaN : Date.parse(o.eventTsMax);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  const violated = lo < Date.parse(o.window.start) || hi >= Date.parse(o.window.end);
  return { violated, detail: `event_timestamp range ${o.eventTsMin} … ${o.eventTsMax} leaves the window [${o.window.start}, ${o.window.end})` };
}

export const failedChecks = (checks: readonly ValidationCheck[]) => checks.filter((c) => c.status === 'FAIL');

/** What was found under the data prefix against the manifest; `unlisted*`: objects a job counted but cut from its lists. */
export type BronzeFileSet = {
  unexpected: readonly { key: string }[];
  sizeMismatch: readonly { key: string; bytes: number; expected: number }[];
  missing: readonly string[];
  unlistedPresent?: number;
  unlistedMissing?: number;
};

/** The file-set messages, present objects by key first, then the missing ones; what a list left out still counts. */
export function fileSetMismatches(f: BronzeFileSet): string[] {
  const present = [
    ...f.unexpected.map((u) => ({ key: u.key, msg: `unexpected object ${u.key}` })),
    ...f.sizeMismatch.map((s) => ({ key: s.key, msg: `${s.key}: ${s.bytes} bytes, manifest says ${s.expected}` })),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = present.map((p) => p.msg);
  for (let i = 0; i < (f.unlistedPresent ?? 0); i++) out.push('object not listed by the job (list cut short)');
  out.push(...f.missing.map((k) => `missing ${k}`));
  for (let i = 0; i < (f.unlistedMissing ?? 0); i++) out.push('missing object not listed by the job (list cut short)');
  return out;
}

type Column = { name: string; type: string };

/** The columns read against the declared ones (types in the reading engine's names), in order; extra columns too. */
export function schemaMismatches(actual: readonly Column[], expected: readonly Column[]): string[] {
  const out: string[] = [];
  expected.forEach((c, i) => {
    const a = actual[i];
    if (!a) out.push(`missing column ${c.name}`);
    else if (a.name !== c.name || a.type !== c.type) out.push(`column ${i + 1}: ${a.name} ${a.type}, expected ${c.name} ${c.type}`);
  });
  for (const extra of actual.slice(expected.length)) out.push(`extra column ${extra.name}`);
  return out;
}

/** The stage's `validation`, `status` and `error` from its observations: any failed gate fails it (QUALITY_GATE). */
export function judgeBronze(o: BronzeObservations, thresholds: Thresholds): Pick<StageReport, 'status' | 'validation' | 'error'> {
  const validation = evaluateBronze(o, thresholds);
  const failed = failedChecks(validation);
  return {
    status: failed.length ? 'failed' : 'succeeded',
    validation,
    error: failed.length ? { message: `bronze-verify gates failed: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`, reason: 'QUALITY_GATE' } : null,
  };
}
