// The report HTML as text: self-contained, every section present, verdict colour, failed queries
// shown as failures, and nothing from the document able to escape its element.
import { describe, expect, it } from 'vitest';
import { metricsSchema, type Metrics } from '../../runner/src/model/metrics.js';
import { indexEntrySchema } from '../../runner/src/model/index-entry.js';
import { renderReport } from '../../runner/src/report/render.js';
import { jsonForScript } from '../../runner/src/report/safe-json.js';
import { makeHistory, makeMetrics } from '../fixtures/metrics.js';

const SECTION_HEADINGS = ['Run context', 'Summary', 'Bottleneck breakdown', 'Data validity', 'Table maintenance', 'Stages', 'Queries', 'Configuration'];

function headings(html: string): string[] {
  return [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1] ?? '');
}

/** The chart data block, parsed back the way the browser will parse it. */
function chartData(html: string): { charts: Array<{ id: string; kind: string } & Record<string, unknown>> } {
  const m = /<script type="application\/json" id="lb-chart-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m?.[1]) throw new Error('no chart data block');
  return JSON.parse(m[1]) as { charts: Array<{ id: string; kind: string } & Record<string, unknown>> };
}

describe('metrics fixture', () => {
  it('produces documents that satisfy the metrics schema and index entries that satisfy theirs', () => {
    for (const opts of [{}, { failedQueries: ['Q4', 'Q9'] }, { maintenance: 'ran' as const }, { benchmark: false }]) {
      expect(() => metricsSchema.parse(makeMetrics(opts))).not.toThrow();
    }
    for (const e of makeHistory(3)) expect(() => indexEntrySchema.parse(e)).not.toThrow();
  });
});

