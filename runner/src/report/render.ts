// Renders report.html from a metrics.json document alone, so `lakebench report` can re-render any
// old run. The page is one self-contained file: CSS, Chart.js, the client script and the chart
// data are all inlined, and nothing is fetched, because reports are opened offline, from disk or
// straight out of a results bucket where no CDN or relative asset is reachable.
// Everything from the document goes through ejs's escaping (`<%= %>`); the only raw insertions
// are our own assets and the chart data, which is serialised by jsonForScript.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { Metrics } from '../model/metrics.js';
import type { IndexEntry } from '../model/index-entry.js';
import { jsonForScript, scriptText } from './safe-json.js';
import { buildView } from './view-model.js';

export type { IndexEntry } from '../model/index-entry.js';

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const read = (path: string) => readFileSync(path, 'utf8');

// chart.js's package exports do not list the UMD bundle, so locate it next to the CommonJS entry
// (node_modules/chart.js/dist/chart.cjs); the UMD build defines the global `Chart` the page uses.
const CHART_UMD = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');
const CHART_JS = scriptText(read(CHART_UMD));
const CLIENT_JS = scriptText(read(here('./assets/report-client.js')));
const CSS = read(here('./assets/report.css')).replace(/<\/(style)/gi, '<\\/$1');
const LAYOUT = here('./templates/report.ejs');

// Compiled once; `include` resolves the section partials relative to the layout's filename.
const template = ejs.compile(read(LAYOUT), {
  filename: LAYOUT,
  strict: true,
  _with: false,
  localsName: 'v',
});

export function renderReport(metrics: Metrics, options: { history?: IndexEntry[] } = {}): string {
  const view = buildView(metrics, options.history);
  return template({
    ...view,
    assets: { css: CSS, chartJs: CHART_JS, clientJs: CLIENT_JS, chartData: jsonForScript({ charts: view.charts }) },
  });
}
