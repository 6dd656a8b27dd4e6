// Where the embedded silver-build's time and memory go: DuckDB's own profiler (enable_profiling =
// 'json', the data behind EXPLAIN ANALYZE) on the statements silver-build runs, each variant in a
// child process of its own so its peak RSS is its own, variants alternated over the rounds:
//   silver-partitioned   the shipped write: silverSelect → COPY … PARTITION_BY (interaction_date)
//   silver-one-file      the same SELECT into one Parquet file: the transform without the partitioning
//   bronze-copy          the plain Parquet → Parquet copy of the same bronze (embedded-run.ts's yardstick)
//   skew-sample          silver-build's skew profile query (its other read of bronze)
// For each: wall and CPU seconds (process.cpuUsage covers DuckDB's threads), peak RSS, DuckDB's peak
// buffer memory, files written, and the operators that took the time.
// Usage: npx tsx bench/silver-build-profile.ts [--scale 0.1] [--rounds 1] [--output DIR (kept, reused)]
//        [--variants a,b,…] [--set "name=value;…" (extra DuckDB settings for every variant)]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { closeDuckDb, openDuckDb, sqlString } from '../runner/src/engines/duckdb-session.js';
import { median } from '../runner/src/benchmark/qph.js';
import { manifestSchema } from '../runner/src/datagen/manifest.js';
import { fileName } from '../runner/src/datagen/dataset.js';
import { adapt } from '../runner/src/sql/dialect.js';
import { silverSelect } from '../runner/src/sql/silver.js';
import { warehouse } from '../runner/src/platforms/embedded/warehouse.js';
import { skewSampleStep } from '../runner/src/model/scale.js';

const VARIANTS = ['silver-partitioned', 'silver-one-file', 'bronze-copy', 'skew-sample'] as const;
type Variant = (typeof VARIANTS)[number];

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const root = path.resolve(import.meta.dirname, '..');
const loadavg = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** DuckDB's JSON profile: a tree of operators with their own timing. */
type ProfileNode = { operator_name?: string; operator_timing?: number; operator_cardinality?: number; children?: ProfileNode[] };
const profileNode: z.ZodType<ProfileNode> = z.lazy(() =>
  z.object({ operator_name: z.string().optional(), operator_timing: z.number().optional(), operator_cardinality: z.number().optional(), children: z.array(profileNode).optional() }),
);
const profileRoot = z.object({ latency: z.number(), cpu_time: z.number(), system_peak_buffer_memory: z.number().optional(), children: z.array(profileNode) });

const result = z.object({
  variant: z.string(),
  wall: z.number(),
  cpu: z.number(),
  maxRssBytes: z.number(),
  peakBufferBytes: z.number(),
  files: z.number(),
  operators: z.array(z.tuple([z.string(), z.number(), z.number()])),
});
type Result = z.infer<typeof result>;

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.parquet')).length;
}

