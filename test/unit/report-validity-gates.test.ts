// The report's validity section (runner/src/report/sections/validity.ts): each gate with its observed
// value and a tone, so a reader sees why a run is FAILED. Documents come from the metrics fixture,
// built by the runner's own assembleMetrics, so each cause is really in the document.
import { describe, expect, it } from 'vitest';
import { validityView } from '../../runner/src/report/sections/validity.js';
import { SCALE_RATIO_MIN, SCALE_RATIO_WARN_ABOVE } from '../../runner/src/model/scale.js';
import { makeMetrics } from '../fixtures/metrics.js';

const gate = (doc: ReturnType<typeof makeMetrics>, label: RegExp) => validityView(doc).gates.find((g) => label.test(g.label))!;

describe('report validity gates', () => {
  it('passes every gate of a PASSED run', () => {
    const v = validityView(makeMetrics({ status: 'PASSED' }));
    expect(v.gates.map((g) => [g.label, g.tone])).toEqual([
      ['Scale ratio (bronze GB ÷ scale × 10)', 'pass'],
      ['Stages succeeded', 'pass'],
      ['Failed queries', 'pass'],
      ['Answer checks', 'pass'],
      ['Result fingerprints stable across iterations', 'pass'],
    ]);
    expect(v.hasBronze).toBe(true);
  });

  it('fails the scale-ratio gate below the verdict threshold and warns above its upper bound', () => {
    expect(gate(makeMetrics({ scaleRatio: SCALE_RATIO_MIN - 0.04, status: 'FAILED' }), /^Scale ratio/)).toMatchObject({ tone: 'fail', gate: `≥ ${SCALE_RATIO_MIN} (warning above ${SCALE_RATIO_WARN_ABOVE})` });
    expect(gate(makeMetrics({ scaleRatio: SCALE_RATIO_WARN_ABOVE + 0.05 }), /^Scale ratio/).tone).toBe('warn');
  });

  it('names the failed queries and fails their gate', () => {
    const g = gate(makeMetrics({ failedQueries: ['Q3', 'Q9'] }), /^Failed queries/);
    expect(g.tone).toBe('fail');
    expect(g.observed).toBe('2 (Q3, Q9) of 8');
  });

  it('marks the benchmark gates not applicable when no benchmark ran, and leaves out the fingerprint gate', () => {
    const v = validityView(makeMetrics({ benchmark: false }));
    expect(gate(makeMetrics({ benchmark: false }), /^Failed queries/)).toMatchObject({ tone: 'na', observed: 'benchmark not run' });
    expect(v.gates.some((g) => g.label.startsWith('Result fingerprints'))).toBe(false);
  });

  it("shows a warn-mode bronze breach as a warning line of bronze-verify's checks", () => {
    const v = validityView(makeMetrics({ qualityWarning: true, status: 'WARNING' }));
    expect(v.validation.filter((c) => c.tone === 'warn').map((c) => c.name)).toEqual(['dirt_present']);
  });
});
