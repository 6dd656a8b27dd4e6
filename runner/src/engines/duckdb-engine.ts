// The DuckDB query engine of the embedded mode: in-process, over the Parquet tables under
// `<output>/warehouse/`. Views are created before timing starts; a cold flush reopens the database.
import path from 'node:path';
import { LAYER_TABLES, qualifiedTable, qualifiedTables } from '../model/tables.js';
import type { QueryEngine, QueryOutcome, FlushReport } from './engine.js';
import { clipError } from './engine.js';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDb, closeDuckDb, connectDuckDb, queryCells, duckdbVersion, sqlString, globLiteral, type DuckSession } from './duckdb-session.js';

export const silverGlob = (warehouse: string) => path.join(globLiteral(warehouse), LAYER_TABLES.silver.schema, LAYER_TABLES.silver.name, '**', '*.parquet');
export const goldGlob = (warehouse: string) => path.join(globLiteral(warehouse), LAYER_TABLES.gold.schema, LAYER_TABLES.gold.name, '*.parquet');

/**
 * Views over the warehouse files (only the layers asked for: gold does not exist while it is being
 * built). `interaction_date` comes back typed DATE from the hive-style folder names.
 */
export async function createWarehouseViews(session: DuckSession, warehouse: string, layers: readonly ('silver' | 'gold')[] = ['silver', 'gold']): Promise<void> {
  const c = session.connection;
  if (layers.includes('silver')) {
    await c.run(`CREATE SCHEMA IF NOT EXISTS ${LAYER_TABLES.silver.schema}`);
    await c.run(
      `CREATE OR REPLACE VIEW ${qualifiedTable('silver')} AS SELECT * FROM read_parquet(${sqlString(silverGlob(warehouse))}, hive_partitioning = true, hive_types = {'interaction_date': DATE})`,
    );
  }
  if (layers.includes('gold')) {
    await c.run(`CREATE SCHEMA IF NOT EXISTS ${LAYER_TABLES.gold.schema}`);
    await c.run(`CREATE OR REPLACE VIEW ${qualifiedTable('gold')} AS SELECT * FROM read_parquet(${sqlString(goldGlob(warehouse))})`);
  }
}

export const DUCKDB_TABLES = qualifiedTables();

// Every database instance this process opens gets the next number, and each execution reports the
// instance that ran it, so a cold run's stored results show a fresh instance before every execution.
let instancesOpened = 0;
const nextInstanceId = (): string => `duckdb-instance-${++instancesOpened}`;

export class DuckDbEngine implements QueryEngine {
  readonly type = 'duckdb' as const;
  readonly dialect = 'duckdb' as const;
  readonly tables = DUCKDB_TABLES;
  private constructor(
    private session: DuckSession,
    private instanceId: string,
    private readonly warehouse: string,
    private readonly threads: number | undefined,
  ) {}

  static async open(warehouse: string, threads?: number): Promise<DuckDbEngine> {
    const session = await openDuckDb({ threads });
    await createWarehouseViews(session, warehouse);
    return new DuckDbEngine(session, nextInstanceId(), warehouse, threads);
  }

  async version(): Promise<string> {
    return duckdbVersion();
  }

  execute(sql: string, options: { timeoutSeconds: number }): Promise<QueryOutcome> {
    return executeOn(this.session.connection, this.instanceId, sql, options);
  }

  /** Closing the database drops its buffer pool and its Parquet metadata and object caches. */
  async flush(): Promise<FlushReport> {
    closeDuckDb(this.session);
    this.session = await openDuckDb({ threads: this.threads });
    this.instanceId = nextInstanceId();
    await createWarehouseViews(this.session, this.warehouse);
    return { flushed: ['duckdb database instance reopened: buffer pool, Parquet metadata and object caches'], notFlushed: ['OS page cache'] };
  }

  /** A connection of its own on the same database instance (one connection runs one statement at a time). */
  async openStream(): Promise<QueryEngine> {
    return DuckDbStream.open(this.session.instance, this.instanceId);
  }

  async close(): Promise<void> {
    closeDuckDb(this.session);
  }
}

/** Runs one statement on a connection, timed from submission to the last row; a timeout interrupts it. */
async function executeOn(connection: DuckDBConnection, instance: string, sql: string, options: { timeoutSeconds: number }): Promise<QueryOutcome> {
  const start = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, options.timeoutSeconds * 1000);
  try {
    const { columns, rows } = await queryCells(connection, sql);
    const elapsedSeconds = (performance.now() - start) / 1000;
    return { ok: true, columns, rows, elapsedSeconds, engineStats: null, instance };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      timedOut,
      elapsedSeconds: timedOut ? options.timeoutSeconds : (performance.now() - start) / 1000,
      error: { code: timedOut ? 'TIMEOUT' : (/^(\w+ Error):/.exec(message)?.[1] ?? 'DUCKDB_ERROR'), message: clipError(message) },
      instance,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One throughput stream: its own connection on the engine's database instance, so streams run
 * concurrently over the same views and caches. It cannot flush: reopening the shared instance would
 * pull it from under the other streams.
 */
class DuckDbStream implements QueryEngine {
  readonly type = 'duckdb' as const;
  readonly dialect = 'duckdb' as const;
  readonly tables = DUCKDB_TABLES;
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly instanceId: string,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(instance: DuckDBInstance, instanceId: string): Promise<DuckDbStream> {
    return new DuckDbStream(instance, instanceId, await connectDuckDb(instance));
  }

  async version(): Promise<string> {
    return duckdbVersion();
  }

  execute(sql: string, options: { timeoutSeconds: number }): Promise<QueryOutcome> {
    return executeOn(this.connection, this.instanceId, sql, options);
  }

  async flush(): Promise<FlushReport> {
    return { flushed: [], notFlushed: ['a stream shares the database instance with the other streams; only the engine itself can reopen it'] };
  }

  openStream(): Promise<QueryEngine> {
    return DuckDbStream.open(this.instance, this.instanceId);
  }

  async close(): Promise<void> {
    this.connection.closeSync();
  }
}
