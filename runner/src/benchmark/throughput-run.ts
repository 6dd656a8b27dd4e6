// The throughput run (docs/benchmark.md §7–8): N streams, each on a session of its own opened before
// timing starts, run all 8 queries once each in the stream's seeded order, concurrently. Every
// execution's start and finish are recorded relative to the test's origin (the moment the streams
// are released), so wall time (first start to last finish) and the streams' overlap can be checked
// from metrics.json. With iterations > 1 the whole test repeats on the same sessions and orders.
import type { QueryEngine, QueryOutcome } from '../engines/engine.js';
import { adapt } from '../sql/dialect.js';
import { QUERIES, type QueryDef } from '../sql/queries.js';
import { BadInputError } from '../util/errors.js';
import { warmUp, type BenchmarkProgress } from './power-run.js';
import { streamOrder } from './stream-order.js';

export type ThroughputOptions = {
  streams: number;
  seed: number;
  iterations: number;
  cache: 'hot' | 'cold';
  timeoutSeconds: number;
  /** The untimed warm-up pass before the streams (hot); false when a power run just warmed the engine. */
  warmup: boolean;
};

export type StreamExecution = { def: QueryDef; outcome: QueryOutcome; startSeconds: number; finishSeconds: number };
export type StreamRun = { iteration: number; streamId: number; order: QueryDef['id'][]; startSeconds: number; finishSeconds: number; executions: StreamExecution[] };
export type ThroughputRun = { streams: StreamRun[]; warmup: boolean };

/**
 * Cold throughput is refused rather than approximated. Every engine's flush acts on state the
 * streams share: DuckDB's is reopening the one database instance all stream connections use,
 * Spark's CLEAR CACHE / REFRESH TABLE are server-wide, Trino's metadata flush is catalog-wide. A
 * flush before one stream's query would therefore evict, or pull from under, the queries the other
 * streams have in flight, and what the streams measured would be neither cold nor hot.
 */
export function assertThroughputCache(mode: string, cache: 'hot' | 'cold'): void {
  if (cache === 'cold') {
    throw new BadInputError(
      `benchmark.cache 'cold' cannot be used with benchmark.mode '${mode}': a flush acts on caches all concurrent streams share (DuckDB reopens the shared database, Spark clears server-wide, Trino flushes catalog-wide), so it would disturb the other streams' running queries; use cache 'hot' or mode 'power'`,
      'benchmark.cache',
    );
  }
}

export async function throughputRun(engine: QueryEngine, options: ThroughputOptions, onProgress?: BenchmarkProgress): Promise<ThroughputRun> {
  assertThroughputCache('throughput', options.cache);
  if (!engine.openStream) throw new Error(`the ${engine.type} engine cannot open a session per stream, which throughput mode needs`);
  const sqlOf = (q: QueryDef) => adapt(q.sql, engine.dialect, engine.tables);
  if (options.warmup) await warmUp(engine, options.timeoutSeconds);

  const orders = Array.from({ length: options.streams }, (_, s) => streamOrder(QUERIES, options.seed, s));
  const sessions: QueryEngine[] = [];
  const runs: StreamRun[] = [];
  try {
    for (let s = 0; s < options.streams; s++) sessions.push(await engine.openStream());
    for (let iteration = 1; iteration <= options.iterations; iteration++) {
      const origin = performance.now();
      const now = () => (performance.now() - origin) / 1000;
      const stream = async (session: QueryEngine, streamId: number): Promise<StreamRun> => {
        const order = orders[streamId]!;
        const executions: StreamExecution[] = [];
        const startSeconds = now();
        for (const def of order) {
          const start = now();
          const outcome = await session.execute(sqlOf(def), { timeoutSeconds: options.timeoutSeconds });
          executions.push({ def, outcome, startSeconds: start, finishSeconds: now() });
          onProgress?.({ query: def.id, iteration, stream: streamId, outcome });
        }
        return { iteration, streamId, order: order.map((d) => d.id), startSeconds, finishSeconds: now(), executions };
      };
      runs.push(...(await Promise.all(sessions.map((session, s) => stream(session, s)))));
    }
  } finally {
    await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  }
  return { streams: runs, warmup: options.warmup };
}
