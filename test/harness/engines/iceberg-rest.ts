// The Iceberg REST catalog server (org.apache.iceberg.rest.RESTCatalogServer from Iceberg's
// iceberg-open-api test fixtures, the server of the apache/iceberg-rest-fixture image) on Java 17,
// persisting the catalog in PostgreSQL through Iceberg's JdbcCatalog and writing table metadata to
// S3 with S3FileIO. It is configured only through CATALOG_* variables: CATALOG_A_B__C becomes the
// catalog property a.b-c.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../ports.js';
import { enginesManifest } from './manifest.js';
import type { PostgresServer } from './postgres.js';
import { launch, waitUntilReady } from './process.js';
import { awsEnv, ensureBucket, type S3Endpoint } from './s3.js';

export type IcebergRestServer = {
  uri: string;
  /** Where new namespaces and tables go unless they say otherwise, e.g. s3://lakehouse/warehouse. */
  warehouse: string;
  pid: number;
  workDir: string;
  stop(): Promise<void>;
};

export type IcebergRestOptions = {
  s3: S3Endpoint;
  postgres: PostgresServer;
  /** Bucket holding the warehouse; created when missing. */
  bucket?: string;
};

export async function startIcebergRest(options: IcebergRestOptions): Promise<IcebergRestServer> {
  const manifest = enginesManifest();
  const bucket = options.bucket ?? 'lakehouse';
  const warehouse = `s3://${bucket}/warehouse`;
  await ensureBucket(options.s3, bucket);
  const database = `iceberg_catalog_${Date.now().toString(36)}`;
  await options.postgres.createDatabase(database);
  const port = await freePort();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-iceberg-rest-'));
  const server = launch({
    command: path.join(manifest.javaHome, 'bin', 'java'),
    args: ['-Xmx384m', '-XX:+UseSerialGC', '-cp', manifest.icebergRestClasspath.join(path.delimiter), 'org.apache.iceberg.rest.RESTCatalogServer'],
    cwd: workDir,
    // The server logs its catalog properties at startup: keep secrets out of them (S3 credentials
    // reach S3FileIO through the AWS variables; PostgreSQL trusts local connections).
    env: {
      PATH: process.env.PATH,
      ...awsEnv(options.s3),
      CATALOG_REST_PORT: String(port),
      CATALOG_CATALOG__IMPL: 'org.apache.iceberg.jdbc.JdbcCatalog',
      CATALOG_URI: options.postgres.jdbcUrl(database),
      CATALOG_JDBC_USER: options.postgres.user,
      // V1 adds view support to the JDBC catalog's tables.
      CATALOG_JDBC_SCHEMA__VERSION: 'V1',
      CATALOG_WAREHOUSE: warehouse,
      CATALOG_IO__IMPL: 'org.apache.iceberg.aws.s3.S3FileIO',
      CATALOG_S3_ENDPOINT: options.s3.endpoint,
      CATALOG_S3_PATH__STYLE__ACCESS: 'true',
      CATALOG_CLIENT_REGION: options.s3.region,
    },
    logFile: path.join(workDir, 'iceberg-rest.log'),
  });
  const uri = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady('Iceberg REST catalog', server, async () => (await fetch(`${uri}/v1/config`)).ok, 120_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { uri, warehouse, pid: server.pid, workDir, stop };
}
