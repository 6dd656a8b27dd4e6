// Everything the templates show, computed once from metrics.json. Templates only loop and print;
// all arithmetic and formatting happens here where it is typed and tested.
import type { Metrics } from '../model/metrics.js';
import type { ChartSpec } from './charts.js';
import type { IndexEntry } from '../model/index-entry.js';
import { configView } from './sections/config.js';
import { historyView } from './sections/history.js';
import { cardsView, contextView, headerView } from './sections/overview.js';
import { queriesView } from './sections/queries.js';
import { bottleneckView, maintenanceView, stagesView } from './sections/stages.js';
import { validityView } from './sections/validity.js';
import { continuousView } from './sections/continuous.js';

export function buildView(doc: Metrics, history?: IndexEntry[]) {
  const bottleneck = bottleneckView(doc);
  const stages = stagesView(doc);
  const queries = queriesView(doc);
  const hist = historyView(doc, history);
  const continuous = continuousView(doc);
  const charts: ChartSpec[] = [];
  if (continuous) charts.push(continuous.chart);
  if (!bottleneck.empty) charts.push(bottleneck.chart);
  if (!stages.empty) charts.push(stages.chart);
  if (queries && queries.rows.length > 0) charts.push(queries.chart);
  if (hist) charts.push(hist.chart);
  return {
    title: `Lakebench ${doc.verdict.status}: ${doc.deployment_name} ${doc.run_id}`,
    header: headerView(doc),
    context: contextView(doc),
    cards: cardsView(doc),
    bottleneck,
    validity: validityView(doc),
    maintenance: maintenanceView(doc),
    stages,
    queries,
    continuous,
    config: configView(doc),
    history: hist,
    charts,
  };
}
export type ReportView = ReturnType<typeof buildView>;
