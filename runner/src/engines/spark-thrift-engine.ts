// The Spark Thrift (HiveServer2) query engine, on `hive-driver` 1.0.0 (binary transport, SASL PLAIN,
// which is what Spark's Thrift server speaks with authentication NONE). Cells are decoded from the
// columnar row sets by the declared column types, 64-bit integers from their bytes (the library's
// own JSON conversion turns values beyond 2^53 into Infinity). Failures, timeouts and cancels come
// back as values. HiveServer2 offers no query statistics, which engineStats records.
import { HiveClient, HiveUtils, auth, connections, thrift } from 'hive-driver';
import { z } from 'zod';
import type { Cell, FlushReport, QueryEngine, QueryOutcome } from './engine.js';
import { clipError } from './engine.js';
import { DEFAULT_CATALOG_NAME } from '../config/defaults.js';
import { qualifiedTables } from '../model/tables.js';
import { errorMessage } from '../util/errors.js';

type Session = Awaited<ReturnType<HiveClient['openSession']>>;
type Operation = Awaited<ReturnType<Session['executeStatement']>>;

export const sparkThriftOptionsSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  catalog: z.string().regex(/^[a-z_][a-z0-9_]*$/).default(DEFAULT_CATALOG_NAME),
  user: z.string().min(1).default('lakebench'),
  /** PLAIN SASL sends one even when the server ignores it. */
  password: z.string().default('unused'),
});
export type SparkThriftOptionsInput = z.input<typeof sparkThriftOptionsSchema>;

/** `host:port` from `cluster.queryEngine.endpoint`; the user and password only from the environment. */
export function sparkThriftOptionsFromEnv(endpoint: string, catalog: string | undefined, env: NodeJS.ProcessEnv = process.env): SparkThriftOptionsInput {
  const m = /^(?:thrift:\/\/)?([^:/]+):(\d+)$/.exec(endpoint);
  if (!m) throw new Error(`spark-thrift endpoint must be host:port, got ${endpoint}`);
  return { host: m[1]!, port: Number(m[2]), catalog, user: env.LAKEBENCH_SPARK_THRIFT_USER || undefined, password: env.LAKEBENCH_SPARK_THRIFT_PASSWORD || undefined };
}

const TYPES: Record<string, number> = thrift.TCLIService_types.TTypeId;
const statusError = z.object({ response: z.object({ errorMessage: z.string().nullish(), sqlState: z.string().nullish(), errorCode: z.number().nullish() }) });
const int64 = z.custom<{ toOctetString(): string }>((v) => typeof v === 'object' && v !== null && 'toOctetString' in v);
const columnValues = z.object({ values: z.array(z.unknown()), nulls: z.instanceof(Buffer).nullish() });
const rowSet = z.object({ columns: z.array(z.record(z.string(), columnValues.nullish())).nullish() });
const schemaColumn = z.object({ columnName: z.string(), position: z.number(), typeDesc: z.object({ types: z.array(z.object({ primitiveEntry: z.object({ type: z.number() }).nullish() })) }) });

