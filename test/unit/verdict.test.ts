import { describe, expect, it } from 'vitest';
import { verdict } from '../../runner/src/model/verdict.js';
import { makeMetrics } from '../fixtures/metrics.js';

describe('verdict', () => {
  const fixture = makeMetrics({});
  // The fixture carries a warn-mode quality breach; a clean run has none.
  const passing = { ...fixture, stages: fixture.stages.map((s) => ({ ...s, validation: s.validation?.map((c) => ({ ...c, status: 'PASS' as const })) ?? null })) };

  it('passes a clean run', () => {
    expect(verdict({ stages: passing.stages, benchmark: passing.benchmark, benchmarkExpected: true, scaleRatio: 1.03, incompleteReason: null }).status).toBe('PASSED');
  });

  it('warns on a warn-mode quality breach', () => {
    const v = verdict({ stages: fixture.stages, benchmark: fixture.benchmark, benchmarkExpected: true, scaleRatio: 1.03, incompleteReason: null });
    expect(v.status).toBe('WARNING');
    expect(v.reasons.map((r) => r.code)).toContain('QUALITY_WARN');
  });

  it('fails on a failed query, and names it', () => {
    const failed = makeMetrics({ failedQueries: ['Q6'] });
    const v = verdict({ stages: failed.stages, benchmark: failed.benchmark, benchmarkExpected: true, scaleRatio: 1.03, incompleteReason: null });
    expect(v.status).toBe('FAILED');
    expect(v.reasons.some((r) => r.message.startsWith('Q6'))).toBe(true);
  });

  it('fails a low scale ratio and only warns on a high one', () => {
    const base = { stages: passing.stages, benchmark: passing.benchmark, benchmarkExpected: true, incompleteReason: null };
    expect(verdict({ ...base, scaleRatio: 0.9 }).status).toBe('FAILED');
    expect(verdict({ ...base, scaleRatio: 1.2 }).status).toBe('WARNING');
  });

  it('fails an incomplete run and a missing benchmark', () => {
    const base = { stages: passing.stages, scaleRatio: 1.0 };
    expect(verdict({ ...base, benchmark: passing.benchmark, benchmarkExpected: true, incompleteReason: 'interrupted by SIGTERM' }).status).toBe('FAILED');
    expect(verdict({ ...base, benchmark: null, benchmarkExpected: true, incompleteReason: null }).status).toBe('FAILED');
  });
});
