// bronze-verify's judgement (runner/src/model/bronze-checks.ts), the part both platforms share: the
// file-set and schema messages, and the stage's status and message from its gates. The declared
// columns are the generator's own (BRONZE_COLUMNS), the thresholds the config's defaults.
import { describe, expect, it } from 'vitest';
import { failedChecks, fileSetMismatches, judgeBronze, schemaMismatches } from '../../runner/src/model/bronze-checks.js';
import { cleanBronzeObservations } from '../fixtures/bronze-observations.js';
import { BRONZE_COLUMNS } from '../../runner/src/datagen/columns.js';
import { validateConfig } from '../../runner/src/config/load.js';

const thresholds = (overrides: Record<string, unknown> = {}) => validateConfig({ quality: { thresholds: overrides } }, 'test').quality.thresholds;
const declared = BRONZE_COLUMNS.map((c) => ({ name: c.name, type: c.type }));

// Clean observations of real generated bronze (test/fixtures/bronze-observations.ts); each test
// breaches one field. Rates below are proportions of its row count, so they hold at any file size.
const clean = await cleanBronzeObservations();
const ROWS = clean.rows ?? 0;
const share = (rate: number) => Math.round(ROWS * rate);

describe('bronze file set: what differs from the manifest, one message per object', () => {
  it('is empty when every object matches', () => {
    expect(fileSetMismatches({ unexpected: [], sizeMismatch: [], missing: [] })).toEqual([]);
  });

  it('names present objects in key order, then the missing ones, and counts what a cut-short list left out', () => {
    expect(
      fileSetMismatches({
        unexpected: [{ key: 'customer/interactions/part-000009.parquet' }],
        sizeMismatch: [{ key: 'customer/interactions/part-000002.parquet', bytes: 100, expected: 200 }],
        missing: ['customer/interactions/part-000005.parquet'],
        unlistedPresent: 2,
        unlistedMissing: 1,
      }),
    ).toEqual([
      'customer/interactions/part-000002.parquet: 100 bytes, manifest says 200',
      'unexpected object customer/interactions/part-000009.parquet',
      'object not listed by the job (list cut short)',
      'object not listed by the job (list cut short)',
      'missing customer/interactions/part-000005.parquet',
      'missing object not listed by the job (list cut short)',
    ]);
  });
});

describe('bronze schema: the columns read against the declared ones, in order', () => {
  it('accepts exactly the declared columns', () => {
    expect(schemaMismatches(declared, declared)).toEqual([]);
  });

  it('names a column of another type or name by its position', () => {
    const actual = declared.map((c, i) => (i === 2 ? { name: c.name, type: 'VARCHAR_X' } : c));
    expect(schemaMismatches(actual, declared)).toEqual([`column 3: ${declared[2]!.name} VARCHAR_X, expected ${declared[2]!.name} ${declared[2]!.type}`]);
  });

  it('names missing trailing columns and extra ones', () => {
    const last = declared[declared.length - 1]!;
    expect(schemaMismatches(declared.slice(0, -1), declared)).toEqual([`missing column ${last.name}`]);
    expect(schemaMismatches([...declared, { name: 'surprise', type: 'BIGINT' }], declared)).toEqual(['extra column surprise']);
  });

  it('reports a swapped pair of columns twice, once at each position', () => {
    const swapped = [declared[1]!, declared[0]!, ...declared.slice(2)];
    expect(schemaMismatches(swapped, declared)).toHaveLength(2);
  });
});

describe('bronze judgement: the stage fails with QUALITY_GATE when any gate fails, never on a warning', () => {
  it('succeeds on clean observations, every check PASS', () => {
    const j = judgeBronze(clean, thresholds());
    expect(j.status).toBe('succeeded');
    expect(j.error).toBeNull();
    expect(j.validation!.every((c) => c.status === 'PASS')).toBe(true);
  });

  it('fails on a schema mismatch, naming the check and its detail in the message', () => {
    const j = judgeBronze({ ...clean, schemaMismatches: ['missing column interaction_payload'] }, thresholds());
    expect(j.status).toBe('failed');
    expect(j.error?.reason).toBe('QUALITY_GATE');
    expect(j.error?.message).toMatch(/^bronze-verify gates failed: schema \(.*missing column interaction_payload.*\)$/);
    expect(failedChecks(j.validation!).map((c) => c.name)).toEqual(['schema']);
  });

  it('only warns on a breach of a warn-mode gate: the stage succeeds with a WARN check', () => {
    const j = judgeBronze({ ...clean, duplicateSuspected: share(0.06) }, thresholds({ duplicate_suspected_rate: { max: 0.05, mode: 'warn' } }));
    expect(j.status).toBe('succeeded');
    expect(j.error).toBeNull();
    expect(j.validation!.find((c) => c.name === 'duplicate_suspected_rate')?.status).toBe('WARN');
  });

  it('fails when an observation was not made, even for a warn-mode gate', () => {
    const j = judgeBronze({ ...clean, duplicateSuspected: null }, thresholds({ duplicate_suspected_rate: { max: 0.05, mode: 'warn' } }));
    expect(j.status).toBe('failed');
    expect(j.error?.message).toContain('duplicate_suspected_rate');
  });

  it('lists every failed gate in the message, in check order', () => {
    const j = judgeBronze({ ...clean, notNullViolations: 1, domainViolations: 2 }, thresholds());
    expect(failedChecks(j.validation!).map((c) => c.name)).toEqual(['not_null', 'domains']);
    expect(j.error?.message).toMatch(/not_null \(.*\); domains \(.*\)/);
  });
});
