// The Q9 retry of an in-stream round (docs/benchmark.md §12), proven on a real failure: each
// contended Q9 execution meets a gold commit in flight — the gold folder renamed away, as the
// refresh's swap (replace-dir.ts) does mid-commit — so the error the retry sees is DuckDB's own
// "No files found", not a thrown fake. Tables come from an embedded batch run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lakebench } from '../harness/cli.js';
import { DuckDbEngine } from '../../runner/src/engines/duckdb-engine.js';
import type { QueryEngine } from '../../runner/src/engines/engine.js';
import { adapt } from '../../runner/src/sql/dialect.js';
import { QUERIES } from '../../runner/src/sql/queries.js';
import { runRound } from '../../runner/src/benchmark/in-stream-round.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-q9-retry-'));
const out = path.join(tmp, 'out');
const wh = path.join(out, 'warehouse');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An engine whose Q9 executions first meet a gold commit in flight: the table folder swapped away, as replaceDir does mid-commit. */
function contendedEngine(inner: QueryEngine, goldDir: string, contendedCalls: number): QueryEngine & { q9Calls: number } {
  const q9Sql = adapt(QUERIES.find((q) => q.id === 'Q9')!.sql, inner.dialect, inner.tables);
  const wrapper = {
    type: inner.type,
    dialect: inner.dialect,
    tables: inner.tables,
    q9Calls: 0,
    version: () => inner.version(),
    flush: () => inner.flush(),
    close: () => inner.close(),
    async execute(sql: string, options: { timeoutSeconds: number }) {
      if (sql !== q9Sql) return inner.execute(sql, options);
      wrapper.q9Calls++;
      // The power run's warm-up pass runs Q9 once untimed; contention hits the timed attempts after it.
      if (wrapper.q9Calls < 2 || wrapper.q9Calls > 1 + contendedCalls) return inner.execute(sql, options);
      const parked = `${goldDir}.in-flight`;
      await rename(goldDir, parked);
      try {
        return await inner.execute(sql, options);
      } finally {
        await rename(parked, goldDir);
      }
    },
  };
  return wrapper;
}

describe('the Q9 retry of an in-stream round (docs/benchmark.md §12)', () => {
  const goldDir = () => path.join(wh, 'gold', 'customer_executive_dashboard');

  beforeAll(async () => {
    // Tables to query: an embedded batch run without its benchmark.
    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out, '--skip-benchmark']);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  it('retries Q9 after a real commit-contention error and counts the retry that succeeded', async () => {
    const engine = contendedEngine(await DuckDbEngine.open(wh, 1), goldDir(), 1);
    try {
      const r = await runRound(engine, 0, new Date(), { at: new Date(), goldCommitId: null, sourceMaxProcessingTs: null }, { timeoutSeconds: 60, q9RetryWaitSeconds: 0.2, q9MaxAttempts: 3 });
      expect(r.q9!.contention_observed).toBe(true);
      expect(r.q9!.retry_used).toBe(true);
      expect(r.q9!.attempts).toBe(2);
      expect(r.q9!.attempt_errors[0]).toMatch(/No files found/);
      expect(r.q9!.attempt_errors[1]).toBeNull();
      expect(r.q9!.lost_seconds).toBeGreaterThanOrEqual(0.2);
      expect(r.queries.find((q) => q.id === 'Q9')!.success).toBe(true);
      expect(r.failed_queries).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('never counts a final attempt that still failed as a success', async () => {
    const engine = contendedEngine(await DuckDbEngine.open(wh, 1), goldDir(), 3);
    try {
      const r = await runRound(engine, 0, new Date(), { at: new Date(), goldCommitId: null, sourceMaxProcessingTs: null }, { timeoutSeconds: 60, q9RetryWaitSeconds: 0.1, q9MaxAttempts: 3 });
      expect(r.q9!.attempts).toBe(3);
      expect(r.q9!.attempt_errors.every((e) => e !== null && /No files found/.test(e))).toBe(true);
      expect(r.queries.find((q) => q.id === 'Q9')!.success).toBe(false);
      expect(r.failed_queries).toEqual(['Q9']);
      // QpH counts the 7 successes only: 7 ÷ Σ final-attempt seconds × 3600.
      const total = r.queries.reduce((s, q) => s + q.elapsed_seconds, 0);
      expect(r.qph).toBeCloseTo((7 / total) * 3600, 6);
    } finally {
      await engine.close();
    }
  });
});
