// The run verdict (results.md §3.5): FAILED reasons first, then WARNING reasons; PASSED otherwise.
import type { BenchmarkBlock, StageEntry, Verdict, VerdictReason } from './metrics.js';

export type VerdictInput = {
  stages: readonly StageEntry[];
  benchmark: BenchmarkBlock | null;
  benchmarkExpected: boolean;
  scaleRatio: number | null;
  incompleteReason: string | null;
};

export function verdict(input: VerdictInput): Verdict {
  const reasons: VerdictReason[] = [];
  const fail = (code: string, message: string, source: string) => reasons.push({ code, severity: 'FAILED', message, source });
  const warn = (code: string, message: string, source: string) => reasons.push({ code, severity: 'WARNING', message, source });

  if (input.incompleteReason) fail('RUN_INCOMPLETE', input.incompleteReason, 'runner');
  for (const s of input.stages) {
    if (s.status === 'failed') fail('STAGE_FAILED', `${s.name} failed: ${s.error?.message ?? 'no error recorded'}`, s.name);
    if (s.metrics_source === 'runner-observed' && s.status !== 'skipped') fail('STAGE_NO_METRICS', `${s.name} left no metrics document`, s.name);
    for (const c of s.validation ?? []) {
      if (c.status === 'FAIL') fail('QUALITY_GATE', `${c.name}: ${c.detail}`, s.name);
      if (c.status === 'WARN') warn('QUALITY_WARN', `${c.name}: ${c.detail}`, s.name);
    }
    const expectedFiles = s.extras.expected_files;
    if (s.name === 'silver-build' && typeof expectedFiles === 'number' && s.files_written !== null && s.files_written > Math.max(2 * expectedFiles, expectedFiles + 1000)) {
      warn('SILVER_FILES_ABOVE_BOUND', `silver wrote ${s.files_written} files, bound ${Math.max(2 * expectedFiles, expectedFiles + 1000)}`, s.name);
    }
    if (s.name === 'maintenance' && s.status === 'failed') warn('MAINTENANCE_ERROR', s.error?.message ?? 'maintenance failed', s.name);
  }
  if (input.benchmarkExpected && !input.benchmark) fail('BENCHMARK_MISSING', 'the benchmark did not run', 'benchmark');
  for (const q of input.benchmark?.queries ?? []) {
    if (!q.success) fail(q.error?.code === 'ANSWER_CHECK_FAILED' ? 'ANSWER_CHECK_FAILED' : 'QUERY_FAILED', `${q.id} ${q.name}: ${q.error?.message ?? 'failed'}`, 'benchmark');
  }
  if (input.scaleRatio !== null && input.scaleRatio < 0.95) fail('SCALE_RATIO_LOW', `scale ratio ${input.scaleRatio.toFixed(3)} is below 0.95`, 'datagen');
  if (input.scaleRatio !== null && input.scaleRatio > 1.1) warn('SCALE_RATIO_HIGH', `scale ratio ${input.scaleRatio.toFixed(3)} is above 1.10`, 'datagen');

  const status = reasons.some((r) => r.severity === 'FAILED') ? 'FAILED' : reasons.length ? 'WARNING' : 'PASSED';
  return { status, reasons };
}

export const exitCodeFor = (v: Verdict): number => (v.status === 'FAILED' ? 1 : 0);
