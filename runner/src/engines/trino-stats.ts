// Trino's server-side statement statistics (the `stats` object of the last result page, the
// protocol's StatementStats), reduced to what docs/benchmark.md §11 records, next to the client's wall
// time so their difference shows client and transport overhead.
import { z } from 'zod';

const statementStats = z.object({
  state: z.string(),
  queued: z.boolean().optional(),
  nodes: z.number().optional(),
  totalSplits: z.number().optional(),
  completedSplits: z.number().optional(),
  cpuTimeMillis: z.number().optional(),
  wallTimeMillis: z.number().optional(),
  queuedTimeMillis: z.number().optional(),
  elapsedTimeMillis: z.number().optional(),
  planningTimeMillis: z.number().optional(),
  analysisTimeMillis: z.number().optional(),
  processedRows: z.number().optional(),
  processedBytes: z.number().optional(),
  physicalInputBytes: z.number().optional(),
  peakMemoryBytes: z.number().optional(),
  spilledBytes: z.number().optional(),
});

const seconds = (ms: number | undefined) => (ms === undefined ? null : ms / 1000);

/** The record stored as a query's `engine_stats`; null fields are ones this Trino did not send. */
export function trinoEngineStats(queryId: string, stats: unknown, clientElapsedSeconds: number): Record<string, unknown> {
  const parsed = statementStats.safeParse(stats);
  const base = { query_id: queryId, client_elapsed_seconds: clientElapsedSeconds };
  if (!parsed.success) return { ...base, stats_available: false };
  const s = parsed.data;
  return {
    ...base,
    stats_available: true,
    state: s.state,
    engine_elapsed_seconds: seconds(s.elapsedTimeMillis),
    queued_seconds: seconds(s.queuedTimeMillis),
    planning_seconds: seconds(s.planningTimeMillis),
    analysis_seconds: seconds(s.analysisTimeMillis),
    cpu_seconds: seconds(s.cpuTimeMillis),
    wall_seconds: seconds(s.wallTimeMillis),
    processed_rows: s.processedRows ?? null,
    processed_bytes: s.processedBytes ?? null,
    physical_input_bytes: s.physicalInputBytes ?? null,
    peak_memory_bytes: s.peakMemoryBytes ?? null,
    spilled_bytes: s.spilledBytes ?? null,
    total_splits: s.totalSplits ?? null,
    completed_splits: s.completedSplits ?? null,
    nodes: s.nodes ?? null,
  };
}
