// Datagen throughput, side by side on this machine (issue 14, targets 1 and 6):
//   1. ours (`lakebench generate --local`, 2 worker threads, local Parquet files) against the reference
//      tool's generate.py (2 worker processes, uploads to a local MinIO, as it is built to), alternated,
//      `--rounds` rounds, the same file count and file size; MiB/s per core (MiB ÷ wall s ÷ cores) of
//      each, the ratio of the medians, and the CPU seconds each used (the reference's include its
//      Python children; MinIO's are reported apart, they are the price of its S3 upload). Both walls
//      include the process start-up (ours: the CLI, about 3 CPU-s; the reference: Python imports);
//      ours also prints the seconds `generate` reports for the generation alone;
//   2. ours at each of `--scales` once: MiB/s per core and peak RSS, to show both stay flat.
// The machine is shared: the load average is printed with every figure.
// Usage: npx tsx bench/datagen-vs-reference.ts [--rounds 3] [--scales 0.1,0.5,1.0]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startMinio, type MinioServer } from '../test/harness/minio.js';
import { median } from '../runner/src/benchmark/qph.js';
import { fileCount } from '../runner/src/model/scale.js';
import { referenceArgs, referenceGenerator, REFERENCE_SOURCE } from './reference-datagen.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? String(process.argv[i + 1]) : fallback;
};
const rounds = Number(arg('rounds', '3'));
const scales = arg('scales', '0.1,0.5,1.0').split(',').map(Number);
const FILE_MB = 16; // the embedded mode's file size
const COMPARE_SCALE = 0.1;
const root = path.resolve(import.meta.dirname, '..');
const cores = os.availableParallelism();
const MiB = 2 ** 20;

/** `generation`: ours only, the seconds `generate` itself reports, without the CLI's start-up. */
type Timed = { wall: number; cpu: number; peakRssBytes: number; mib: number; load: string; generation?: number };

const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** Runs a command under GNU time: wall, user + system CPU of it and its waited-for children, peak RSS. */
function timed(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): { wall: number; cpu: number; peakRssBytes: number; stdout: string } {
  const out = path.join(os.tmpdir(), `lakebench-time-${process.pid}.txt`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, cmd, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stderr.slice(-4000)}`);
  const [wall, user, sys, rssKb] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  rmSync(out, { force: true });
  return { wall: wall!, cpu: user! + sys!, peakRssBytes: rssKb! * 1024, stdout: r.stdout };
}

function ours(scale: number): Timed {
  const output = mkdtempSync(path.join(os.tmpdir(), 'lakebench-dg-'));
  try {
    const before = load();
    const t = timed(process.execPath, [path.join(root, 'bin', 'lakebench.cjs'), 'generate', '--local', '--scale', String(scale), '--output', output, '--json'], {});
    const summary = JSON.parse(t.stdout) as { bytes: number; files: number; seconds: number };
    return { wall: t.wall, cpu: t.cpu, peakRssBytes: t.peakRssBytes, mib: summary.bytes / MiB, load: before, generation: summary.seconds };
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}

/** utime + stime of a process in seconds, from /proc (MinIO's share of a reference round). */
function processCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

async function reference(minio: MinioServer & { pid: number }, files: number, round: number): Promise<Timed & { minioCpu: number }> {
  const gen = referenceGenerator(path.join(root, '.cache'));
  const bucket = `reference-${round}-${Date.now()}`;
  const s3 = new S3Client({ endpoint: minio.endpoint, region: minio.region, forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'lakebench-ref-')); // its checkpoint file lands here
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: minio.accessKey, AWS_SECRET_ACCESS_KEY: minio.secretKey, S3_ENDPOINT: minio.endpoint, AWS_REGION: minio.region };
    const before = load();
    const minioBefore = processCpu(minio.pid);
    const t = timed(gen.python, [gen.script, ...referenceArgs(files, FILE_MB, cores, bucket)], { cwd, env });
    const minioCpu = processCpu(minio.pid) - minioBefore;
    let bytes = 0;
    let count = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        bytes += o.Size ?? 0;
        count++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (count !== files) throw new Error(`the reference wrote ${count} objects, expected ${files}`);
    return { wall: t.wall, cpu: t.cpu, peakRssBytes: t.peakRssBytes, mib: bytes / MiB, load: before, minioCpu };
  } finally {
    s3.destroy();
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The harness does not expose MinIO's pid: it is the `minio server` process whose arguments name its port. */
function minioPid(port: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (() => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      } catch {
        return [];
      }
    })();
    if (path.basename(argv[0] ?? '') === 'minio' && argv[1] === 'server' && argv.some((a) => a.endsWith(`:${port}`))) return Number(entry);
  }
  throw new Error(`no minio server process for port ${port} in /proc`);
}

const perCore = (t: Timed): number => t.mib / t.wall / cores;
const fmt = (t: Timed): string =>
  `${t.mib.toFixed(0)} MiB in ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} CPU-s → ${perCore(t).toFixed(1)} MiB/s per core, ${(t.mib / t.cpu).toFixed(1)} MiB per CPU-s` +
  (t.generation === undefined ? '' : ` [generation alone ${t.generation.toFixed(2)} s → ${(t.mib / t.generation / cores).toFixed(1)} MiB/s per core]`) +
  ` (load ${t.load})`;

const started = await startMinio();
const minio = { ...started, pid: minioPid(new URL(started.endpoint).port) };
try {
  const files = fileCount(COMPARE_SCALE, FILE_MB * MiB);
  console.log(`machine: ${cores} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; reference: ${REFERENCE_SOURCE}`);
  console.log(`\n1. scale ${COMPARE_SCALE}: ${files} files of ${FILE_MB} MiB, ${cores} workers each, alternated, ${rounds} rounds`);
  const a: Timed[] = [];
  const b: (Timed & { minioCpu: number })[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(ours(COMPARE_SCALE));
    console.log(`   ours      round ${r + 1}: ${fmt(a.at(-1)!)}`);
    b.push(await reference(minio, files, r));
    console.log(`   reference round ${r + 1}: ${fmt(b.at(-1)!)}; MinIO used ${b.at(-1)!.minioCpu.toFixed(2)} CPU-s`);
  }
  const oursMedian = median(a.map(perCore));
  const refMedian = median(b.map(perCore));
  console.log(`   median MiB/s per core: ours ${oursMedian.toFixed(1)}, reference ${refMedian.toFixed(1)}, ratio ${(oursMedian / refMedian).toFixed(2)}`);
  console.log(`   median MiB per CPU-s: ours ${median(a.map((t) => t.mib / t.cpu)).toFixed(1)}, reference ${median(b.map((t) => t.mib / t.cpu)).toFixed(1)} (without MinIO's CPU)`);

  console.log('\n2. ours by scale (one run each)');
  for (const scale of scales) {
    const t = ours(scale);
    console.log(`   scale ${scale}: ${fmt(t)}, peak RSS ${(t.peakRssBytes / 2 ** 30).toFixed(2)} GiB`);
  }
} finally {
  await minio.stop();
}
