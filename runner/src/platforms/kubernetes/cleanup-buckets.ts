// The S3 part of `lakebench cleanup`: empties the layer buckets and, when asked, deletes them. A
// bucket that is already gone is a step done, so a re-run after a partial cleanup succeeds.
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';

const noBucket = (e: unknown) => e instanceof S3ServiceException && (e.name === 'NoSuchBucket' || e.$metadata.httpStatusCode === 404);

/**
 * Deletes every object of the bucket. With keepIcebergMetadata (tables not known to be dropped) a
 * bucket holding an Iceberg `*.metadata.json` is left untouched and the step fails instead.
 */
export async function emptyBucket(s3: S3Client, bucket: string, opts: { keepIcebergMetadata?: boolean } = {}): Promise<string> {
  let removed = 0;
  try {
    if (opts.keepIcebergMetadata) {
      const metadata = await findIcebergMetadata(s3, bucket);
      if (metadata) {
        throw new Error(
          `kept: it holds Iceberg table metadata (${metadata}) and the tables were not dropped; emptying it now would leave catalog entries that can no longer be loaded or dropped. Fix the failed step and re-run`,
        );
      }
    }
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

/** The first `*.metadata.json` key in the bucket, or null. */
async function findIcebergMetadata(s3: S3Client, bucket: string): Promise<string | null> {
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000, ContinuationToken: token }));
    const hit = (page.Contents ?? []).find((o) => o.Key?.endsWith('.metadata.json'));
    if (hit?.Key) return `s3://${bucket}/${hit.Key}`;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return null;
}

export async function deleteBucket(s3: S3Client, bucket: string): Promise<string> {
  try {
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    return 'deleted';
  } catch (e) {
    if (noBucket(e)) return 'already gone';
    throw e;
  }
}
