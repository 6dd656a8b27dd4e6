// Trino QpH and DuckDB QpH on the same tables, side by side: an embedded run gives the data (and the
// DuckDB tables, Parquet on local disk); PySpark copies silver and gold into Iceberg tables in MinIO
// through the REST catalog; Trino 476 (harness, single node, 2 GB heap) reads those. Rounds alternate
// Trino and DuckDB, each round a hot power run (untimed warm-up, then the 8 queries once); medians of
// the rounds are printed, with their ratio. The machine is shared and noisy: read ratios, not seconds.
// Beside each query's DuckDB wall time it prints Trino's server-side QueryStats (GET /v1/query/{id}):
// queued, analysis, planning, starting, execution and finishing time, task CPU, and the client's share
// (client wall − server elapsed); per round, the Trino JVM's CPU (/proc) against the CPU its queries'
// tasks and planning account for (warm-up included), the rest being the coordinator's own work.
// Usage: npx tsx bench/trino-vs-duckdb.ts [--scale 0.01] [--rounds 3] [--load-timeout-minutes 180]
// The PySpark load is untimed setup; its spark-submit timeout is raised well past the tests' 600 s,
// which the load at scale 0.1 outlasts on a loaded 2-core machine.
import os from 'node:os';
import path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { startMinio } from '../test/harness/minio.js';
import { startPostgres } from '../test/harness/engines/postgres.js';
import { startIcebergRest } from '../test/harness/engines/iceberg-rest.js';
import { startTrino } from '../test/harness/engines/trino.js';
import { sparkSubmitEnv } from '../test/harness/engines/spark.js';
import { embeddedRun, loadIntoIceberg } from '../test/engines/fixtures/trino-tables.js';
import { TrinoEngine } from '../runner/src/engines/trino-engine.js';
import { DuckDbEngine } from '../runner/src/engines/duckdb-engine.js';
import type { QueryEngine } from '../runner/src/engines/engine.js';
import { powerRun, type PowerRun } from '../runner/src/benchmark/power-run.js';
import { median, qph } from '../runner/src/benchmark/qph.js';
import { processCpuSeconds, queriesSince, queryStatsOf, type TrinoQueryStats } from './trino-query-stats.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const scale = arg('scale', 0.01);
const rounds = Math.max(2, arg('rounds', 3));
const loadTimeoutMs = arg('load-timeout-minutes', 180) * 60_000;
/** The loader's heap (its spark-submit --driver-memory): untimed setup, so sized for the scale rather than for a fair comparison. */
const loadMemory = scale >= 0.1 ? '4g' : '2g';
const stops: (() => Promise<void>)[] = [];
let output: string | undefined;

const loadavg = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const roundQph = (run: PowerRun) => qph(run.queries.map((q) => ({ success: q.result.success, elapsedSeconds: q.result.elapsed_seconds })));

