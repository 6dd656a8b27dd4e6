// Spark's Thrift (HiveServer2) server in local[2], from the cached PySpark distribution: its pip
// package has no sbin/start-thriftserver.sh but does carry the hive-thriftserver jar, so the server
// class is started through spark-submit with the harness's Iceberg/S3 configuration.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launch, waitUntilReady } from './process.js';
import type { SparkSubmit } from './spark.js';
import { freePort } from '../ports.js';

export type SparkThriftServer = { host: string; port: number; endpoint: string; stop(): Promise<void> };

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

export async function startSparkThrift(spark: SparkSubmit, catalog = 'lakehouse'): Promise<SparkThriftServer> {
  const port = await freePort();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-spark-thrift-'));
  const server = launch({
    command: spark.command,
    args: [
      ...spark.args,
      '--conf', `spark.sql.defaultCatalog=${catalog}`,
      '--conf', `spark.hadoop.hive.server2.thrift.port=${port}`,
      '--conf', 'spark.hadoop.hive.server2.thrift.bind.host=127.0.0.1',
      '--conf', `spark.local.dir=${path.join(workDir, 'local')}`,
      '--conf', `spark.sql.warehouse.dir=${path.join(workDir, 'warehouse')}`,
      '--conf', `spark.driver.extraJavaOptions=-Dderby.system.home=${workDir}`,
      '--class', 'org.apache.spark.sql.hive.thriftserver.HiveThriftServer2',
      'spark-internal',
    ],
    env: { ...process.env, ...spark.env },
    cwd: workDir,
    logFile: path.join(workDir, 'spark-thrift.log'),
  });
  try {
    await waitUntilReady('Spark Thrift server', server, () => listening(port), 300_000);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    endpoint: `127.0.0.1:${port}`,
    async stop() {
      await server.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