function decodeColumn(column: Record<string, z.infer<typeof columnValues> | null | undefined>, type: number): Cell[] {
  const [kind, data] = Object.entries(column).find(([, v]) => v) ?? [];
  if (!kind || !data) return [];
  const isNull = (i: number) => ((data.nulls?.[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
  return data.values.map((v, i): Cell => {
    if (isNull(i)) return null;
    if (kind === 'i64Val') return BigInt.asIntN(64, BigInt(`0x${int64.parse(v).toOctetString()}`));
    if (typeof v === 'number' && kind !== 'doubleVal') return BigInt(v);
    if (typeof v === 'string' && type === TYPES.DATE_TYPE) return { date: v };
    if (typeof v === 'string' && type === TYPES.DECIMAL_TYPE) return Number(v);
    // Spark sends `2024-01-02 03:04:05.123456` in the session time zone, which open() sets to UTC.
    if (typeof v === 'string' && type === TYPES.TIMESTAMP_TYPE) {
      const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(v);
      if (!m) throw new Error(`unreadable timestamp ${v}`);
      return { timestamp: `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0').slice(0, 6)}Z` };
    }
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    throw new Error(`unreadable ${kind} value in column of type ${type}`);
  });
}

function rowsOf(operation: Operation): { columns: string[]; rows: Cell[][] } {
  const descriptors = z.array(schemaColumn).parse(operation.getSchema()?.columns ?? []).sort((a, b) => a.position - b.position);
  const rows: Cell[][] = [];
  for (const set of operation.getData()) {
    const columns = rowSet.parse(set).columns ?? [];
    const cells = descriptors.map((d, i) => decodeColumn(columns[i] ?? {}, d.typeDesc.types[0]?.primitiveEntry?.type ?? -1));
    for (let r = 0; r < (cells[0]?.length ?? 0); r++) rows.push(cells.map((c) => c[r] ?? null));
  }
  return { columns: descriptors.map((d) => d.columnName), rows };
}

export class SparkThriftEngine implements QueryEngine {
  readonly type = 'spark-thrift' as const;
  readonly dialect = 'spark' as const;
  readonly tables: { silver: string; gold: string };
  private readonly utils = new HiveUtils(thrift.TCLIService_types);
  private sparkVersion: string | null = null;

  private constructor(
    private readonly client: HiveClient,
    private readonly session: Session,
    catalog: string,
    private readonly input: SparkThriftOptionsInput,
  ) {
    this.tables = qualifiedTables(catalog);
  }

  /** Connects and sets the session time zone to UTC before any timing starts. */
  static async open(input: SparkThriftOptionsInput): Promise<SparkThriftEngine> {
    const o = sparkThriftOptionsSchema.parse(input);
    const client = new HiveClient(thrift.TCLIService, thrift.TCLIService_types);
    await client.connect({ host: o.host, port: o.port }, new connections.TcpConnection(), new auth.PlainTcpAuthentication({ username: o.user, password: o.password }));
    const session = await client.openSession({ client_protocol: thrift.TCLIService_types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 });
    const engine = new SparkThriftEngine(client, session, o.catalog, input);
    const tz = await engine.execute('SET spark.sql.session.timeZone=UTC', { timeoutSeconds: 60 });
    if (!tz.ok) throw new Error(`cannot set the Spark session time zone: ${tz.error.code}: ${tz.error.message}`);
    return engine;
  }

  async version(): Promise<string> {
    if (this.sparkVersion) return this.sparkVersion;
    const r = await this.execute('SELECT version()', { timeoutSeconds: 60 });
    const v = r.ok ? r.rows[0]?.[0] : undefined;
    if (typeof v !== 'string') throw new Error(`cannot read the Spark version: ${r.ok ? 'no row' : r.error.message}`);
    this.sparkVersion = v.split(' ')[0] ?? v;
    return this.sparkVersion;
  }

  async execute(sql: string, options: { timeoutSeconds: number; signal?: AbortSignal }): Promise<QueryOutcome> {
    const start = performance.now();
    const elapsed = () => (performance.now() - start) / 1000;
    let operation: Operation | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stop = new Promise<'timeout' | 'cancel'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutSeconds * 1000);
      if (options.signal?.aborted) resolve('cancel');
      options.signal?.addEventListener('abort', () => resolve('cancel'), { once: true });
    });
    const run = (async () => {
      operation = await this.session.executeStatement(sql, { runAsync: true });
      await this.utils.waitUntilReady(operation, false, () => {});
      await this.utils.fetchAll(operation);
      return rowsOf(operation);
    })();
    try {
      const first = await Promise.race([run, stop]);
      if (typeof first !== 'string') {
        const seconds = elapsed();
        return { ok: true, ...first, elapsedSeconds: seconds, engineStats: { stats_available: false, reason: 'HiveServer2 exposes no query statistics', client_elapsed_seconds: seconds } };
      }
      run.catch(() => {}); // ends with the cancelled operation's state
      const cancelled = operation ? await operation.cancel().then(() => 'requested', (e: unknown) => `failed: ${errorMessage(e)}`) : 'not submitted yet';
      const what = first === 'timeout' ? `exceeded the ${options.timeoutSeconds} s timeout` : 'was cancelled by the caller';
      return { ok: false, timedOut: first === 'timeout', elapsedSeconds: first === 'timeout' ? options.timeoutSeconds : elapsed(), error: { code: first === 'timeout' ? 'TIMEOUT' : 'CANCELLED', message: `statement ${what}; server-side cancel: ${cancelled}` } };
    } catch (e) {
      const s = statusError.safeParse(e);
      const code = s.success ? (s.data.response.sqlState ?? `SPARK_${s.data.response.errorCode ?? 'ERROR'}`) : 'CLIENT_ERROR';
      const message = s.success && s.data.response.errorMessage ? s.data.response.errorMessage : errorMessage(e);
      return { ok: false, timedOut: false, elapsedSeconds: elapsed(), error: { code, message: clipError(message) } };
    } finally {
      clearTimeout(timer);
      await operation?.close().catch(() => undefined);
    }
  }

  /** docs/benchmark.md §8: CLEAR CACHE and REFRESH TABLE on both tables, each reported by its result. */
  async flush(): Promise<FlushReport> {
    const flushed: string[] = [];
    const notFlushed = ['executor OS caches', 'object-store caches'];
    for (const sql of ['CLEAR CACHE', `REFRESH TABLE ${this.tables.silver}`, `REFRESH TABLE ${this.tables.gold}`]) {
      const r = await this.execute(sql, { timeoutSeconds: 120 });
      if (r.ok) flushed.push(sql);
      else notFlushed.unshift(`${sql}: ${r.error.code}: ${r.error.message}`);
    }
    return { flushed, notFlushed };
  }

  /** A HiveServer2 session on a connection of its own: one session runs one statement at a time. */
  async openStream(): Promise<SparkThriftEngine> {
    const stream = await SparkThriftEngine.open(this.input);
    stream.sparkVersion = this.sparkVersion;
    return stream;
  }

  async close(): Promise<void> {
    await this.session.close().catch(() => undefined);
    this.client.close();
  }
}