try {
  console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; scale ${scale}, ${rounds} rounds`);
  const data = embeddedRun(scale).then((o) => (output = o));
  const [minio, postgres] = await Promise.all([startMinio(), startPostgres()]);
  stops.push(minio.stop, postgres.stop);
  const rest = await startIcebergRest({ s3: minio, postgres });
  stops.push(rest.stop);
  await data;
  const t0 = performance.now();
  const [load, trinoServer] = await Promise.all([
    loadIntoIceberg(sparkSubmitEnv({ s3: minio, restCatalogUri: rest.uri, driverMemory: loadMemory }), output!, 'lakehouse', { timeoutMs: loadTimeoutMs }),
    startTrino({ s3: minio, restCatalogUri: rest.uri }).then((t) => (stops.push(t.stop), t)),
  ]);
  if (load.exitCode !== 0) {
    // A JVM stack trace's tail says little; the whole output goes to a file and its exception lines to the console.
    const log = path.join(os.tmpdir(), `trino-vs-duckdb-${process.pid}-load.log`);
    writeFileSync(log, `${load.stdout}\n${load.stderr}`);
    const causes = load.stderr.split('\n').filter((l) => /(Exception|Error)\b/.test(l) && !/^\s+at /.test(l)).slice(0, 12).join('\n');
    throw new Error(`loading Iceberg tables failed${load.timedOut ? ` (timed out after ${loadTimeoutMs / 60_000} min)` : ''}; whole output in ${log}:\n${causes}`);
  }
  console.log(`tables loaded into Iceberg (${/LOADED .*/.exec(load.stdout)?.[0]}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const trino = await TrinoEngine.open({ endpoint: trinoServer.uri });
  const user = trino.options.user;
  const engines: QueryEngine[] = [trino, await DuckDbEngine.open(path.join(output!, 'warehouse'), os.availableParallelism())];
  const runs = new Map<string, PowerRun[]>(engines.map((e) => [e.type, []]));
  /** Per Trino round: each timed query's server stats, in query order. */
  const trinoStats: TrinoQueryStats[][] = [];
  for (let r = 0; r < rounds; r++) {
    for (const engine of r % 2 === 0 ? engines : [...engines].reverse()) {
      const since = new Date();
      // Read during DuckDB's rounds too: what the idle Trino JVM spends (announcements, GC, timers) is a baseline.
      const cpu0 = processCpuSeconds(trinoServer.pid);
      const w0 = performance.now();
      const run = await powerRun(engine, { iterations: 1, cache: 'hot', timeoutSeconds: 300 });
      const wall = (performance.now() - w0) / 1000;
      runs.get(engine.type)!.push(run);
      let jvm = `; idle Trino JVM CPU ${(processCpuSeconds(trinoServer.pid) - cpu0).toFixed(1)} s over ${wall.toFixed(1)} s wall`;
      if (engine === trino) {
        const cpu = processCpuSeconds(trinoServer.pid) - cpu0;
        // Every statement of the round (warm-up pass and timed pass), read before the coordinator forgets them.
        const all = await Promise.all((await queriesSince(trinoServer.uri, user, since)).map((id) => queryStatsOf(trinoServer.uri, user, id)));
        const task = all.reduce((a, q) => a + q.totalCpuTime, 0);
        const planning = all.reduce((a, q) => a + q.planningCpuTime, 0);
        jvm = `; Trino JVM CPU ${cpu.toFixed(1)} s over ${wall.toFixed(1)} s wall for ${all.length} statements: tasks ${task.toFixed(1)} s, planning ${planning.toFixed(1)} s, rest ${(cpu - task - planning).toFixed(1)} s`;
        trinoStats.push(
          await Promise.all(
            run.queries.map((q) => {
              const id = q.result.engine_stats?.['query_id'];
              if (typeof id !== 'string') throw new Error(`${q.def.id}: no Trino query id (${q.result.error ? `${q.result.error.code}: ${q.result.error.message}` : 'no engine stats'})`);
              return queryStatsOf(trinoServer.uri, user, id);
            }),
          ),
        );
      }
      console.log(`round ${r + 1} ${engine.type.padEnd(6)} QpH ${roundQph(run).toFixed(0)} (${run.queries.filter((q) => q.result.success).length}/8 ok)${jvm}; load ${loadavg()}`);
    }
  }
  for (const e of engines) await e.close();

  const trinoRuns = runs.get('trino')!;
  const duckRuns = runs.get('duckdb')!;
  const mismatches = trinoRuns[0]!.queries.filter((q, i) => q.result.fingerprint !== duckRuns[0]!.queries[i]!.result.fingerprint).map((q) => q.def.id);
  console.log(`\nfingerprints: ${mismatches.length === 0 ? 'all 8 equal' : `DIFFER for ${mismatches.join(', ')}`}`);
  // Trino's phases (QueryStateTimer): elapsed = queued + waiting for resources + dispatching + execution,
  // and execution runs from the start of planning: planning + starting + running + finishing.
  const columns = ['trino s', 'server', 'queued', 'waiting', 'planning', 'starting', 'running', 'finishing', 'task CPU', 'plan CPU', 'client', 'duckdb s'];
  console.log(`\nseconds, medians over rounds; trino s = client wall, server = Trino's elapsedTime, waiting = resource waiting + dispatching, client = trino s − server\nquery  ${columns.map((c) => c.padStart(9)).join(' ')}`);
  const cell = (x: number) => x.toFixed(3).padStart(9);
  for (const [i, q] of trinoRuns[0]!.queries.entries()) {
    const t = median(trinoRuns.map((run) => run.queries[i]!.result.elapsed_seconds));
    const d = median(duckRuns.map((run) => run.queries[i]!.result.elapsed_seconds));
    const s = (f: (x: TrinoQueryStats) => number) => median(trinoStats.map((round) => f(round[i]!)));
    const client = median(trinoRuns.map((run, r) => run.queries[i]!.result.elapsed_seconds - trinoStats[r]![i]!.elapsedTime));
    const server = [
      s((x) => x.elapsedTime), s((x) => x.queuedTime), s((x) => x.resourceWaitingTime + x.dispatchingTime), s((x) => x.planningTime), s((x) => x.startingTime),
      s((x) => x.executionTime - x.planningTime - x.startingTime - x.finishingTime), s((x) => x.finishingTime), s((x) => x.totalCpuTime), s((x) => x.planningCpuTime),
    ];
    console.log(`${q.def.id.padEnd(6)} ${[t, ...server, client, d].map(cell).join(' ')}`);
  }
  const trinoQph = median(trinoRuns.map(roundQph));
  const duckQph = median(duckRuns.map(roundQph));
  console.log(`\nTrino QpH ${trinoQph.toFixed(0)} | DuckDB QpH ${duckQph.toFixed(0)} | DuckDB ÷ Trino ${(duckQph / trinoQph).toFixed(1)} (medians of ${rounds} alternated hot rounds); load ${loadavg()}`);
} finally {
  for (const stop of stops.reverse()) await stop();
  if (output) rmSync(output, { recursive: true, force: true });
}
