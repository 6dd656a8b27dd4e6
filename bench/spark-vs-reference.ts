// Our silver-build (spark-scripts/silver_build.py) against the reference tool's own silver_build.py
// (the PyPI wheel lakebench-k8s==1.7.13, run unmodified from the cache), on the same bronze in MinIO,
// the same PySpark local[2] and spark-submit settings, the same Iceberg REST catalog. Rounds
// alternate which job goes first because the machine is shared and noisy; each job writes a fresh
// table per round. The figure compared is spark-submit's wall time (JVM launch to exit, the same fixed
// cost for both); each job's self-reported time is printed too, with both silver row counts and the
// column differences read from the catalog.
// With --event-log DIR both jobs write a Spark event log under DIR/<job>-r<round>/ and the bench prints
// each job's stages (wall, run and CPU seconds, shuffle bytes) and the Exchanges of its final plans
// (test/harness/engines/spark-event-log.ts): the Spark UI's profile, kept after the job ends.
// Usage: npx tsx bench/spark-vs-reference.ts [--scale 0.1] [--rounds 3] [--driver-memory 8g] [--event-log DIR]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { median } from '../runner/src/benchmark/qph.js';
import { cacheDir } from '../test/harness/cache.js';
import { enginesManifest } from '../test/harness/engines/manifest.js';
import { runPySpark } from '../test/harness/engines/spark.js';
import { formatEventLog, summariseEventLog } from '../test/harness/engines/spark-event-log.js';
import { buildSparkJobConfig } from '../runner/src/spark-jobs/job-config.js';
import { readJobReport } from '../runner/src/spark-jobs/read-report.js';
import { BUCKETS, SCRIPTS, generateBronze, jobSettings, startSparkStack, uploadBronze, type SparkStack } from '../test/engines/fixtures/spark-stack.js';

