// The Trino query engine, on `trino-client` 0.2.9. What that client does, read from its source, and
// what this file does about it:
// - Failures come back inside result pages (`error`), not as rejected promises: every page, and the
//   POST response, is checked, and a page with an error makes the query a failed outcome.
// - Its iterator never yields the POST response and skips data-less pages while the query runs, so
//   a running query's id only shows once rows arrive. The id is read from the iterator's state right
//   after the POST (validated at run time, so a client change fails loudly) so a timeout can cancel
//   the query on the server before any row has come back.
// - It has no abort signal: a timeout or cancel stops reading, asks the server to cancel
//   (`DELETE /v1/query/{id}`), and waits for the client's pending poll to see the query end.
// - It sends no client capabilities, so Trino would truncate timestamps to milliseconds: this
//   engine declares PARAMETRIC_DATETIME and sets the session time zone to UTC on every request.
import { BasicAuth, Trino, type QueryResult } from 'trino-client';
import { z } from 'zod';
import type { Cell, FlushReport, QueryEngine, QueryOutcome } from './engine.js';
import { clipError } from './engine.js';
import { qualifiedTables } from '../model/tables.js';
import { errorMessage } from '../util/errors.js';
import { trinoOptionsSchema, type TrinoOptions, type TrinoOptionsInput } from './trino-options.js';
import { decodeRow, decoderFor, TrinoDecodeError, type Decoder } from './trino-values.js';
import { trinoEngineStats } from './trino-stats.js';

export type TrinoExecuteOptions = { timeoutSeconds: number; /** Cancels the query on the server. */ signal?: AbortSignal };

const trinoError = z.object({ message: z.string(), errorCode: z.number(), errorName: z.string(), errorType: z.string().optional() });
const postResponse = z.object({ iter: z.object({ queryResult: z.object({ id: z.string(), error: z.unknown().optional() }) }) });

type Consumed =
  | { ok: true; queryId: string; columns: string[]; rows: Cell[][]; stats: unknown }
  | { ok: false; queryId: string | null; code: string; message: string };
type RunState = { queryId: string | null; stopped: boolean };

/** A page's error as code and message (Trino's errorName; errorCode, type and query id in the text). */
function pageError(queryId: string, error: unknown): { code: string; message: string } | null {
  if (error === undefined || error === null) return null;
  const e = trinoError.safeParse(error);
  if (!e.success) return { code: 'TRINO_ERROR', message: `unreadable error from query ${queryId}: ${JSON.stringify(error).slice(0, 500)}` };
  return { code: e.data.errorName, message: `${e.data.message} (Trino errorCode ${e.data.errorCode}${e.data.errorType ? `, ${e.data.errorType}` : ''}, query ${queryId})` };
}

const NOT_FLUSHABLE = ['Trino worker file-system caches', 'OS page cache', 'object-store caches'];

export class TrinoEngine implements QueryEngine {
  readonly type = 'trino' as const;
  readonly dialect = 'trino' as const;
  readonly tables: { silver: string; gold: string };
  private readonly client: Trino;
  private serverVersion: string | null = null;

  private constructor(readonly options: TrinoOptions) {
    const { endpoint, catalog, user, password, caPem } = options;
    this.tables = qualifiedTables(catalog);
    this.client = Trino.create({
      server: endpoint,
      catalog,
      source: 'lakebench',
      ...(password ? { auth: new BasicAuth(user, password) } : {}),
      ...(caPem ? { ssl: { ca: caPem } } : {}),
      extraHeaders: { 'X-Trino-User': user, 'X-Trino-Time-Zone': 'UTC', 'X-Trino-Client-Capabilities': 'PARAMETRIC_DATETIME' },
    });
  }

  /** Connects (asks the server its version) before any timing starts. */
  static async open(options: TrinoOptionsInput): Promise<TrinoEngine> {
    const engine = new TrinoEngine(trinoOptionsSchema.parse(options));
    await engine.version();
    return engine;
  }

  async version(): Promise<string> {
    if (this.serverVersion) return this.serverVersion;
    const r = await this.execute('SELECT version()', { timeoutSeconds: 60 });
    const v = r.ok ? r.rows[0]?.[0] : undefined;
    if (typeof v !== 'string') throw new Error(`cannot reach Trino at ${this.options.endpoint}: ${r.ok ? 'no version returned' : `${r.error.code}: ${r.error.message}`}`);
    this.serverVersion = v;
    return v;
  }

