// PySpark jobs in local[2] against the engines: the Iceberg catalog `lakehouse` on the REST catalog
// (S3FileIO to MinIO), s3a:// for plain Parquet (bronze), and Delta Lake for the Delta writing path.
// Credentials travel only in the environment (AWS_* variables, read by both S3FileIO and s3a).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { enginesManifest } from './manifest.js';
import { killOnExit, stopProcessGroup } from './process.js';
import { awsEnv, type S3Endpoint } from './s3.js';

export type SparkOptions = {
  s3: S3Endpoint;
  restCatalogUri: string;
  /** Driver (= the whole local[2] job) heap; default 1g. */
  driverMemory?: string;
};

export type SparkSubmit = {
  /** spark-submit of the cached PySpark. */
  command: string;
  /** Arguments that go before the script: master, memory, jars and every --conf. */
  args: string[];
  /** Variables to add to the environment (credentials included, hence never logged). */
  env: Record<string, string>;
  /** The Spark configuration inside `args`, for reading and for overriding per job. */
  conf: Record<string, string>;
};

const logConfDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'spark-conf');

export function sparkSubmitEnv(options: SparkOptions): SparkSubmit {
  const manifest = enginesManifest();
  const s3 = options.s3;
  const catalog = 'spark.sql.catalog.lakehouse';
  const conf: Record<string, string> = {
    'spark.ui.enabled': 'false',
    'spark.sql.session.timeZone': 'UTC',
    // Spark's default of 200 shuffle partitions only adds task overhead on two cores.
    'spark.sql.shuffle.partitions': '4',
    'spark.sql.extensions': 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,io.delta.sql.DeltaSparkSessionExtension',
    'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog',
    [catalog]: 'org.apache.iceberg.spark.SparkCatalog',
    [`${catalog}.type`]: 'rest',
    [`${catalog}.uri`]: options.restCatalogUri,
    [`${catalog}.io-impl`]: 'org.apache.iceberg.aws.s3.S3FileIO',
    [`${catalog}.s3.endpoint`]: s3.endpoint,
    [`${catalog}.s3.path-style-access`]: 'true',
    [`${catalog}.client.region`]: s3.region,
    'spark.hadoop.fs.s3a.endpoint': s3.endpoint,
    'spark.hadoop.fs.s3a.endpoint.region': s3.region,
    'spark.hadoop.fs.s3a.path.style.access': 'true',
    'spark.hadoop.fs.s3a.connection.ssl.enabled': String(s3.endpoint.startsWith('https:')),
  };
  return {
    command: path.join(manifest.sparkHome, 'bin', 'spark-submit'),
    args: ['--master', 'local[2]', '--driver-memory', options.driverMemory ?? '1g', '--jars', manifest.sparkJars.join(','), ...confArgs(conf)],
    env: {
      ...awsEnv(s3),
      JAVA_HOME: manifest.javaHome,
      SPARK_HOME: manifest.sparkHome,
      SPARK_CONF_DIR: logConfDir,
      SPARK_LOCAL_IP: '127.0.0.1',
      PYSPARK_PYTHON: manifest.python,
      PYSPARK_DRIVER_PYTHON: manifest.python,
      PATH: `${path.dirname(manifest.python)}${path.delimiter}${process.env.PATH ?? ''}`,
    },
    conf,
  };
}

export type PySparkRun = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
};

/** A spark-submit started by launchPySpark: its process group, its output so far, and how it ended. */
export type LaunchedPySpark = {
  /** The spark-submit process (the driver JVM), leader of the job's process group; undefined when it could not start (`done` rejects). */
  pid: number | undefined;
  output(): { stdout: string; stderr: string };
  /** Resolves when the job has ended, its process group is gone and its scratch folder removed. */
  done: Promise<PySparkRun>;
};

/**
 * Starts a PySpark script with spark-submit in its own process group and returns at once. `conf`
 * entries are added to, or override, the base configuration; after `timeoutMs` the whole group is
 * killed (`timedOut`). However the job ends, stray Python workers are killed and its scratch
 * folder is removed before `done` resolves.
 */
export function launchPySpark(
  spark: SparkSubmit,
  script: string,
  args: string[] = [],
  conf: Record<string, string> = {},
  { timeoutMs = 600_000 }: { timeoutMs?: number } = {},
): LaunchedPySpark {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-spark-'));
  // Scratch space and the default (spark_catalog) warehouse stay inside the run's own directory.
  const runConf = { 'spark.local.dir': workDir, 'spark.sql.warehouse.dir': path.join(workDir, 'warehouse'), ...conf };
  const child = spawn(spark.command, [...spark.args, ...confArgs(runConf), script, ...args], {
    cwd: workDir,
    env: { ...process.env, ...spark.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a timeout kills the JVM and the Python workers too
  });
  if (child.pid !== undefined) killOnExit(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) void stopProcessGroup(child.pid);
  }, timeoutMs);
  const done = (async (): Promise<PySparkRun> => {
    try {
      const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, sig) => resolve([code, sig]));
      });
      return { exitCode, signal, stdout, stderr, timedOut };
    } finally {
      clearTimeout(timer);
      if (child.pid !== undefined) await stopProcessGroup(child.pid, 'SIGKILL', 0); // stray Python workers
      rmSync(workDir, { recursive: true, force: true });
    }
  })();
  return { pid: child.pid, output: () => ({ stdout, stderr }), done };
}

/**
 * Runs a PySpark script with spark-submit and resolves with how it ended (a failing job is a
 * result, not an exception). `conf` entries are added to, or override, the base configuration.
 */
export async function runPySpark(
  spark: SparkSubmit,
  script: string,
  args: string[] = [],
  conf: Record<string, string> = {},
  options: { timeoutMs?: number } = {},
): Promise<PySparkRun> {
  return launchPySpark(spark, script, args, conf, options).done;
}

function confArgs(conf: Record<string, string>): string[] {
  return Object.entries(conf).flatMap(([key, value]) => ['--conf', `${key}=${value}`]);
}