/** The reference release, pinned by the wheel's SHA-256 (as PyPI lists it) so a re-publish cannot change the comparison. */
const REFERENCE = {
  requirement: 'lakebench-k8s==1.7.13',
  wheel: 'lakebench_k8s-1.7.13-py3-none-any.whl',
  sha256: '22f7bf53aaa62fa148fa67c4fa034db20e0fc210bab810a467e0bdf55099ecfe',
  scripts: 'lakebench/spark/scripts',
};

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(arg('scale', '0.1'));
const rounds = Math.max(1, Number(arg('rounds', '3')));
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const eventLogRoot = arg('event-log', '') ? path.resolve(arg('event-log', '')) : undefined;
/** Event-log settings for one job (none without --event-log); uncompressed, so the bench can read it. */
function eventLogConf(job: string): Record<string, string> {
  if (!eventLogRoot) return {};
  const dir = path.join(eventLogRoot, job);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return { 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': `file://${dir}`, 'spark.eventLog.compress': 'false' };
}
const printEventLog = (job: string) => {
  if (eventLogRoot) console.log(`${job} event log (${path.join(eventLogRoot, job)}):\n${formatEventLog(summariseEventLog(path.join(eventLogRoot, job)))}`);
};

/** The reference scripts folder in the cache: pip downloads the wheel once, it is checked and unpacked. */
function referenceScripts(): string {
  const root = path.join(cacheDir, 'reference', 'lakebench-k8s-1.7.13');
  const scripts = path.join(root, REFERENCE.scripts);
  if (existsSync(path.join(scripts, 'silver_build.py'))) return scripts;
  const python = enginesManifest().python;
  const downloads = path.join(cacheDir, 'reference', 'wheels');
  mkdirSync(downloads, { recursive: true });
  const pip = spawnSync(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', REFERENCE.requirement, '-d', downloads], { encoding: 'utf8' });
  if (pip.status !== 0) throw new Error(`pip download ${REFERENCE.requirement} failed:\n${pip.stderr}`);
  const wheel = path.join(downloads, REFERENCE.wheel);
  const digest = createHash('sha256').update(readFileSync(wheel)).digest('hex');
  if (digest !== REFERENCE.sha256) throw new Error(`${wheel}: SHA-256 ${digest}, expected ${REFERENCE.sha256}`);
  // Unpacked beside the final folder and renamed into place, so a killed run never leaves half a copy.
  const staging = mkdtempSync(path.join(cacheDir, 'reference', '.unpack-'));
  const unzip = spawnSync(python, ['-m', 'zipfile', '-e', wheel, staging], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unpacking ${wheel} failed:\n${unzip.stderr}`);
  rmSync(root, { recursive: true, force: true });
  renameSync(staging, root);
  return scripts;
}

/** A table's columns and types, read from the Iceberg REST catalog (no Spark needed). */
const tableMetadata = z.object({
  metadata: z.object({
    'current-schema-id': z.number(),
    schemas: z.array(z.object({ 'schema-id': z.number(), fields: z.array(z.object({ name: z.string(), type: z.unknown() })) })),
  }),
});
async function columns(stack: SparkStack, table: string): Promise<Map<string, string>> {
  const res = await fetch(`${stack.rest!.uri}/v1/namespaces/silver/tables/${table}`);
  if (!res.ok) throw new Error(`Iceberg REST catalog: GET table silver.${table} answered ${res.status}`);
  const { metadata } = tableMetadata.parse(await res.json());
  const schema = metadata.schemas.find((s) => s['schema-id'] === metadata['current-schema-id']);
  if (!schema) throw new Error(`silver.${table}: current schema ${metadata['current-schema-id']} not in the metadata`);
  return new Map(schema.fields.map((f) => [f.name, JSON.stringify(f.type)]));
}

/** `key: value` lines of the reference job's `=== JOB METRICS ===` block on stdout. */
function referenceMetric(stdout: string, key: string): string | undefined {
  return new RegExp(`- ${key}: (\\S+)\\s*$`, 'm').exec(stdout)?.[1];
}

/**
 * Joins the two silver tables on bronze's row id and counts, per shared column, the rows whose values
 * differ (null-safe), plus rows found on one side only. Written to a temporary file and run with
 * spark-submit like the jobs.
 */
const COMPARE_SCRIPT = `
import json, sys
from pyspark.sql import SparkSession, functions as F
ours, ref, cols = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
spark = SparkSession.builder.getOrCreate()
a = spark.table(ours).select(*[F.col(c).alias("a_" + c) for c in cols])
b = spark.table(ref).select(*[F.col(c).alias("b_" + c) for c in cols])
j = a.join(b, F.col("a_id") == F.col("b_id"), "full_outer")
aggs = [F.sum(F.when(F.col("a_id").isNull(), 1).otherwise(0)).alias("only_reference"), F.sum(F.when(F.col("b_id").isNull(), 1).otherwise(0)).alias("only_ours")]
aggs += [F.sum(F.when(F.col("a_id").isNotNull() & F.col("b_id").isNotNull() & ~F.col("a_" + c).eqNullSafe(F.col("b_" + c)), 1).otherwise(0)).alias(c) for c in cols]
print("COMPARE " + json.dumps(j.agg(*aggs).first().asDict()))
spark.stop()
`;

const scripts = referenceScripts();
const t0 = performance.now();
const bronze = await generateBronze({ scale });
const totals = bronze.manifest.totals;
console.log(`bronze: scale ${scale}, ${totals.file_count} files, ${totals.total_rows} rows, ${(totals.total_bytes / 2 ** 20).toFixed(0)} MiB (${seconds(t0).toFixed(1)} s)`);
// 8g: the reference tool's own local profile for silver-build (its job.py); at 2g its write runs out of heap.
const stack = await startSparkStack({ catalog: true, driverMemory: arg('driver-memory', '8g') });
try {
  await uploadBronze(stack.minio, bronze);
  // The reference's data clock is datagen's exclusive window end; its recency anchor is the day before,
  // which is our reference date R when the data reaches the window's last day.
  const dataClock = new Date(Date.parse(`${bronze.ctx.referenceDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const referenceEnv = (table: string) => ({
    LB_ICEBERG_CATALOG: 'lakehouse',
    LB_BRONZE_URI: `s3a://${BUCKETS.bronze}/`,
    LB_SILVER_TABLE: `silver.${table}`,
    LB_DATA_CLOCK: dataClock,
    LB_SEED: String(bronze.ctx.config.seed),
  });
  console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${load()}; reference ${REFERENCE.requirement} from ${scripts}`);

  type Result = { wall: number; self: number; rows: number; table: string; detail: string };
  const ours: Result[] = [];
  const reference: Result[] = [];
  // Both jobs go through runPySpark with the same settings and a timeout long enough for a busy machine.
  const timeout = { timeoutMs: 45 * 60_000 };
  const runOurs = async (r: number): Promise<Result> => {
    const table = `ours_r${r}`;
    const doc = buildSparkJobConfig('silver-build', bronze.ctx, jobSettings(stack, { metricsUri: path.join(bronze.output, `ours-${r}.json`) }));
    doc.tables.silver.ident = `lakehouse.silver.${table}`;
    const docPath = path.join(bronze.output, `ours-${r}-job.json`);
    writeFileSync(docPath, JSON.stringify(doc));
    const w0 = performance.now();
    const run = await runPySpark(stack.spark, path.join(SCRIPTS, 'silver_build.py'), ['--config', docPath], eventLogConf(`ours-r${r}`), timeout);
    const wall = seconds(w0);
    const outcome = await readJobReport(doc, run.exitCode);
    if (outcome.status !== 'succeeded' || outcome.output_rows === null) {
      const log = path.join(os.tmpdir(), `spark-vs-reference-${process.pid}-ours-r${r}.log`);
      writeFileSync(log, `${run.stdout}\n${run.stderr}`);
      throw new Error(`our silver-build failed (${outcome.error?.message}); its whole output is in ${log}`);
    }
    const rep = outcome;
    const rows = rep.output_rows ?? Number.NaN; // checked above: never null here
    return { wall, self: rep.engine_elapsed_seconds, rows, table, detail: `strategy ${rep.strategy}, laps ${JSON.stringify(rep.extras.timings)}` };
  };
  const runReference = async (r: number): Promise<Result> => {
    const table = `reference_r${r}`;
    const w0 = performance.now();
    const run = await runPySpark({ ...stack.spark, env: { ...stack.spark.env, ...referenceEnv(table) } }, path.join(scripts, 'silver_build.py'), [], eventLogConf(`reference-r${r}`), timeout);
    const wall = seconds(w0);
    const rows = Number(referenceMetric(run.stdout, 'output_rows'));
    const self = Number(referenceMetric(run.stdout, 'elapsed_seconds'));
    if (run.exitCode !== 0 || !Number.isInteger(rows)) {
      const log = path.join(os.tmpdir(), `spark-vs-reference-${process.pid}-r${r}.log`);
      writeFileSync(log, `${run.stdout}\n${run.stderr}`);
      throw new Error(`reference silver_build.py failed (exit ${run.exitCode}); its whole output is in ${log}:\n${run.stdout.slice(-2000)}`);
    }
    return { wall, self, rows, table, detail: `strategy ${referenceMetric(run.stdout, 'Strategy') ?? '?'}` };
  };

  for (let r = 1; r <= rounds; r++) {
    const order = r % 2 === 1 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const);
    for (const who of order) {
      const res = who === 'ours' ? await runOurs(r) : await runReference(r);
      (who === 'ours' ? ours : reference).push(res);
      console.log(`round ${r} ${who.padEnd(9)} wall ${res.wall.toFixed(1)} s (self-reported ${res.self.toFixed(1)} s), ${res.rows} silver rows, ${res.detail}; load ${load()}`);
      printEventLog(`${who}-r${r}`);
    }
  }

  const [ourCols, refCols] = await Promise.all([columns(stack, ours[0]!.table), columns(stack, reference[0]!.table)]);
  const onlyRef = [...refCols.keys()].filter((c) => !ourCols.has(c));
  const onlyOurs = [...ourCols.keys()].filter((c) => !refCols.has(c));
  const typed = [...ourCols].filter(([c, t]) => refCols.has(c) && refCols.get(c) !== t).map(([c, t]) => `${c} (ours ${t}, reference ${refCols.get(c)})`);
  console.log(`\ncolumns: ours ${ourCols.size}, reference ${refCols.size}; only in reference: ${onlyRef.join(', ') || '-'}; only in ours: ${onlyOurs.join(', ') || '-'}; type differs: ${typed.join('; ') || '-'}`);

  const rowsAgree = ours.every((o) => o.rows === ours[0]!.rows) && reference.every((x) => x.rows === ours[0]!.rows);
  const [mo, mr] = [median(ours.map((x) => x.wall)), median(reference.map((x) => x.wall))];
  console.log(`silver rows: ours ${ours.map((x) => x.rows).join('/')}, reference ${reference.map((x) => x.rows).join('/')} (${rowsAgree ? 'agree' : 'DIFFER'}); bronze ${totals.total_rows}`);
  console.log(`\nsilver-build at scale ${scale}, medians of ${rounds} alternated rounds (spark-submit wall, local[2]):`);
  console.log(`  ours      ${mo.toFixed(1)} s (self-reported ${median(ours.map((x) => x.self)).toFixed(1)} s)`);
  console.log(`  reference ${mr.toFixed(1)} s (self-reported ${median(reference.map((x) => x.self)).toFixed(1)} s)`);
  console.log(`  ours ÷ reference ${(mo / mr).toFixed(2)} (target ≤ 0.70); load ${load()}`);
  if (!rowsAgree) process.exitCode = 1;

  // Value by value, on the first round's tables (silver_processing_timestamp is each run's clock).
  const shared = [...ourCols.keys()].filter((c) => refCols.has(c) && c !== 'silver_processing_timestamp');
  const compareScript = path.join(bronze.output, 'compare_silver.py');
  writeFileSync(compareScript, COMPARE_SCRIPT);
  const cmp = await runPySpark(stack.spark, compareScript, [`lakehouse.silver.${ours[0]!.table}`, `lakehouse.silver.${reference[0]!.table}`, JSON.stringify(shared)], {}, timeout);
  const line = /^COMPARE (.*)$/m.exec(cmp.stdout)?.[1];
  if (cmp.exitCode !== 0 || !line) {
    console.log(`value comparison failed (exit ${cmp.exitCode}):\n${cmp.stderr.slice(-2000)}`);
  } else {
    const counts = z.record(z.string(), z.number().nullable()).parse(JSON.parse(line));
    const differing = Object.entries(counts).filter(([, n]) => (n ?? 0) > 0).map(([c, n]) => `${c} ${n}`);
    console.log(`values (joined on id, ${shared.length} shared columns): ${differing.length === 0 ? 'all equal' : `rows differing: ${differing.join(', ')}`}; load ${load()}`);
  }
} finally {
  await stack.stop();
  rmSync(bronze.output, { recursive: true, force: true });
}