  async execute(sql: string, options: TrinoExecuteOptions): Promise<QueryOutcome> {
    const start = performance.now();
    const elapsed = () => (performance.now() - start) / 1000;
    const run: RunState = { queryId: null, stopped: false };
    let timer: NodeJS.Timeout | undefined;
    const stop = new Promise<'timeout' | 'cancel'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutSeconds * 1000);
      if (options.signal?.aborted) resolve('cancel');
      options.signal?.addEventListener('abort', () => resolve('cancel'), { once: true });
    });
    const consuming = this.consume(sql, run);
    try {
      const first = await Promise.race([consuming, stop]);
      if (typeof first !== 'string') {
        const seconds = elapsed();
        if (!first.ok) return { ok: false, timedOut: false, elapsedSeconds: seconds, error: { code: first.code, message: clipError(first.message) } };
        return { ok: true, columns: first.columns, rows: first.rows, elapsedSeconds: seconds, engineStats: trinoEngineStats(first.queryId, first.stats, seconds) };
      }
      run.stopped = true;
      const seconds = first === 'timeout' ? options.timeoutSeconds : elapsed();
      // Without an id yet (the POST is still in flight) consume() cancels as soon as it has one.
      const cancelled = run.queryId ? await this.cancel(run.queryId) : 'cancelled once the server assigns an id';
      // The client's pending poll ends when the server reports the query failed; wait for that
      // (bounded) so the next query does not share the machine with this one.
      await Promise.race([consuming, new Promise((r) => setTimeout(r, 10_000).unref())]);
      const what = first === 'timeout' ? `exceeded the ${options.timeoutSeconds} s timeout` : 'was cancelled by the caller';
      return {
        ok: false,
        timedOut: first === 'timeout',
        elapsedSeconds: seconds,
        error: { code: first === 'timeout' ? 'TIMEOUT' : 'CANCELLED', message: clipError(`query ${run.queryId ?? '(no id yet)'} ${what}; server-side cancel: ${cancelled}`) },
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Submits, then reads every page; never rejects. */
  private async consume(sql: string, run: RunState): Promise<Consumed> {
    try {
      const pages = await this.client.query(sql);
      const post = postResponse.safeParse(pages);
      if (!post.success) return { ok: false, queryId: null, code: 'CLIENT_ERROR', message: 'trino-client no longer exposes the POST response (id); this engine needs trino-client 0.2.9' };
      const queryId = post.data.iter.queryResult.id;
      run.queryId = queryId;
      if (run.stopped) return { ok: false, queryId, code: 'CANCELLED', message: `cancel: ${await this.cancel(queryId)}` };
      const postError = pageError(queryId, post.data.iter.queryResult.error);
      if (postError) return { ok: false, queryId, ...postError };

      let columns: string[] | null = null;
      let decoders: Decoder[] = [];
      const rows: Cell[][] = [];
      let last: QueryResult | null = null;
      for await (const page of pages) {
        if (run.stopped) return { ok: false, queryId, code: 'CANCELLED', message: 'stopped by the caller' };
        last = page;
        const error = pageError(queryId, page.error);
        if (error) return { ok: false, queryId, ...error };
        if (page.columns && columns === null) {
          columns = page.columns.map((c) => c.name);
          decoders = page.columns.map((c) => decoderFor(c.type));
        }
        const data: unknown[][] = page.data ?? [];
        if (data.length > 0 && columns === null) throw new TrinoDecodeError('rows arrived before their columns');
        for (const row of data) rows.push(decodeRow(row, decoders));
      }
      if (!last) return { ok: false, queryId, code: 'CLIENT_ERROR', message: `query ${queryId} ended without a result page` };
      return { ok: true, queryId, columns: columns ?? [], rows, stats: last.stats };
    } catch (e) {
      // The query may still be running on the server: a result this client cannot read is dropped there too.
      const cancelled = run.queryId && !run.stopped ? `; server-side cancel: ${await this.cancel(run.queryId)}` : '';
      const code = e instanceof TrinoDecodeError ? 'CLIENT_DECODE_ERROR' : 'CLIENT_ERROR';
      return { ok: false, queryId: run.queryId, code, message: `${errorMessage(e)}${cancelled}` };
    }
  }

  /** Asks the coordinator to cancel a query; says how that went instead of throwing. */
  private async cancel(queryId: string): Promise<string> {
    try {
      await this.client.cancel(queryId);
      return 'requested';
    } catch (e) {
      return `failed: ${errorMessage(e)}`;
    }
  }

  /**
   * The connector's metadata cache, through its flush procedure, on the configured catalog. The call's
   * result decides what is reported: Trino 476's Iceberg connector has no such procedure
   * (PROCEDURE_NOT_FOUND), so nothing is flushed there and a cold run is refused.
   */
  async flush(): Promise<FlushReport> {
    const call = `CALL ${this.options.catalog}.system.flush_metadata_cache()`;
    const r = await this.execute(call, { timeoutSeconds: 60 });
    const cache = `${this.options.catalog} connector metadata cache`;
    if (r.ok) return { flushed: [`${cache} (${call})`], notFlushed: NOT_FLUSHABLE };
    return { flushed: [], notFlushed: [`${cache}: ${r.error.code}: ${r.error.message}`, ...NOT_FLUSHABLE] };
  }

  /** A client of its own (the protocol is HTTP; the coordinator runs the streams' statements concurrently). */
  async openStream(): Promise<TrinoEngine> {
    const stream = new TrinoEngine(this.options);
    stream.serverVersion = this.serverVersion;
    await stream.version();
    return stream;
  }

  /** The client holds no connection between requests; nothing to release. */
  async close(): Promise<void> {}
}
