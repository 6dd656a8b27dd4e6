// silver-build over the same bronze on Spark (spark-submit, local[2], bronze read over s3a from
// MinIO, Iceberg written through the REST catalog into MinIO) and on DuckDB (the embedded stage,
// local Parquet in and out), alternated round by round because the machine is shared and noisy;
// medians and their ratio. Spark's figure is the job's own engine_elapsed_seconds (session start
// included, JVM launch excluded); its spark-submit wall time is printed too.
// Usage: npx tsx bench/spark-vs-duckdb.ts [--scale 0.1] [--rounds 2] [--driver-memory 2g]
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../runner/src/benchmark/qph.js';
import { generateBronze, jobSettings, runSparkStage, startSparkStack, uploadBronze } from '../test/engines/fixtures/spark-stack.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(arg('scale', '0.1'));
const rounds = Math.max(2, Number(arg('rounds', '2')));
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

const t0 = performance.now();
const bronze = await generateBronze({ scale });
console.log(`bronze: scale ${scale}, ${bronze.manifest.totals.file_count} files, ${bronze.manifest.totals.total_rows} rows, ${(bronze.manifest.totals.total_bytes / 2 ** 20).toFixed(0)} MiB (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const stack = await startSparkStack({ catalog: true, driverMemory: arg('driver-memory', '2g') });
try {
  await uploadBronze(stack.minio, bronze);
  console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${load()}`);
  const spark: number[] = [];
  const sparkWall: number[] = [];
  const duck: number[] = [];
  for (let r = 1; r <= rounds; r++) {
    const w0 = performance.now();
    const job = await runSparkStage(stack, 'silver-build', bronze.ctx, jobSettings(stack, { metricsUri: path.join(bronze.output, `spark-silver-${r}.json`) }));
    const wall = (performance.now() - w0) / 1000;
    if (job.outcome.status !== 'succeeded') {
      throw new Error(`Spark silver-build failed: ${job.outcome.error?.message}\n${job.run.stderr.slice(-3000)}`);
    }
    const s = job.outcome;
    spark.push(s.engine_elapsed_seconds);
    sparkWall.push(wall);
    const d = await bronze.platform.runStage('silver-build', bronze.ctx);
    if (d.output_rows !== s.output_rows) throw new Error(`row counts differ: Spark ${s.output_rows}, DuckDB ${d.output_rows}`);
    duck.push(d.engine_elapsed_seconds);
    console.log(
      `round ${r}: Spark ${s.engine_elapsed_seconds.toFixed(1)} s (wall ${wall.toFixed(1)} s, strategy ${s.strategy}, ${s.files_written} files, timings ${JSON.stringify(s.extras.timings)}), ` +
        `DuckDB ${d.engine_elapsed_seconds.toFixed(1)} s; ${s.output_rows} rows; load ${load()}`,
    );
  }
  const [ms, mw, md] = [median(spark), median(sparkWall), median(duck)];
  console.log(`\nsilver-build at scale ${scale}, medians of ${rounds} alternated rounds:`);
  console.log(`  Spark local[2] (job elapsed) ${ms.toFixed(1)} s; spark-submit wall ${mw.toFixed(1)} s`);
  console.log(`  DuckDB (embedded stage)       ${md.toFixed(1)} s`);
  console.log(`  ratio Spark / DuckDB          ${(ms / md).toFixed(1)} (wall: ${(mw / md).toFixed(1)})`);
} finally {
  await stack.stop();
  rmSync(bronze.output, { recursive: true, force: true });
}
