// The ORDER BY answer check (benchmark/answer-checks.ts) decides: a respected order passes, a broken
// one fails, and a key column missing from the result or a NULL/NaN key fails as "not observed"
// (compared as NaN, it used to look like a tie everywhere and report "respected").
import { describe, expect, it } from 'vitest';
import { answerChecks } from '../../runner/src/benchmark/answer-checks.js';
import type { QueryRun } from '../../runner/src/benchmark/power-run.js';
import type { Cell } from '../../runner/src/engines/engine.js';
import { datasetParams } from '../../runner/src/datagen/dataset.js';
import { buildManifest } from '../../runner/src/datagen/manifest.js';
import { QUERIES } from '../../runner/src/sql/queries.js';

const params = datasetParams({ seed: 42, scale: 0.01, windowStart: '2024-01-01', windowEnd: '2025-12-31', dirtyRatio: 0.08, fileSizeMb: 16, customerLaw: { s: 1, q: 10 } });
const zero = { amount_cents_total: 0, rows_product_id_null: 0, rows_device_type_null: 0, rows_satisfaction_set: 0 };
const counts = { rows_by_interaction_type: {}, rows_by_data_quality_flag: {}, rows_by_channel: {}, rows_by_flag_and_type: {}, amount_cents_by_flag: {}, rows_by_month_excluding_duplicates: {} };
const manifest = buildManifest(
  params,
  [{ index: 0, key: 'part-000000.parquet', stream_key: 'k', rows: 1000, bytes: 1, first_id: 0, last_id: 999, content_hash: 'sha256:0', event_ts_min: '2024-01-01T00:00:00.000000Z', event_ts_max: '2025-12-30T00:00:00.000000Z', aggregates: { ...zero, ...counts } }],
  new Date(0),
);

/** A successful Q3 run (ORDER BY total_spend DESC) with the given columns and rows. */
function q3(columns: string[], rows: Cell[][]): QueryRun {
  const def = QUERIES.find((q) => q.id === 'Q3')!;
  return {
    def,
    columns,
    rows,
    result: {
      id: def.id, name: def.name, display_name: def.displayName, class: def.class, success: true, rows: rows.length,
      elapsed_seconds: 0.1, samples_seconds: [0.1], p50_seconds: 0.1, p95_seconds: 0.1, min_seconds: 0.1, max_seconds: 0.1,
      fingerprint: 'f', fingerprint_stable: true, checks: [], error: null, engine_stats: null,
    },
  };
}
const order = (run: QueryRun) => answerChecks([run], manifest, null).get('Q3')!.find((c) => c.name === 'order')!;
const cols = ['customer_value_tier', 'channel_preference', 'customers', 'total_spend'];

describe('ORDER BY answer check', () => {
  it('passes a result in the declared order', () => {
    expect(order(q3(cols, [['high', 'web', 3n, 900.5], ['low', 'web', 2n, 100], ['low', 'app', 1n, 100]]))).toMatchObject({ status: 'passed', observed: 'respected' });
  });

  it('fails a result out of order, naming the row', () => {
    expect(order(q3(cols, [['high', 'web', 3n, 100], ['low', 'web', 2n, 900.5]]))).toMatchObject({ status: 'failed', observed: 'row 2 out of order' });
  });

  it('fails as not observed when the ORDER BY column is missing from the result', () => {
    const c = order(q3(['customer_value_tier', 'channel_preference', 'customers'], [['high', 'web', 3n], ['low', 'web', 2n]]));
    expect(c).toMatchObject({ status: 'failed', expected: 'total_spend desc', observed: 'not observed', detail: 'the result has no column total_spend' });
  });

  it('fails as not observed when a key value is NULL or NaN', () => {
    expect(order(q3(cols, [['high', 'web', 3n, 900.5], ['low', 'web', 2n, null]]))).toMatchObject({ status: 'failed', observed: 'not observed', detail: 'row 2: total_spend is null' });
    expect(order(q3(cols, [['high', 'web', 3n, Number.NaN], ['low', 'web', 2n, 1]]))).toMatchObject({ status: 'failed', observed: 'not observed', detail: 'row 1: total_spend is NaN' });
  });
});
