// The power run (docs/benchmark.md §6–8): an untimed warm-up pass when hot, or a flush before every timed
// execution when cold, then N iterations of the 8 queries in power order. Every execution is
// fingerprinted; a query succeeds only if every iteration succeeded with at least its declared
// minimum rows and the same answer (the same fingerprint, or one that differs only within the
// rounding tolerance of docs/benchmark.md §9, which is then reported).
import type { QueryEngine, QueryOutcome, Cell } from '../engines/engine.js';
import { adapt } from '../sql/dialect.js';
import { QUERIES, type QueryDef } from '../sql/queries.js';
import { fingerprint, canonicalRows } from './fingerprint.js';
import { compareAnswers } from './tolerant-compare.js';
import { median, percentile } from './qph.js';
import { BadInputError } from '../util/errors.js';
import type { QueryResult } from '../model/metrics.js';

export type PowerRunOptions = { iterations: number; cache: 'hot' | 'cold'; timeoutSeconds: number };

export type QueryRun = {
  def: QueryDef;
  result: QueryResult;
  /** Columns and rows of the last successful execution, for answer checks and the stored result. */
  columns: string[];
  rows: Cell[][];
  /** Every timed execution, in order, as benchmark/<Q-id>.json records it (summarise() always sets it). */
  executions?: ExecutionRecord[];
};

/**
 * One timed execution: `flushed_before` says a cold flush ran right before it, `instance` which
 * engine instance ran it (DuckDB names its database instances; null where the engine names none).
 */
export type ExecutionRecord = {
  iteration: number;
  stream: number | null;
  ok: boolean;
  elapsed_seconds: number;
  rows: number | null;
  fingerprint: string | null;
  error_code: string | null;
  flushed_before: boolean;
  instance: string | null;
};

/** Where an execution sat in the run; defaults to iteration n + 1 of a power run without flush. */
export type ExecutionContext = { iteration: number; stream?: number; flushedBefore: boolean };

export type PowerRun = { queries: QueryRun[]; flushed: string[]; notFlushed: string[]; warmup: boolean; flushes: number };

/** One finished timed execution; `stream` (0-based) is set for the executions of a throughput stream. */
export type BenchmarkProgress = (event: { query: string; iteration: number; stream?: number; outcome: QueryOutcome }) => void;

/** The untimed warm-up pass of hot runs (docs/benchmark.md §8): every query once, results ignored. */
export async function warmUp(engine: QueryEngine, timeoutSeconds: number): Promise<void> {
  for (const q of QUERIES) await engine.execute(adapt(q.sql, engine.dialect, engine.tables), { timeoutSeconds });
}

export async function powerRun(engine: QueryEngine, options: PowerRunOptions, onProgress?: BenchmarkProgress): Promise<PowerRun> {
  const sqlOf = (q: QueryDef) => adapt(q.sql, engine.dialect, engine.tables);
  const warmup = options.cache === 'hot';
  if (warmup) await warmUp(engine, options.timeoutSeconds);

  const samples = new Map<string, QueryOutcome[]>(QUERIES.map((q) => [q.id, []]));
  const contexts = new Map<string, ExecutionContext[]>(QUERIES.map((q) => [q.id, []]));
  const flushed = new Set<string>();
  const notFlushed = new Set<string>();
  let flushes = 0;
  for (let iteration = 1; iteration <= options.iterations; iteration++) {
    for (const q of QUERIES) {
      if (options.cache === 'cold') {
        const report = await engine.flush();
        if (report.flushed.length === 0) {
          throw new BadInputError(`the ${engine.type} engine could not flush anything, so a cold run would not be cold`, 'benchmark.cache');
        }
        flushes++;
        report.flushed.forEach((f) => flushed.add(f));
        report.notFlushed.forEach((f) => notFlushed.add(f));
      }
      const outcome = await engine.execute(sqlOf(q), { timeoutSeconds: options.timeoutSeconds });
      samples.get(q.id)!.push(outcome);
      contexts.get(q.id)!.push({ iteration, flushedBefore: options.cache === 'cold' });
      onProgress?.({ query: q.id, iteration, outcome });
    }
  }
  return { queries: QUERIES.map((q) => summarise(q, samples.get(q.id)!, contexts.get(q.id)!)), flushed: [...flushed], notFlushed: [...notFlushed], warmup, flushes };
}

/**
 * Whether differing fingerprints are a rounding difference (docs/benchmark.md §9): every successful
 * execution compared with the first, cell by cell with the query's tolerances. Null when they differ
 * beyond tolerance, else the cells that differ.
 */
