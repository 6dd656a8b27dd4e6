// The whole engine set in dependency order: MinIO and PostgreSQL, then the Iceberg REST catalog on
// both, then Trino on the catalog. Used by cli.ts; tests that want all of it can use it too.
import { startMinio, type MinioServer } from '../minio.js';
import { startIcebergRest, type IcebergRestServer } from './iceberg-rest.js';
import { startPostgres, type PostgresServer } from './postgres.js';
import { startTrino, type TrinoServer } from './trino.js';

export type EngineStack = {
  minio: MinioServer;
  postgres: PostgresServer;
  rest: IcebergRestServer;
  trino: TrinoServer;
  stop(): Promise<void>;
};

export async function startEngineStack(): Promise<EngineStack> {
  const started: { stop(): Promise<void> }[] = [];
  // Stops in reverse start order, so nothing loses a server it still talks to.
  const stopAll = async () => {
    for (const server of started.reverse()) await server.stop();
  };
  try {
    const [minio, postgres] = await Promise.all([
      startMinio().then((s) => (started.push(s), s)),
      startPostgres().then((s) => (started.push(s), s)),
    ]);
    const rest = await startIcebergRest({ s3: minio, postgres });
    started.push(rest);
    const trino = await startTrino({ s3: minio, restCatalogUri: rest.uri });
    started.push(trino);
    return { minio, postgres, rest, trino, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
