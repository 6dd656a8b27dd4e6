// A continuous run's metrics.json: the batch document of its datagen step (or none), marked
// `mode: continuous`, with the continuous block, the in-stream QpH as its headline, and the verdict
// extended by the continuous rules (continuous-verdict.ts).
import type { LakebenchConfig } from '../config/schema.js';
import type { Metrics, Verdict } from './metrics.js';
import type { ContinuousBlock } from './continuous-metrics.js';
import { continuousReasons } from './continuous-verdict.js';
import { CONTINUOUS_SCORE_DESCRIPTIONS } from './continuous-scorecard.js';

/** Whether the schedule can fire inside the run after the warm-up at all (else no round is expected). */
export function roundsExpected(config: LakebenchConfig): boolean {
  return config.continuous.durationSeconds > config.continuous.rounds.warmupSeconds;
}

export function withContinuous(batch: Metrics, block: ContinuousBlock | null, config: LakebenchConfig): Metrics {
  const reasons = [...batch.verdict.reasons];
  if (block) reasons.push(...continuousReasons(block, { ingestRatioMin: config.continuous.saturationRatio, roundsExpected: roundsExpected(config) }));
  // A run that never got to stream (it failed before) is already FAILED through RUN_INCOMPLETE.
  const status: Verdict['status'] = reasons.some((r) => r.severity === 'FAILED') ? 'FAILED' : reasons.length ? 'WARNING' : 'PASSED';
  const qph = block?.scorecard.in_stream_composite_qph ?? null;
  return {
    ...batch,
    mode: 'continuous',
    verdict: { status, reasons: reasons.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'FAILED' ? -1 : 1)) },
    scorecard: { ...batch.scorecard, total_elapsed_seconds: block?.duration_seconds ?? batch.scorecard.total_elapsed_seconds, headline_qph: qph, headline_qph_kind: qph === null ? null : 'power' },
    score_descriptions: { ...batch.score_descriptions, ...CONTINUOUS_SCORE_DESCRIPTIONS },
    continuous: block,
  };
}