function roundingOnly(def: QueryDef, answers: readonly Extract<QueryOutcome, { ok: true }>[]): string | null {
  const details: string[] = [];
  for (let i = 1; i < answers.length; i++) {
    const c = compareAnswers(def, answers[0]!, answers[i]!);
    if (c.kind === 'different') return null;
    if (c.kind === 'rounding') details.push(`execution ${i + 1}: ${c.detail}`);
  }
  return details.join(' | ');
}

/** One query's executions (iterations, or streams) as its result: success only if all succeeded with the same answer. */
export function summarise(def: QueryDef, outcomes: QueryOutcome[], contexts?: readonly ExecutionContext[]): QueryRun {
  const seconds = outcomes.map((o) => o.elapsedSeconds);
  const prints = outcomes.map((o) => (o.ok ? fingerprint(o.columns, o.rows) : null));
  const firstFailure = outcomes.find((o): o is Extract<QueryOutcome, { ok: false }> => !o.ok);
  const tooFew = outcomes.find((o) => o.ok && o.rows.length < def.minRows);
  const stable = prints.every((p) => p !== null && p === prints[0]);
  const lastOk = [...outcomes].reverse().find((o): o is Extract<QueryOutcome, { ok: true }> => o.ok);
  const answers = outcomes.filter((o): o is Extract<QueryOutcome, { ok: true }> => o.ok);
  const rounding = !firstFailure && !tooFew && !stable ? roundingOnly(def, answers) : null;
  let error: QueryResult['error'] = null;
  if (firstFailure) error = firstFailure.error;
  else if (tooFew && tooFew.ok) error = { code: 'TOO_FEW_ROWS', message: `returned ${tooFew.rows.length} rows, fewer than the declared minimum of ${def.minRows}` };
  else if (!stable && rounding === null) {
    const differs = answers.slice(1).map((o) => compareAnswers(def, answers[0]!, o)).find((c) => c.kind === 'different');
    error = { code: 'FINGERPRINT_UNSTABLE', message: `iterations returned different answers${differs?.kind === 'different' ? `: ${differs.detail}` : ''}` };
  }
  const executions = outcomes.map((o, i): ExecutionRecord => ({
    iteration: contexts?.[i]?.iteration ?? i + 1,
    stream: contexts?.[i]?.stream ?? null,
    ok: o.ok,
    elapsed_seconds: o.elapsedSeconds,
    rows: o.ok ? o.rows.length : null,
    fingerprint: prints[i] ?? null,
    error_code: o.ok ? null : o.error.code,
    flushed_before: contexts?.[i]?.flushedBefore ?? false,
    instance: o.instance ?? null,
  }));
  return {
    def,
    columns: lastOk?.columns ?? [],
    rows: lastOk?.rows ?? [],
    executions,
    result: {
      id: def.id,
      name: def.name,
      display_name: def.displayName,
      class: def.class,
      success: error === null,
      rows: lastOk ? lastOk.rows.length : null,
      elapsed_seconds: median(seconds),
      samples_seconds: seconds,
      p50_seconds: percentile(seconds, 50),
      p95_seconds: percentile(seconds, 95),
      min_seconds: Math.min(...seconds),
      max_seconds: Math.max(...seconds),
      fingerprint: stable ? prints[0]! : (prints.find((p) => p !== null) ?? null),
      fingerprint_stable: stable,
      // A rounding difference between executions is no failure, but it is shown: as a check of its
      // own here, and as a WARNING of the verdict (fingerprint_stable false on a successful query).
      checks: rounding ? [{ name: 'executions agree within rounding', status: 'passed', expected: 'identical answers', observed: 'rounding difference', detail: rounding }] : [],
      error,
      engine_stats: lastOk?.engineStats ?? null,
    },
  };
}

/**
 * What benchmark/<Q-id>.json stores: canonical rows (≤ 1,000), and every timed execution with its
 * fingerprint, whether a cold flush preceded it and which engine instance ran it.
 */
export function storedResult(run: QueryRun): Record<string, unknown> {
  const canonical = canonicalRows(run.rows);
  return {
    id: run.def.id,
    name: run.def.name,
    fingerprint: run.result.fingerprint,
    columns: run.columns,
    row_count: run.rows.length,
    canonical_rows: canonical.length <= 1000 ? canonical : null,
    executions: run.executions ?? [],
  };
}
