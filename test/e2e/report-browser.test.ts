// The rendered report in a real browser: loads from a file:// URL with the network cut off, no
// console or page errors, every chart is a live Chart.js instance with the expected points and
// visible pixels, and the layout holds at a phone width and a desktop width.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
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
  'chart-queries': [(QUERY_SET.length - FAILED.length) * ITERATIONS, QUERY_SET.length, QUERY_SET.length, QUERY_SET.length],
  'chart-history': [history.length, history.length],
};

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
});

interface Observed { requests: string[]; errors: string[] }

async function open(width: number): Promise<{ page: Page; seen: Observed }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  const seen: Observed = { requests: [], errors: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    seen.requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => { if (!r.url().startsWith('file://')) seen.requests.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.errors.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, seen };
}

interface ChartProbe { id: string; points: number[]; inked: number; coloured: number; width: number; boxWidth: number }

// Runs in the page: every canvas, its Chart.js instance, its data point counts, how many of its
// pixels are painted and how many are saturated colour (axes and text are grey, so coloured
// pixels mean bars or lines were actually drawn).
function probeCharts(): ChartProbe[] {
  type ChartLike = { data: { datasets: Array<{ data: unknown[] }> }; width: number };
  const g = globalThis as unknown as { Chart?: { getChart(c: HTMLCanvasElement): ChartLike | undefined } };
  return Array.from(document.querySelectorAll('canvas')).map((canvas) => {
    const chart = g.Chart?.getChart(canvas);
    const ctx = canvas.getContext('2d');
    let inked = 0;
    let coloured = 0;
    if (ctx && canvas.width > 0 && canvas.height > 0) {
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b, a] = [px[i] ?? 0, px[i + 1] ?? 0, px[i + 2] ?? 0, px[i + 3] ?? 0];
        if (a > 0) inked += 1;
        if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured += 1;
      }
    }
    return {
      id: canvas.id,
      points: chart ? chart.data.datasets.map((d) => d.data.length) : [],
      inked,
      coloured,
      width: chart ? chart.width : 0,
      boxWidth: canvas.parentElement?.clientWidth ?? 0,
    };
  });
}

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