/** One variant, in this (child) process: prints a JSON result line. */
async function runVariant(variant: Variant, output: string, settings: string[]): Promise<void> {
  const wh = warehouse(output);
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(path.join(wh.bronze, '_manifest', 'manifest.json'), 'utf8')));
  const files = manifest.files.map((f) => path.join(wh.bronze, fileName(f.index)));
  const source = `read_parquet([${files.map(sqlString).join(', ')}])`;
  const target = path.join(output, `profile-${variant}`);
  rmSync(target, { recursive: true, force: true });
  const profileFile = path.join(output, `profile-${variant}.json`);
  const session = await openDuckDb({ threads: os.availableParallelism() });
  // As silver-build sets it (row order inside a partition carries no meaning).
  await session.connection.run('SET preserve_insertion_order = false');
  for (const s of settings) await session.connection.run(`SET ${s}`);
  await session.connection.run("SET enable_profiling = 'json'");
  await session.connection.run(`SET profiling_output = ${sqlString(profileFile)}`);
  const referenceDate = manifest.totals.event_date_max;
  const select = adapt(silverSelect(referenceDate), 'duckdb', { bronze: source, silver: '', gold: '' });
  const statement: Record<Variant, string> = {
    'silver-partitioned': `COPY (${select}) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (interaction_date), FILENAME_PATTERN 'part-{i}')`,
    'silver-one-file': `COPY (${select}) TO ${sqlString(target + '.parquet')} (FORMAT parquet, COMPRESSION snappy)`,
    'bronze-copy': `COPY (SELECT * FROM ${source}) TO ${sqlString(target + '.parquet')} (FORMAT parquet, COMPRESSION snappy)`,
    'skew-sample': `SELECT max(n) / avg(n) AS skew_factor, sum(n) AS sample_rows FROM (SELECT count(*) AS n FROM ${source} WHERE id % ${skewSampleStep(manifest.totals.total_rows)} = 0 GROUP BY customer_id)`,
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await session.connection.run(statement[variant]);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  closeDuckDb(session);
  const profile = profileRoot.parse(JSON.parse(readFileSync(profileFile, 'utf8')));
  const ops = new Map<string, [number, number]>();
  const walk = (n: ProfileNode) => {
    const name = n.operator_name ?? '?';
    const [t, rows] = ops.get(name) ?? [0, 0];
    ops.set(name, [t + (n.operator_timing ?? 0), rows + (n.operator_cardinality ?? 0)]);
    n.children?.forEach(walk);
  };
  profile.children.forEach(walk);
  const written = variant === 'silver-partitioned' ? countFiles(target) : existsSync(target + '.parquet') ? 1 : 0;
  rmSync(target, { recursive: true, force: true });
  rmSync(target + '.parquet', { force: true });
  const out: Result = {
    variant,
    wall,
    cpu: (cpu.user + cpu.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    peakBufferBytes: profile.system_peak_buffer_memory ?? 0,
    files: written,
    operators: [...ops].map(([name, [t, rows]]) => [name, t, rows] as [string, number, number]).sort((a, b) => b[1] - a[1]),
  };
  console.log(`RESULT ${JSON.stringify(out)}`);
}

const child = arg('variant', '');
if (child) {
  await runVariant(child as Variant, arg('output', ''), arg('set', '').split(';').filter(Boolean));
} else {
  const scale = arg('scale', '0.1');
  const rounds = Math.max(1, Number(arg('rounds', '1')));
  const variants = arg('variants', VARIANTS.join(',')).split(',') as Variant[];
  for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`--variants: unknown variant ${v} (known: ${VARIANTS.join(', ')})`);
  const kept = arg('output', '');
  const output = kept ? path.resolve(kept) : mkdtempSync(path.join(os.tmpdir(), 'lakebench-profile-'));
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  try {
    console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg()}; ${new Date().toISOString()}`);
    if (!existsSync(path.join(warehouse(output).bronze, '_manifest', 'manifest.json'))) {
      const g = spawnSync(tsx, [path.join(root, 'runner/src/cli/main.ts'), 'generate', '--local', '--scale', scale, '--output', output], { encoding: 'utf8' });
      if (g.status !== 0) throw new Error(`lakebench generate exited ${g.status}\n${g.stderr}`);
    }
    const results = new Map<string, Result[]>(variants.map((v) => [v, []]));
    for (let r = 0; r < rounds; r++) {
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
        const args = [import.meta.filename, '--variant', v, '--output', output, ...(arg('set', '') ? ['--set', arg('set', '')] : [])];
        const c = spawnSync(tsx, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
        const line = /^RESULT (.*)$/m.exec(c.stdout)?.[1];
        if (c.status !== 0 || !line) throw new Error(`variant ${v} exited ${c.status}\n${c.stderr.slice(-3000)}`);
        const res = result.parse(JSON.parse(line));
        results.get(v)!.push(res);
        const top = res.operators.slice(0, 4).map(([n, t]) => `${n} ${t.toFixed(2)} s`).join(', ');
        console.log(`round ${r + 1} ${v.padEnd(19)} wall ${res.wall.toFixed(2)} s, CPU ${res.cpu.toFixed(2)} s, peak RSS ${(res.maxRssBytes / 2 ** 30).toFixed(2)} GiB, DuckDB peak buffers ${(res.peakBufferBytes / 2 ** 30).toFixed(2)} GiB, ${res.files} files; operators (own time, summed over threads): ${top}; load ${loadavg()}`);
      }
    }
    console.log(`\nmedians of ${rounds}:`);
    for (const [v, rs] of results) {
      console.log(`  ${v.padEnd(19)} wall ${median(rs.map((x) => x.wall)).toFixed(2)} s, CPU ${median(rs.map((x) => x.cpu)).toFixed(2)} s, peak RSS ${(median(rs.map((x) => x.maxRssBytes)) / 2 ** 30).toFixed(2)} GiB`);
    }
  } finally {
    if (!kept) rmSync(output, { recursive: true, force: true });
  }
}
