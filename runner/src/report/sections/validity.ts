// Section 5: is this a valid measurement at all? Each line is a gate with its observed value, so a
// reader can see why a run is FAILED without opening the JSON.
import type { Metrics } from '../../model/metrics.js';
import { SCALE_RATIO_MIN, SCALE_RATIO_WARN_ABOVE } from '../../model/scale.js';
import { fmtNumber, fmtValue } from '../format.js';

type Tone = 'pass' | 'warn' | 'fail' | 'na';
interface Gate { label: string; observed: string; gate: string; tone: Tone }

export function validityView(doc: Metrics) {
  const gates: Gate[] = [];
  const ratio = doc.scorecard.scale_ratio;
  gates.push({
    label: 'Scale ratio (bronze GB ÷ scale × 10)',
    observed: fmtNumber(ratio, 3),
    gate: `≥ ${SCALE_RATIO_MIN} (warning above ${SCALE_RATIO_WARN_ABOVE})`,
    tone: ratio === null ? 'na' : ratio < SCALE_RATIO_MIN ? 'fail' : ratio > SCALE_RATIO_WARN_ABOVE ? 'warn' : 'pass',
  });
  const ran = doc.stages.filter((s) => s.status !== 'skipped');
  const failedStages = ran.filter((s) => s.status === 'failed').map((s) => s.name);
  gates.push({
    label: 'Stages succeeded',
    observed: `${ran.length - failedStages.length} / ${ran.length}${failedStages.length ? ` (failed: ${failedStages.join(', ')})` : ''}`,
    gate: 'all',
    tone: failedStages.length ? 'fail' : 'pass',
  });
  const b = doc.benchmark;
  const failedQueries = b ? b.queries.filter((q) => !q.success).map((q) => q.id) : [];
  gates.push({
    label: 'Failed queries',
    observed: b ? `${failedQueries.length}${failedQueries.length ? ` (${failedQueries.join(', ')})` : ''} of ${b.queries.length}` : 'benchmark not run',
    gate: '0',
    tone: !b ? 'na' : failedQueries.length ? 'fail' : 'pass',
  });
  const ac = b?.answer_checks;
  gates.push({
    label: 'Answer checks',
    observed: ac ? `${ac.passed} passed, ${ac.failed} failed, ${ac.skipped} skipped` : 'benchmark not run',
    gate: '0 failed',
    tone: !ac ? 'na' : ac.failed > 0 ? 'fail' : 'pass',
  });
  const unstable = b ? b.queries.filter((q) => q.success && !q.fingerprint_stable).map((q) => q.id) : [];
  if (b) {
    gates.push({
      label: 'Result fingerprints stable across iterations',
      observed: unstable.length ? `unstable: ${unstable.join(', ')}` : `all ${b.queries.filter((q) => q.success).length} stable`,
      gate: 'all stable',
      tone: unstable.length ? 'fail' : 'pass',
    });
  }

  const bronze = doc.stages.find((s) => s.name === 'bronze-verify');
  const validation = (bronze?.validation ?? []).map((c) => ({
    ...c,
    tone: c.status === 'PASS' ? 'pass' : c.status === 'WARN' ? 'warn' : 'fail',
    observedText: fmtValue(c.observed),
    expectedText: fmtValue(c.expected),
    thresholdText: fmtValue(c.threshold),
  }));
  const selfChecks = doc.stages.flatMap((s) =>
    (s.self_checks ?? []).map((c) => ({
      stage: s.name,
      name: c.name,
      tone: c.passed ? 'pass' : 'fail',
      status: c.passed ? 'passed' : 'failed',
      expected: fmtValue(c.expected),
      observed: fmtValue(c.observed),
    })),
  );
  return { gates, validation, hasBronze: bronze !== undefined, selfChecks };
}
