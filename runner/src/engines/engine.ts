// The query-engine interface the benchmark speaks to. Implementations live next to this file, one
// per engine, and are the only code that imports their client library. Errors of a query come back
// as values (never thrown), so a failed query can never be mistaken for a success.

/** The SQL dialect an engine speaks; sql/dialect.ts adapts the reference (Trino) statements to it. */
export type Dialect = 'trino' | 'duckdb' | 'spark';

/** A result cell, normalised across engines so fingerprints can compare them. */
export type Cell = null | boolean | number | bigint | string | { date: string } | { timestamp: string };

export type QuerySuccess = {
  ok: true;
  columns: string[];
  rows: Cell[][];
  elapsedSeconds: number;
  engineStats: Record<string, unknown> | null;
  /** The engine instance or session that ran the statement, where the engine names one (DuckDB: which database instance). */
  instance?: string;
};
export type QueryFailure = {
  ok: false;
  error: { code: string; message: string };
  timedOut: boolean;
  elapsedSeconds: number;
  instance?: string;
};
export type QueryOutcome = QuerySuccess | QueryFailure;

export type FlushReport = { flushed: string[]; notFlushed: string[] };

export interface QueryEngine {
  readonly type: 'duckdb' | 'trino' | 'spark-thrift';
  readonly dialect: Dialect;
  /** Table names the `{silver}` / `{gold}` placeholders resolve to on this engine. */
  readonly tables: { silver: string; gold: string };
  version(): Promise<string>;
  /** Runs one statement; timing covers submission to the last row consumed. */
  execute(sql: string, options: { timeoutSeconds: number }): Promise<QueryOutcome>;
  /** Drops what the engine can drop from a client before a cold execution (docs/benchmark.md §8). */
  flush(): Promise<FlushReport>;
  /**
   * A session of its own for one concurrent throughput stream (docs/benchmark.md §7), set up before
   * timing starts and closed by the caller: DuckDB a new connection on the same database instance,
   * Trino a client of its own (HTTP; statements run concurrently), Spark Thrift a HiveServer2
   * session on a connection of its own. The stream shares the engine's data and caches. Optional
   * only so wrappers and test doubles of the other commands need not provide it; all three engines do,
   * and throughput mode refuses an engine without it.
   */
  openStream?(): Promise<QueryEngine>;
  close(): Promise<void>;
}

/** Keeps error texts to the 2,000 characters docs/benchmark.md §6 asks for. */
export const clipError = (message: string): string => (message.length > 2000 ? `${message.slice(0, 1997)}...` : message);
