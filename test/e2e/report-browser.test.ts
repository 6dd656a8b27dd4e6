// The rendered report in a real browser: loads from a file:// URL with the network cut off, no
// console or page errors, every chart is a live Chart.js instance with the expected points and
// visible pixels, and the layout holds at a phone width and a desktop width.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, openOffline, probeCharts } from '../harness/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../runner/src/report/render.js';
import { makeHistory, makeMetrics, QUERY_SET } from '../fixtures/metrics.js';

const ITERATIONS = 3;
const FAILED = ['Q4'];
const metrics = makeMetrics({ failedQueries: FAILED, iterations: ITERATIONS, maintenance: 'skipped' });
const history = makeHistory(6);
const dir = mkdtempSync(join(tmpdir(), 'lakebench-report-'));
const file = join(dir, 'report.html');
writeFileSync(file, renderReport(metrics, { history }));

// Expected data points per chart, derived from the fixture rather than from the page.
const breakdownStages = metrics.stages.filter((s) => s.name !== 'datagen' && s.status !== 'skipped').length;
const EXPECTED: Record<string, number[]> = {
  'chart-bottleneck': Array.from({ length: breakdownStages }, () => 2),
  'chart-timeline': [metrics.stages.length, metrics.stages.length],
  // Every timed execution is a sample point, a failed query's included (the runner records their times).
  'chart-queries': [metrics.benchmark!.queries.reduce((n, q) => n + q.samples_seconds.length, 0), QUERY_SET.length, QUERY_SET.length, QUERY_SET.length],
  'chart-history': [history.length, history.length],
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const open = (width: number) => openOffline(browser, file, width);

describe.each([375, 1440])('report at %i px', (width) => {
  it('loads offline with no errors, draws every chart and fits the window', async () => {
    const { page, seen } = await open(width);
    const charts = await page.evaluate(probeCharts);
    expect(charts.map((c) => c.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const c of charts) {
      expect(c.points, c.id).toEqual(EXPECTED[c.id]);
      expect(c.inked, `${c.id} has painted pixels`).toBeGreaterThan(1000);
      expect(c.coloured, `${c.id} has drawn data`).toBeGreaterThan(300);
      expect(c.width, `${c.id} fits its box`).toBeLessThanOrEqual(c.boxWidth);
      expect(c.width).toBeGreaterThan(width / 2);
    }
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(width);
    expect(await page.locator('#verdict-badge').getAttribute('class')).toContain('badge-failed');
    expect(await page.locator('tr[data-query="Q4"]').innerText()).toContain('FAILED');
    // Whole-page screenshots for a human to judge the design. The viewport is grown to the page
    // height first (same width, so the charts keep their size); Playwright's fullPage mode resizes
    // the page while capturing and can catch the canvases mid-redraw.
    const shot = join(dir, `report-${width}.png`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width, height });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
    expect(seen.requests).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.context().close();
  });
});
