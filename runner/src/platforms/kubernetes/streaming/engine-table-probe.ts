// Gold's commits and silver's rows on the cluster, read through the run's query engine from the
// tables themselves: gold's Iceberg snapshots with the summary property every refresh sets
// (`lakebench.source-max-processing-ts`, docs/pipeline.md §8.2), so freshness is derived from the
// table, never from a log line. Trino reads the `$snapshots` metadata table; the Spark Thrift server
// Iceberg's `snapshots` table after REFRESH TABLE (its catalog caches a loaded table per session).
// Map lookups go through element_at / try_element_at: a snapshot without the key (the table's
// creation) gives NULL instead of an error. Delta tables keep no snapshot summary: none are read.
import type { Cell, QueryEngine } from '../../../engines/engine.js';
import { SOURCE_MAX_PROCESSING_TS_KEY, type GoldCommit } from '../../streaming.js';
import type { TableProbe } from './kubernetes-streaming-run.js';

const text = (c: Cell | undefined): string | null => (c === null || c === undefined ? null : typeof c === 'object' ? ('timestamp' in c ? c.timestamp : 'date' in c ? c.date : null) : String(c));

function trinoMetadataTable(table: string, suffix: string): string {
  const dot = table.lastIndexOf('.');
  return `${table.slice(0, dot)}."${table.slice(dot + 1)}$${suffix}"`;
}

/** The statement listing gold's snapshots oldest first: id, commit time, covered silver time, rows. */
export function goldCommitsSql(engine: Pick<QueryEngine, 'type' | 'tables'>): string {
  const key = `'${SOURCE_MAX_PROCESSING_TS_KEY}'`;
  if (engine.type === 'trino') {
    return `SELECT CAST(snapshot_id AS varchar), committed_at, element_at(summary, ${key}), element_at(summary, 'total-records') FROM ${trinoMetadataTable(engine.tables.gold, 'snapshots')} ORDER BY committed_at`;
  }
  return `SELECT CAST(snapshot_id AS STRING), committed_at, try_element_at(summary, ${key}), try_element_at(summary, 'total-records') FROM ${engine.tables.gold}.snapshots ORDER BY committed_at`;
}

export class EngineTableProbe implements TableProbe {
  constructor(
    private readonly open: () => Promise<QueryEngine>,
    private readonly tableFormat: 'iceberg' | 'delta',
    private readonly timeoutSeconds: number,
    private readonly log: (line: string) => void,
  ) {}

  async read(): Promise<{ gold_commits: GoldCommit[]; silver_rows: number }> {
    const engine = await this.open();
    try {
      return { gold_commits: await this.goldCommits(engine), silver_rows: await this.silverRows(engine) };
    } finally {
      await engine.close();
    }
  }

  private async goldCommits(engine: QueryEngine): Promise<GoldCommit[]> {
    if (this.tableFormat !== 'iceberg' || engine.type === 'duckdb') return [];
    if (engine.type === 'spark-thrift') await engine.execute(`REFRESH TABLE ${engine.tables.gold}`, { timeoutSeconds: this.timeoutSeconds });
    const r = await engine.execute(goldCommitsSql(engine), { timeoutSeconds: this.timeoutSeconds });
    // Before the first refresh gold does not exist: no commits yet, not a failure of the run.
    if (!r.ok) {
      this.log(`gold commits not read: ${r.error.code}: ${r.error.message.slice(0, 200)}`);
      return [];
    }
    return r.rows.map((row) => ({ id: text(row[0]) ?? '', committed_at: text(row[1]) ?? '', source_max_processing_ts: text(row[2]), rows: Number(text(row[3]) ?? 0) }));
  }

  private async silverRows(engine: QueryEngine): Promise<number> {
    const r = await engine.execute(`SELECT count(*) FROM ${engine.tables.silver}`, { timeoutSeconds: this.timeoutSeconds });
    return r.ok ? Number(r.rows[0]?.[0] ?? 0) : 0;
  }
}
