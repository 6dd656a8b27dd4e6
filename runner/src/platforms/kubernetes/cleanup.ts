// `lakebench cleanup` in the seed's destruction order: Spark jobs first, then Iceberg maintenance
// (expire snapshots, remove orphan files), DROP TABLEs, then the layer buckets emptied (deleted only
// when asked). Every step tolerates what an earlier, partial cleanup already removed, and a failed
// step is reported without stopping the ones after it, so re-running is always safe.
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { QueryEngine } from '../../engines/engine.js';
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { deleteSparkApplication, SPARK_GROUP, SPARK_PLURAL, SPARK_VERSION } from './spark-monitor.js';
import type { ClusterSettings } from './manifests/cluster-settings.js';
import { DATAGEN_JOB_NAME } from './manifests/labels.js';
import { listed, parseItems, sparkAppSchema } from './objects.js';

export type CleanupStep = { step: string; ok: boolean; detail: string };
export type CleanupOptions = { deleteBuckets: boolean; log: (line: string) => void };

async function step(out: CleanupStep[], log: (l: string) => void, name: string, fn: () => Promise<string>): Promise<void> {
  try {
    const detail = await fn();
    out.push({ step: name, ok: true, detail });
    log(`${name}: ${detail}`);
  } catch (e) {
    out.push({ step: name, ok: false, detail: (e as Error).message });
    log(`${name}: FAILED: ${(e as Error).message}`);
  }
}

export async function cleanup(client: KubeClient, s: ClusterSettings, engine: () => Promise<QueryEngine>, opts: CleanupOptions): Promise<CleanupStep[]> {
  const out: CleanupStep[] = [];
  await step(out, opts.log, 'spark applications', async () => {
    const raw = await client.call('sparkapplication list', () =>
      client.custom.listNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: client.namespace, plural: SPARK_PLURAL, labelSelector: `app.kubernetes.io/instance=${s.release},app.kubernetes.io/part-of=lakebench` }),
    );
    const apps = parseItems(sparkAppSchema, listed(raw).items).map((a) => a.metadata.name);
    for (const name of apps) await deleteSparkApplication(client, name);
    return apps.length ? `deleted ${apps.join(', ')}` : 'none';
  });
  await step(out, opts.log, 'datagen job', async () => {
    try {
      await client.call('job delete', () => client.batch.deleteNamespacedJob({ namespace: client.namespace, name: DATAGEN_JOB_NAME, propagationPolicy: 'Background' }));
      return `deleted ${DATAGEN_JOB_NAME}`;
    } catch (e) {
      if (hasStatus(e, 404)) return 'none';
      throw e;
    }
  });

  if (s.tableFormat === 'iceberg') {
    let qe: QueryEngine | undefined;
    await step(out, opts.log, 'query engine', async () => {
      qe = await engine();
      return `${qe.type} ${await qe.version()}`;
    });
    if (qe) {
      const tables = [qe.tables.gold, qe.tables.silver];
      for (const t of tables) {
        await step(out, opts.log, `maintenance ${t}`, async () => {
          const exists = await qe!.execute(`SELECT 1 FROM ${t} WHERE false`, { timeoutSeconds: 120 });
          if (!exists.ok) return `skipped (${exists.error.code})`;
          const notes: string[] = [];
          for (const sql of [`ALTER TABLE ${t} EXECUTE expire_snapshots(retention_threshold => '0s')`, `ALTER TABLE ${t} EXECUTE remove_orphan_files(retention_threshold => '0s')`]) {
            const r = await qe!.execute(sql, { timeoutSeconds: 3600 });
            // The catalog's minimum retention may refuse 0 s; the DROP below removes the files anyway.
            notes.push(r.ok ? `${sql.split(' EXECUTE ')[1]!.split('(')[0]} done` : `${sql.split(' EXECUTE ')[1]!.split('(')[0]} refused: ${r.error.code}`);
          }
          return notes.join(', ');
        });
      }
      for (const t of tables) {
        await step(out, opts.log, `drop ${t}`, async () => {
          const r = await qe!.execute(`DROP TABLE IF EXISTS ${t}`, { timeoutSeconds: 600 });
          if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
          return 'dropped (or absent)';
        });
      }
      await qe.close();
    }
  }

  const s3 = new S3Client({ endpoint: s.storage.endpoint, region: s.storage.region, forcePathStyle: s.storage.pathStyle, maxAttempts: 5, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    for (const bucket of [s.buckets.bronze, s.buckets.silver, s.buckets.gold]) {
      await step(out, opts.log, `empty ${bucket}`, () => emptyBucket(s3, bucket));
      if (opts.deleteBuckets) await step(out, opts.log, `delete ${bucket}`, () => deleteBucket(s3, bucket));
    }
  } finally {
    s3.destroy();
  }
  return out;
}

const noBucket = (e: unknown) => e instanceof S3ServiceException && (e.name === 'NoSuchBucket' || e.$metadata.httpStatusCode === 404);

export async function emptyBucket(s3: S3Client, bucket: string): Promise<string> {
  let removed = 0;
  try {
    for (;;) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      if (keys.length === 0) break;
      const res = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      if (res.Errors?.length) throw new Error(`${res.Errors.length} objects could not be deleted, first: ${res.Errors[0]?.Key} (${res.Errors[0]?.Code})`);
      removed += keys.length;
    }
  } catch (e) {
    if (noBucket(e)) return 'no such bucket';
    throw e;
  }
  return `${removed} objects deleted`;
}

async function deleteBucket(s3: S3Client, bucket: string): Promise<string> {
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    return 'deleted';
  } catch (e) {
    if (noBucket(e)) return 'already gone';
    throw e;
  }
}
