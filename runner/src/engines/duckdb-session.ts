// One DuckDB database for a stage or a benchmark: UTC session, ICU loaded, and helpers to read
// results as the engine-neutral cells the rest of the runner uses.
import {
  DuckDBInstance,
  DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  version as duckdbLibraryVersion,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Cell } from './engine.js';

export type DuckSession = { instance: DuckDBInstance; connection: DuckDBConnection };

export async function openDuckDb(options: { threads?: number; memoryLimit?: string } = {}): Promise<DuckSession> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await connectDuckDb(instance);
  // Keeps Parquet footers between statements; a cold run reopens the database to drop them.
  await connection.run('SET parquet_metadata_cache = true');
  return { instance, connection };
}

/**
 * Another connection to an open database, set up like the first one (ICU, UTC). Connections of one
 * instance share its catalog (views), buffer pool and caches, and run their statements concurrently.
 */
export async function connectDuckDb(instance: DuckDBInstance): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  await connection.run('LOAD icu');
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}

export function closeDuckDb(session: DuckSession): void {
  session.connection.closeSync();
  session.instance.closeSync();
}

export const duckdbVersion = (): string => duckdbLibraryVersion();

const isoMicros = (micros: bigint): string => {
  const ms = micros / 1000n;
  const us = ((micros % 1000n) + 1000n) % 1000n;
  return new Date(Number(ms)).toISOString().replace('Z', `${us.toString().padStart(3, '0')}Z`);
};

export function toCell(value: DuckDBValue): Cell {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof DuckDBDateValue) return { date: value.toString() };
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) return { timestamp: isoMicros(value.micros) };
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  return String(value);
}

/** Runs a query and returns its rows as cells, with column names. */
export async function queryCells(connection: DuckDBConnection, sql: string): Promise<{ columns: string[]; rows: Cell[][] }> {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRows().map((r) => r.map(toCell)) };
}

/** A single-row query as an object of numbers (bigints narrowed; counts here stay far below 2^53). */
export async function queryNumbers(connection: DuckDBConnection, sql: string): Promise<Record<string, number | null>> {
  const { columns, rows } = await queryCells(connection, sql);
  const row = rows[0] ?? [];
  return Object.fromEntries(columns.map((c, i) => {
    const v = row[i];
    return [c, v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v)];
  }));
}

export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/**
 * A folder path made literal inside a DuckDB glob pattern. DuckDB reads a path naming an existing
 * file as it is, but in a pattern below the folder (`<folder>/**` and `*.parquet`) the folder's own `*`, `?` and `[` are glob
 * characters too: they would match other folders, or nothing ("No files found that match the
 * pattern"). Each becomes a one-character class, which matches only itself. (A backslash cannot be
 * escaped: DuckDB splits paths on it; embedded output folders refuse it.)
 */
export const globLiteral = (folder: string): string => folder.replace(/[*?[]/g, (c) => `[${c}]`);
