// Headless Chromium (Debian's package) for report tests: pages load from file:// with every other
// request aborted and recorded, console errors collected, and a probe of every chart canvas.
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
  });
}

export interface Observed { requests: string[]; errors: string[] }

export async function openOffline(browser: Browser, file: string, width: number): Promise<{ page: Page; seen: Observed }> {
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

export interface ChartProbe { id: string; points: number[]; inked: number; coloured: number; width: number; boxWidth: number }

// Runs in the page: every canvas, its Chart.js instance, its data point counts, how many of its
// pixels are painted and how many are saturated colour (axes and text are grey, so coloured
// pixels mean bars or lines were actually drawn).
export function probeCharts(): ChartProbe[] {
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
