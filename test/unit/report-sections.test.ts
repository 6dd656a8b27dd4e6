// The report's sections (runner/src/report/sections/*.ts) decide what a reader is told: which keys of
// the configuration are hidden as secrets, which stages count in the time breakdown, which earlier runs
// are comparable and plotted, what the maintenance section says, which cards are marked bad and which
// queries count. Each decision is made to happen on metrics.json documents the runner itself assembled.
import { describe, expect, it } from 'vitest';
import { configView } from '../../runner/src/report/sections/config.js';
import { historyView } from '../../runner/src/report/sections/history.js';
import { bottleneckView, maintenanceView, stagesView } from '../../runner/src/report/sections/stages.js';
import { cardsView } from '../../runner/src/report/sections/overview.js';
import { queriesView } from '../../runner/src/report/sections/queries.js';
import { indexEntryFromMetrics } from '../../runner/src/model/index-entry.js';
import type { Metrics } from '../../runner/src/model/metrics.js';
import { makeMetrics } from '../fixtures/metrics.js';

const clean = makeMetrics({});

describe('configuration section', () => {
  it('never shows a key that looks like a secret, at any depth, and counts what it hid', () => {
    const doc: Metrics = {
      ...clean,
      config_snapshot: { name: 'x', results: { bucket: { accessKeyId: 'AKIA', secretAccessKey: 's3cr3t', endpoint: 'http://minio' } }, catalog: { password: 'pw', oauth: [{ token: 't', scope: 'all' }] } },
      versions: { ...clean.versions, api_token: 'abc' },
    };
    const view = configView(doc);
    const shown = JSON.stringify(view);
    for (const secret of ['AKIA', 's3cr3t', '"pw"', '"t"', 'abc']) expect(shown).not.toContain(secret);
    expect(view.rows.map((r) => r.path)).toEqual(['name', 'results.bucket.endpoint', 'catalog.oauth[0].scope']);
    expect(view.hidden).toBe(4);
    expect(view.versions.map((v) => v.name)).not.toContain('api_token');
  });
});

describe('time breakdown and stage list', () => {
  it('leaves datagen and skipped stages out of the shares of time and core-seconds', () => {
    const doc = makeMetrics({ maintenance: 'skipped' });
    const view = bottleneckView(doc);
    expect(view.rows.map((r) => r.name)).toEqual(['bronze-verify', 'silver-build', 'gold-finalize', 'benchmark']);
    const shares = view.chart.series.map((s) => s.percent[0]!);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });

  it('draws a queue bar only for a stage that waited, and shows no time for a skipped one', () => {
    const doc = makeMetrics({ maintenance: 'skipped' });
    const view = stagesView(doc);
    const datagen = doc.stages.findIndex((s) => s.name === 'datagen');
    const silver = doc.stages.findIndex((s) => s.name === 'silver-build');
    expect(view.chart.queue[datagen]).toBeNull(); // datagen has no queue time
    expect(view.chart.queue[silver]).not.toBeNull();
    const skipped = view.rows.find((r) => r.name === 'maintenance');
    expect([skipped?.elapsed, skipped?.queue]).toEqual(['—', '—']);
    expect(view.chart.labels).toContain('maintenance (skipped)');
  });
});

describe('maintenance section', () => {
  it('says why it was skipped, lists the figures of one that ran, and the error of one that failed', () => {
    expect(maintenanceView(makeMetrics({}))).toMatchObject({ state: 'skipped', reason: 'no maintenance stage ran in this run' });
    expect(maintenanceView(makeMetrics({ maintenance: 'skipped' }))).toMatchObject({ state: 'skipped', reason: 'the embedded DuckDB platform has no table maintenance' });
    const ran = maintenanceView(makeMetrics({ maintenance: 'ran' }));
    expect(ran.state).toBe('ran');
    expect(ran.items.map((i) => i.label)).toEqual(['Time', 'Data files before', 'Data files after', 'Compaction ratio', 'QpH before compaction', 'QpH after compaction', 'Improvement']);
    const doc = makeMetrics({ maintenance: 'ran' });
    const failedDoc = { ...doc, stages: doc.stages.map((s) => (s.name === 'maintenance' ? { ...s, status: 'failed' as const, error: { message: 'expire_snapshots refused', reason: 'ERROR', log_tail: null } } : s)) };
    expect(maintenanceView(failedDoc)).toMatchObject({ state: 'failed', reason: 'expire_snapshots refused' });
  });
});

