// `lakebench cleanup` in the seed's destruction order: Spark jobs first, then Iceberg maintenance
// (expire snapshots, remove orphan files), DROP TABLEs, then the layer buckets emptied (deleted only
// when asked). Every step tolerates what an earlier, partial cleanup already removed, and a failed
// step is reported without stopping the ones after it, so re-running is always safe.
//
// Each external system has its own file: cleanup-kubernetes.ts (Spark applications, datagen Jobs),
// cleanup-tables.ts (maintenance and DROP through the query engine; what each engine does with
// them), cleanup-buckets.ts (S3). This file holds the order and the rule that joins them: a bucket
// holding Iceberg metadata is emptied only after the DROPs succeeded, because no engine can drop a
// table whose files are gone.

import type { QueryEngine } from '../../engines/engine.js';
import { createS3Client } from '../../storage/s3-client.js';
import type { KubeClient } from './client.js';
import type { ClusterSettings } from './manifests/cluster-settings.js';
import { deleteBucket, emptyBucket } from './cleanup-buckets.js';
import { deleteDatagenJob, deleteReleaseSparkApplications, deleteRunnerObjects } from './cleanup-kubernetes.js';
import { dropTable, maintainTable, tableSql } from './cleanup-tables.js';

export { SPARK_ORPHAN_MIN_AGE_HOURS } from './cleanup-tables.js';

export type CleanupStep = { step: string; ok: boolean; detail: string };
export type CleanupOptions = { deleteBuckets: boolean; log: (line: string) => void };

async function step(out: CleanupStep[], log: (l: string) => void, name: string, fn: () => Promise<string>): Promise<boolean> {
  try {
    const detail = await fn();
    out.push({ step: name, ok: true, detail });
    log(`${name}: ${detail}`);
    return true;
  } catch (e) {
    out.push({ step: name, ok: false, detail: (e as Error).message });
    log(`${name}: FAILED: ${(e as Error).message}`);
    return false;
  }
}

export async function cleanup(client: KubeClient, s: ClusterSettings, engine: () => Promise<QueryEngine>, opts: CleanupOptions): Promise<CleanupStep[]> {
  const out: CleanupStep[] = [];
  await step(out, opts.log, 'spark applications', () => deleteReleaseSparkApplications(client, s.release));
  await step(out, opts.log, 'datagen and landing jobs', () => deleteDatagenJob(client));
  await step(out, opts.log, 'runner objects', () => deleteRunnerObjects(client, s.release));

  // Delta tables are not dropped here (no catalog DROP step): their files go with the buckets.
  let tablesDropped = s.tableFormat !== 'iceberg';
  if (s.tableFormat === 'iceberg') {
    let qe: QueryEngine | undefined;
    await step(out, opts.log, 'query engine', async () => {
      const opened = await engine();
      try {
        tableSql(opened);
        const detail = `${opened.type} ${await opened.version()}`;
        qe = opened;
        return detail;
      } catch (e) {
        await opened.close();
        throw e;
      }
    });
    if (qe) {
      const conn = qe;
      try {
        const tables = [conn.tables.gold, conn.tables.silver];
        for (const t of tables) await step(out, opts.log, `maintenance ${t}`, () => maintainTable(conn, t));
        let dropped = true;
        for (const t of tables) dropped = (await step(out, opts.log, `drop ${t}`, () => dropTable(conn, t))) && dropped;
        tablesDropped = dropped;
      } finally {
        await conn.close();
      }
    }
  }

  const s3 = createS3Client(s.storage);
  try {
    for (const bucket of [s.buckets.bronze, s.buckets.silver, s.buckets.gold]) {
      const emptied = await step(out, opts.log, `empty ${bucket}`, () => emptyBucket(s3, bucket, { keepIcebergMetadata: !tablesDropped }));
      if (!opts.deleteBuckets) continue;
      await step(out, opts.log, `delete ${bucket}`, async () => {
        if (!emptied) throw new Error('not attempted: the bucket was not emptied');
        return deleteBucket(s3, bucket);
      });
    }
  } finally {
    s3.destroy();
  }
  return out;
}
