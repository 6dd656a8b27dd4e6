// The `snapshots` entry of the benchmark block (docs/results.md §2.3): the current snapshot of the silver
// and gold tables read before the benchmark and after it, so a table that changed while it was
// measured is seen (a WARNING of the verdict, docs/results.md §3.5). Plain Parquet tables (the embedded
// mode) have no snapshots: that is recorded as not applicable, never as an empty success.
import { z } from 'zod';

export const tableSnapshotSchema = z.object({
  layer: z.enum(['silver', 'gold']),
  table: z.string(),
  format: z.enum(['iceberg', 'delta']),
  /** Iceberg: the snapshot id of the `main` branch; Delta: the table version. Null when the table has none. */
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** Why a side could not be read; the snapshot is then not observed. */
  error: z.string().nullable(),
});
export type TableSnapshot = z.infer<typeof tableSnapshotSchema>;

export const benchmarkSnapshotsSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('not_applicable'), detail: z.string() }),
  z.object({ status: z.literal('recorded'), detail: z.string(), tables: z.array(tableSnapshotSchema) }),
]);
export type BenchmarkSnapshots = z.infer<typeof benchmarkSnapshotsSchema>;

export type SnapshotFindings = {
  /** Tables whose snapshot was read on both sides and differs. */
  changed: TableSnapshot[];
  /** What kept a snapshot from being compared: a table that could not be read, or no usable record at all. */
  notObserved: string[];
};

/** The verdict's reading of a benchmark block's `snapshots` (null or malformed: not observed). */
export function snapshotFindings(snapshots: unknown): SnapshotFindings {
  if (snapshots === null || snapshots === undefined) return { changed: [], notObserved: ['no snapshots were recorded for the benchmark'] };
  const parsed = benchmarkSnapshotsSchema.safeParse(snapshots);
  if (!parsed.success) return { changed: [], notObserved: [`unreadable snapshots record: ${parsed.error.issues[0]?.message ?? 'invalid'}`] };
  if (parsed.data.status === 'not_applicable') return { changed: [], notObserved: [] };
  const tables = parsed.data.tables;
  return {
    changed: tables.filter((t) => t.error === null && t.before !== t.after),
    notObserved: [
      ...(tables.length === 0 ? ['no table snapshots were read'] : []),
      ...tables.filter((t) => t.error !== null).map((t) => `${t.table}: ${t.error}`),
    ],
  };
}
