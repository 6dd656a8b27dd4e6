// Trino QpH and DuckDB QpH on the same tables, side by side: an embedded run gives the data (and the
// DuckDB tables, Parquet on local disk); PySpark copies silver and gold into Iceberg tables in MinIO
// through the REST catalog; Trino 476 (harness, single node, 2 GB heap) reads those. Rounds alternate
// Trino and DuckDB, each round a hot power run (untimed warm-up, then the 8 queries once); medians of
// the rounds are printed, with their ratio. The machine is shared and noisy: read ratios, not seconds.
// Usage: npx tsx bench/trino-vs-duckdb.ts [--scale 0.01] [--rounds 3]
import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
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

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const scale = arg('scale', 0.01);
const rounds = Math.max(2, arg('rounds', 3));
const stops: (() => Promise<void>)[] = [];
let output: string | undefined;

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
    loadIntoIceberg(sparkSubmitEnv({ s3: minio, restCatalogUri: rest.uri, driverMemory: '2g' }), output!),
    startTrino({ s3: minio, restCatalogUri: rest.uri }).then((t) => (stops.push(t.stop), t)),
  ]);
  if (load.exitCode !== 0) throw new Error(`loading Iceberg tables failed: ${load.stderr.slice(-3000)}`);
  console.log(`tables loaded into Iceberg (${/LOADED .*/.exec(load.stdout)?.[0]}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const engines: QueryEngine[] = [await TrinoEngine.open({ endpoint: trinoServer.uri }), await DuckDbEngine.open(path.join(output!, 'warehouse'), os.availableParallelism())];
  const runs = new Map<string, PowerRun[]>(engines.map((e) => [e.type, []]));
  for (let r = 0; r < rounds; r++) {
    for (const engine of r % 2 === 0 ? engines : [...engines].reverse()) {
      const run = await powerRun(engine, { iterations: 1, cache: 'hot', timeoutSeconds: 300 });
      runs.get(engine.type)!.push(run);
      console.log(`round ${r + 1} ${engine.type.padEnd(6)} QpH ${roundQph(run).toFixed(0)} (${run.queries.filter((q) => q.result.success).length}/8 ok)`);
    }
  }
  for (const e of engines) await e.close();

  const trinoRuns = runs.get('trino')!;
  const duckRuns = runs.get('duckdb')!;
  const mismatches = trinoRuns[0]!.queries.filter((q, i) => q.result.fingerprint !== duckRuns[0]!.queries[i]!.result.fingerprint).map((q) => q.def.id);
  console.log(`\nfingerprints: ${mismatches.length === 0 ? 'all 8 equal' : `DIFFER for ${mismatches.join(', ')}`}`);
  console.log('\nquery   trino s   duckdb s   (medians over rounds)');
  for (const [i, q] of trinoRuns[0]!.queries.entries()) {
    const t = median(trinoRuns.map((run) => run.queries[i]!.result.elapsed_seconds));
    const d = median(duckRuns.map((run) => run.queries[i]!.result.elapsed_seconds));
    console.log(`${q.def.id.padEnd(6)} ${t.toFixed(3).padStart(8)} ${d.toFixed(3).padStart(10)}`);
  }
  const trinoQph = median(trinoRuns.map(roundQph));
  const duckQph = median(duckRuns.map(roundQph));
  console.log(`\nTrino QpH ${trinoQph.toFixed(0)} | DuckDB QpH ${duckQph.toFixed(0)} | DuckDB ÷ Trino ${(duckQph / trinoQph).toFixed(1)} (medians of ${rounds} alternated hot rounds)`);
} finally {
  for (const stop of stops.reverse()) await stop();
  if (output) rmSync(output, { recursive: true, force: true });
}