describe('renderReport', () => {
  const passed = renderReport(makeMetrics());

  it('is one self-contained document with no external references', () => {
    expect(passed.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(passed).not.toMatch(/src\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(passed).not.toMatch(/href\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(passed).not.toMatch(/@import/i);
    expect(passed).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(passed).not.toMatch(/<link\b/i);
    expect(passed).toContain("default-src 'none'");
    // Chart.js itself is inlined, not referenced.
    expect(passed).toContain('Chart.js v4');
  });

  it('has every section heading, in the order of docs/results.md §4', () => {
    const found = headings(passed);
    expect(found).toEqual(SECTION_HEADINGS);
  });

  it.each([
    ['PASSED', 'badge-passed'],
    ['WARNING', 'badge-warning'],
    ['FAILED', 'badge-failed'],
  ] as const)('colours a %s verdict with %s and lists its reasons', (status, cls) => {
    const doc = makeMetrics({ status });
    const html = renderReport(doc);
    const badge = /<span class="badge ([a-z-]+)" id="verdict-badge" data-verdict="([A-Z]+)">/.exec(html);
    expect(badge?.[1]).toBe(cls);
    expect(badge?.[2]).toBe(status);
    for (const r of doc.verdict.reasons) expect(html).toContain(r.message);
  });

  it('shows a failed query as FAILED, with its error, and gives it no QpH count', () => {
    const doc = makeMetrics({ failedQueries: ['Q4'] });
    const html = renderReport(doc);
    const row = /<tr class="row-fail" data-query="Q4">([\s\S]*?)<\/tr>\s*<tr class="row-error">([\s\S]*?)<\/tr>/.exec(html);
    expect(row, 'Q4 row followed by its error row').not.toBeNull();
    expect(row?.[1]).toContain('FAILED');
    expect(row?.[1]).toMatch(/<td>no<\/td>/);
    // The engine's error code (DuckDB's "Binder Error"), as the runner records it.
    expect(row?.[2]).toContain('<code>Binder Error</code>');
    expect(row?.[2]).toContain('Binder Error: column &#34;no_such_column&#34; not found');
    // In the chart it is a failure bar, not a median bar.
    const q = chartData(html).charts.find((c) => c.kind === 'queries');
    const i = (q?.['labels'] as string[]).indexOf('Q4');
    expect((q?.['median'] as unknown[])[i]).toBeNull();
    expect((q?.['failed'] as unknown[])[i]).toBe(doc.benchmark?.queries.find((x) => x.id === 'Q4')?.elapsed_seconds);
    // Successful queries are not marked as failed.
    expect(html).toMatch(/<tr class="" data-query="Q1">/);
  });

  it('escapes hostile strings everywhere they appear, including the chart data', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const doc: Metrics = makeMetrics({ deploymentName: hostile, failedQueries: ['Q2'] });
    const q2 = doc.benchmark?.queries.find((q) => q.id === 'Q2');
    if (q2?.error) q2.error.message = `boom ${hostile} \u2028`;
    const q1 = doc.benchmark?.queries.find((q) => q.id === 'Q1');
    if (q1) q1.display_name = hostile;
    const html = renderReport(doc);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // Exactly our three script elements, and the data block still parses to the original string.
    expect(html.match(/<script\b/g)?.length).toBe(3);
    const q = chartData(html).charts.find((c) => c.kind === 'queries');
    expect((q?.['names'] as string[])[0]).toBe(hostile);
  });

  it('serialises script data without sequences that end or confuse a script element', () => {
    const s = jsonForScript({ a: '</script><!-- \u2028 \u2029 & >' });
    expect(s).not.toMatch(/<\/script|<!--|\u2028|\u2029/i);
    expect(JSON.parse(s)).toEqual({ a: '</script><!-- \u2028 \u2029 & >' });
  });

  it('never shows configuration keys that look like credentials', () => {
    const doc = makeMetrics();
    doc.config_snapshot['results'] = { endpoint: 'http://127.0.0.1:9000', bucket: 'lb-results', secretAccessKey: 'S3CR3T-VALUE', sessionToken: 'T0K3N-VALUE' };
    doc.config_snapshot['db'] = { password: 'PA55-VALUE', apiKey: 'K3Y-VALUE', user: 'lakebench' };
    const html = renderReport(doc);
    for (const secret of ['S3CR3T-VALUE', 'T0K3N-VALUE', 'PA55-VALUE', 'K3Y-VALUE']) expect(html).not.toContain(secret);
    expect(html).toContain('results.bucket');
    expect(html).toContain('db.user');
    expect(html).toContain('4 field(s) with credential-like names are not shown');
  });

  it('shows maintenance as skipped, with the reason, when skipped or absent, and its figures when it ran', () => {
    const skipped = renderReport(makeMetrics({ maintenance: 'skipped' }));
    expect(skipped).toMatch(/<span class="pill na">skipped<\/span> the embedded DuckDB platform has no table maintenance/);
    const absent = renderReport(makeMetrics({ maintenance: 'absent' }));
    expect(absent).toMatch(/<span class="pill na">skipped<\/span> no maintenance stage ran in this run/);
    const ran = renderReport(makeMetrics({ maintenance: 'ran' }));
    expect(ran).toContain('<span class="pill pass">ran</span>');
    expect(ran).toContain('<dt>Compaction ratio</dt><dd>22.5 ×</dd>');
    expect(ran).toContain('<dt>Improvement</dt><dd>+15.6 %</dd>');
  });

  it('renders the bronze-verify validation table and the scale-ratio gate', () => {
    const doc = makeMetrics({ qualityWarning: true, scaleRatio: 0.91 });
    expect(doc.verdict.reasons.map((r) => r.code)).toEqual(['SCALE_RATIO_LOW', 'QUALITY_WARN']);
    const html = renderReport(doc);
    expect(html).toMatch(/<code>dirt_present<\/code><\/td><td><span class="pill warn">WARN<\/span>/);
    expect(html).toMatch(/Scale ratio \(bronze GB ÷ scale × 10\)<\/td><td class="text">0\.91<\/td><td>≥ 0\.95[^<]*<\/td><td><span class="pill fail">/);
  });

  it('carries one chart per required view, with one point per stage, query and sample', () => {
    const doc = makeMetrics({ iterations: 4, maintenance: 'skipped' });
    const charts = chartData(renderReport(doc)).charts;
    expect(charts.map((c) => c.kind)).toEqual(['bottleneck', 'timeline', 'queries']);
    const bottleneck = charts[0] as unknown as { series: Array<{ label: string; color: string; percent: number[] }> };
    expect(bottleneck.series.map((s) => [s.label, s.color])).toEqual([
      ['bronze-verify', '#f59e0b'], ['silver-build', '#6366f1'], ['gold-finalize', '#c9a227'], ['benchmark', '#06b6d4'],
    ]);
    for (const k of [0, 1]) expect(bottleneck.series.reduce((a, s) => a + (s.percent[k] ?? 0), 0)).toBeCloseTo(100, 6);
    const timeline = charts[1] as unknown as { labels: string[]; run: unknown[] };
    expect(timeline.labels).toContain('maintenance (skipped)');
    expect(timeline.run[timeline.labels.indexOf('maintenance (skipped)')]).toBeNull();
    const queries = charts[2] as unknown as { samples: unknown[]; labels: string[] };
    expect(queries.labels).toHaveLength(8);
    expect(queries.samples).toHaveLength(8 * 4);
  });

  it('adds a history chart only with at least two index entries, and omits the benchmark views when it did not run', () => {
    const doc = makeMetrics();
    expect(renderReport(doc, { history: makeHistory(1) })).not.toContain('<h2>History</h2>');
    const withHistory = renderReport(doc, { history: makeHistory(4) });
    expect(headings(withHistory)).toEqual([...SECTION_HEADINGS, 'History']);
    const hist = chartData(withHistory).charts.find((c) => c.kind === 'history');
    expect(hist?.['qph']).toHaveLength(4);
    const noBench = renderReport(makeMetrics({ benchmark: false }));
    expect(noBench).toContain('The benchmark did not run in this run.');
    expect(chartData(noBench).charts.map((c) => c.kind)).toEqual(['bottleneck', 'timeline']);
  });
});
