// The sizing model's numbers as text: `lakebench recommend`, the header of `lakebench plan`, and the
// table in docs/cluster-sizing.md. Formatting only; every number comes from runner/src/model/sizing.ts.
import { DEFAULT_CLUSTER_QUERY_ENGINE } from '../../../config/defaults.js';
import { BATCH_JOBS, HEADROOM, alwaysOnFor, capacityShortfalls, requirement, type Cluster, type EngineSize, type Requirement } from '../../../model/sizing.js';

/** The query engine when the config names none: the schema's defaults (one Trino worker, 2 CPU / 8 GiB). */
export const DEFAULT_ENGINE: EngineSize = DEFAULT_CLUSTER_QUERY_ENGINE;

const gb = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
}

export function stageLines(req: Requirement): string[] {
  const rows = [['stage', 'executors', 'per executor', 'driver', 'peak CPU', 'peak memory', 'scratch']];
  for (const j of req.jobs) {
    rows.push([
      j.job,
      `${j.executors}${j.overCeiling ? ' (over ceiling)' : ''}`,
      `${j.executorCores} CPU / ${gb(j.executorMemoryGb)} GiB`,
      `${j.driverCores} CPU / ${gb(j.driverMemoryGb + j.driverOverheadGb)} GiB`,
      String(j.cores),
      `${gb(j.memoryGb)} GiB`,
      `${j.scratchGi} GiB`,
    ]);
  }
  return columns(rows);
}

export function requirementLines(req: Requirement): string[] {
  const p = req.batchPeak;
  return [
    `datagen            ${req.datagen.pods} pods × 4 CPU / 4 GiB = ${req.datagen.cpu} CPU / ${req.datagen.memoryGb} GiB`,
    `batch peak         ${p.job}: ${p.cores} CPU / ${gb(p.memoryGb)} GiB / ${p.scratchGi} GiB scratch`,
    `always-on          ${gb(req.alwaysOn.cpu)} CPU / ${gb(req.alwaysOn.memoryGb)} GiB (query engine, catalog, database, runner)`,
    `batch requirement  ${req.batch.cpu.toFixed(1)} CPU / ${req.batch.memoryGb.toFixed(1)} GiB = (max(batch peak, datagen) + always-on) × ${HEADROOM}`,
    `largest pod        ${req.largestPod.cpu} CPU / ${gb(req.largestPod.memoryGb)} GiB`,
  ];
}

export function preflightLines(req: Requirement, cluster: Cluster): { fits: boolean; lines: string[] } {
  const shortfalls = capacityShortfalls(req, cluster);
  const head = `preflight on ${cluster.nodes} nodes × ${cluster.nodeCpu} CPU / ${gb(cluster.nodeMemoryGb)} GiB (${cluster.nodes * cluster.nodeCpu} CPU / ${gb(cluster.nodes * cluster.nodeMemoryGb)} GiB): ${shortfalls.length === 0 ? 'fits' : 'REFUSED'}`;
  return { fits: shortfalls.length === 0, lines: [head, ...shortfalls.map((s) => `  - ${s}`)] };
}

/** Markdown for docs/cluster-sizing.md: per stage, executors and the requests of all its pods. */
export function markdownTable(reqs: readonly Requirement[]): string {
  // One column per batch stage, in the pipeline's order.
  const header = [
    `| scale | ${BATCH_JOBS.join(' | ')} | datagen pods | batch requirement (CPU / GiB) |`,
    `|---:|${BATCH_JOBS.map(() => '---|').join('')}---:|---|`,
  ];
  const rows = reqs.map((r) => {
    const cell = (job: string) => {
      const j = r.jobs.find((x) => x.job === job)!;
      return `${j.executors} × (${j.executorCores} CPU, ${gb(j.executorMemoryGb)} GiB) → ${j.cores} CPU / ${gb(j.memoryGb)} GiB / ${j.scratchGi} GiB scratch`;
    };
    return `| ${r.scale} | ${BATCH_JOBS.map(cell).join(' | ')} | ${r.datagen.pods} | ${r.batch.cpu.toFixed(1)} / ${r.batch.memoryGb.toFixed(1)} |`;
  });
  return [...header, ...rows].join('\n');
}

/** The table docs/cluster-sizing.md carries (bench/cluster-sizing-table.ts writes it, a test checks it). */
export const DOC_SCALES = [1, 10, 100, 1000] as const;
export const docTable = (): string => markdownTable(DOC_SCALES.map((scale) => requirement(scale, alwaysOnFor(DEFAULT_ENGINE))));