describe('summary cards', () => {
  const card = (doc: Metrics, label: string) => cardsView(doc).find((c) => c.label === label);

  it('marks the scale ratio bad below the gate and good above it', () => {
    expect(card(clean, 'Scale ratio')?.tone).toBe('good');
    expect(card(makeMetrics({ scaleRatio: 0.9 }), 'Scale ratio')?.tone).toBe('bad');
  });

  it('marks QpH bad when a query failed, and the stages card bad with the count when a stage failed', () => {
    expect(card(clean, 'Queries per hour')?.tone).toBe('neutral');
    expect(card(makeMetrics({ failedQueries: ['Q3'] }), 'Queries per hour')?.tone).toBe('bad');
    const failedStage = { ...clean, stages: clean.stages.map((s) => (s.name === 'gold-finalize' ? { ...s, status: 'failed' as const } : s)) };
    expect(card(failedStage, 'Stages')).toMatchObject({ tone: 'bad', note: '1 failed' });
    expect(card(clean, 'Stages')?.tone).toBe('neutral');
  });
});

describe('queries section', () => {
  it('draws a failed query apart and never counts it', () => {
    const view = queriesView(makeMetrics({ failedQueries: ['Q3'] }));
    const i = view?.chart.labels.indexOf('Q3') ?? -1;
    expect(view?.chart.median[i]).toBeNull();
    expect(view?.chart.failed[i]).not.toBeNull();
    expect(view?.rows[i]).toMatchObject({ success: false, counted: 'no', p95: '—' });
    expect(view?.rows.filter((r) => r.counted === 'yes')).toHaveLength(7);
    expect(queriesView(makeMetrics({ benchmark: false }))).toBeNull();
  });
});

describe('history section', () => {
  const run = (runId: string, startTime: string, opts: Parameters<typeof makeMetrics>[0] = {}) => indexEntryFromMetrics(makeMetrics({ runId, startTime, ...opts }));

  it('needs two runs, does not plot a FAILED run’s QpH, and names what differs in a run that is not comparable', () => {
    const current = makeMetrics({ runId: '20260115-100000-3fa9c2', startTime: '2026-01-15T10:00:00.000Z' });
    expect(historyView(current, [indexEntryFromMetrics(current)])).toBeNull();
    const failed = run('20260114-100000-aaaaaa', '2026-01-14T10:00:00.000Z', { failedQueries: ['Q1'] });
    const otherData = { ...run('20260113-100000-bbbbbb', '2026-01-13T10:00:00.000Z'), data_fingerprint: 'sha256:another-dataset' };
    const otherSizing = { ...run('20260112-100000-cccccc', '2026-01-12T10:00:00.000Z'), sizing_fingerprint: 'sha256:another-sizing' };
    const view = historyView(current, [indexEntryFromMetrics(current), failed, otherData, otherSizing]);
    expect(view?.chart.runIds).toEqual(['20260112-100000-cccccc', '20260113-100000-bbbbbb', '20260114-100000-aaaaaa', '20260115-100000-3fa9c2']);
    expect(view?.chart.qph[2]).toBeNull();
    expect(view?.chart.qph[3]).not.toBeNull();
    expect(view?.rows[2]?.qph).toMatch(/\(not plotted\)$/);
    expect(view?.rows[2]).toMatchObject({ comparable: true, status: 'FAILED', tone: 'fail' });
    expect(view?.rows[0]).toMatchObject({ comparable: false, difference: 'sizing differ' });
    expect(view?.rows[1]).toMatchObject({ comparable: false, difference: 'data differ' });
    expect(view?.rows[3]).toMatchObject({ current: true, comparable: true });
  });
});
