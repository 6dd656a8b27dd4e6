// The data contract between the server-side view model and the inline client script
// (assets/report-client.js) that turns each spec into a Chart.js chart. Specs are plain JSON;
// everything that needs a function (tooltips, tick labels) lives in the client.
import type { StageName } from '../model/metrics.js';

export const STAGE_COLORS: Record<StageName, string> = {
  datagen: '#94a3b8',
  'bronze-verify': '#f59e0b',
  'silver-build': '#6366f1',
  'gold-finalize': '#c9a227',
  maintenance: '#64748b',
  benchmark: '#06b6d4',
};

export interface BottleneckSpec {
  kind: 'bottleneck';
  id: string;
  title: string;
  categories: string[];
  series: Array<{ label: string; color: string; percent: number[]; absolute: number[]; units: string[] }>;
}

export type Range = [number, number] | null;

export interface TimelineSpec {
  kind: 'timeline';
  id: string;
  title: string;
  labels: string[];
  colors: string[];
  queue: Range[];
  run: Range[];
}

export interface QueriesSpec {
  kind: 'queries';
  id: string;
  title: string;
  labels: string[];
  names: string[];
  median: Array<number | null>;
  failed: Array<number | null>;
  range: Range[];
  samples: Array<{ x: string; y: number; iteration: number }>;
}

export interface HistorySpec {
  kind: 'history';
  id: string;
  title: string;
  labels: string[];
  runIds: string[];
  qph: Array<number | null>;
  ttv: Array<number | null>;
}

/** Continuous mode: refresh and query-time freshness (seconds) and round QpH against seconds into the run. */
export interface FreshnessSpec {
  kind: 'freshness';
  id: string;
  title: string;
  refresh: Array<{ x: number; y: number }>;
  queryTime: Array<{ x: number; y: number }>;
  qph: Array<{ x: number; y: number }>;
}

export type ChartSpec = BottleneckSpec | TimelineSpec | QueriesSpec | HistorySpec | FreshnessSpec;
