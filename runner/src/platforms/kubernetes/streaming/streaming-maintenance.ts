// Retention and compaction while a cluster continuous run streams (docs/pipeline.md §8.3), through
// the run's query engine: each pass expires snapshots and removes orphan files older than the
// threshold on bronze_raw, silver and gold, and/or rewrites the data files of silver and gold. The
// statements are cleanup's (cleanup-tables.ts), with the threshold as their retention. Every action
// becomes a record (ok, failed with the engine's error, or skipped once the window has closed); a
// failure never stops the pass or the run. Delta tables get no pass: the procedures are Iceberg's.
import { clipError, type Cell, type QueryEngine, type QuerySuccess } from '../../../engines/engine.js';
import type { MaintenanceAction, MaintenanceActionRecord } from '../../../model/continuous-maintenance.js';
import { BRONZE_RAW_TABLE } from '../../../model/tables.js';
import { errorMessage } from '../../../util/errors.js';
import type { MaintenanceRequest } from '../../streaming.js';
import { tableSql } from '../cleanup-tables.js';

/** The tables of a pass: retention on these, compaction on those. */
export type MaintenanceTables = { retention: readonly string[]; compaction: readonly string[] };

/** What a streaming run delegates its passes to (KubernetesStreamingOptions.maintenance). */
export interface StreamingMaintenance {
  readonly skipReason: string | null;
  maintain(request: MaintenanceRequest): Promise<MaintenanceActionRecord[]>;
}

/** bronze_raw (in the catalog of the engine's layer tables), silver and gold: all three get retention, silver and gold compaction. */
export function streamingMaintenanceTables(engine: Pick<QueryEngine, 'tables'>): MaintenanceTables {
  const parts = engine.tables.silver.split('.');
  const catalog = parts.length === 3 ? `${parts[0]}.` : '';
  const bronzeRaw = `${catalog}${BRONZE_RAW_TABLE.schema}.${BRONZE_RAW_TABLE.name}`;
  return { retention: [bronzeRaw, engine.tables.silver, engine.tables.gold], compaction: [engine.tables.silver, engine.tables.gold] };
}

const RETENTION_ACTIONS = ['expire_snapshots', 'remove_orphan_files'] as const;

/** The pass's actions in order: each table's retention, then each table's compaction (docs/pipeline.md §7 order). */
export function passActions(tables: MaintenanceTables, request: Pick<MaintenanceRequest, 'retention' | 'compaction'>): { table: string; action: MaintenanceAction }[] {
  return [
    ...(request.retention ? tables.retention.flatMap((table) => RETENTION_ACTIONS.map((action) => ({ table, action }))) : []),
    ...(request.compaction ? tables.compaction.map((table) => ({ table, action: 'rewrite_data_files' as const })) : []),
  ];
}

const cellText = (c: Cell | undefined): string => (c === null || c === undefined ? 'null' : typeof c === 'object' ? ('timestamp' in c ? c.timestamp : c.date) : String(c));

/** What the engine reported: one row as column=value pairs (Trino's and Iceberg's counts), or how many rows (Spark lists the orphan files). */
function describe(r: QuerySuccess): string | null {
  if (r.rows.length === 0) return null;
  if (r.rows.length === 1) return r.columns.map((c, i) => `${c}=${cellText(r.rows[0]![i])}`).join(', ');
  return `${r.rows.length} rows of ${r.columns.join(', ')}`;
}

/** One pass on an open engine; every action recorded, none thrown. */
export async function runMaintenancePass(engine: QueryEngine, tables: MaintenanceTables, request: MaintenanceRequest): Promise<MaintenanceActionRecord[]> {
  const records: MaintenanceActionRecord[] = [];
  const refreshed = new Set<string>();
  for (const { table, action } of passActions(tables, request)) {
    const started = new Date();
    const base = { pass: request.pass, started_at: started.toISOString(), table, action };
    if (request.stopping()) {
      records.push({ ...base, status: 'skipped', seconds: 0, older_than_seconds: null, detail: null, error: "the run's window closed before it started" });
      continue;
    }
    try {
      const sql = tableSql(engine);
      const procedure = sql.procedures[action];
      if (sql.refresh && !refreshed.has(table)) {
        refreshed.add(table);
        // A failed refresh (e.g. the table is missing) shows again in the procedure's own error.
        await engine.execute(sql.refresh(table), { timeoutSeconds: request.statementTimeoutSeconds });
      }
      const r = await engine.execute(procedure.sql(table, new Date(), request.retentionThresholdSeconds), { timeoutSeconds: request.statementTimeoutSeconds });
      const seconds = (Date.now() - started.getTime()) / 1000;
      const older = procedure.olderThanSeconds(request.retentionThresholdSeconds);
      records.push(
        r.ok
          ? { ...base, status: 'ok', seconds, older_than_seconds: older, detail: describe(r), error: null }
          : { ...base, status: 'failed', seconds, older_than_seconds: older, detail: null, error: clipError(`${r.error.code}: ${r.error.message}`) },
      );
    } catch (e) {
      records.push({ ...base, status: 'failed', seconds: (Date.now() - started.getTime()) / 1000, older_than_seconds: null, detail: null, error: clipError(errorMessage(e)) });
    }
  }
  return records;
}

/** The cluster's passes: a query engine opened per pass (a pass is minutes apart), closed after it. */
export class EngineStreamingMaintenance implements StreamingMaintenance {
  readonly skipReason: string | null;

  constructor(
    private readonly open: () => Promise<QueryEngine>,
    tableFormat: 'iceberg' | 'delta',
    private readonly log: (line: string) => void,
  ) {
    this.skipReason = tableFormat === 'delta' ? 'Delta tables: the retention and compaction procedures are Iceberg procedures' : null;
  }

  async maintain(request: MaintenanceRequest): Promise<MaintenanceActionRecord[]> {
    let engine: QueryEngine;
    try {
      engine = await this.open();
    } catch (e) {
      // No engine, no action: each one the pass would have run is recorded as failed, with why.
      const at = new Date().toISOString();
      const error = clipError(`query engine: ${errorMessage(e)}`);
      const tables: MaintenanceTables = { retention: ['bronze_raw', 'silver', 'gold'], compaction: ['silver', 'gold'] };
      this.log(`maintenance pass ${request.pass}: ${error}`);
      return passActions(tables, request).map(({ table, action }) => ({ pass: request.pass, started_at: at, table, action, status: 'failed' as const, seconds: 0, older_than_seconds: null, detail: null, error }));
    }
    try {
      const records = await runMaintenancePass(engine, streamingMaintenanceTables(engine), request);
      for (const r of records) this.log(`maintenance pass ${request.pass}: ${r.action} ${r.table}: ${r.status}${r.error ? ` (${r.error.slice(0, 200)})` : ''}, ${r.seconds.toFixed(1)} s`);
      return records;
    } finally {
      await engine.close().catch(() => undefined);
    }
  }
}
