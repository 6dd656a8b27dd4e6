// The S3 side of the engines: the endpoint and credentials the MinIO harness hands out, how each
// engine receives them (environment only, never command lines or logged config), and buckets.
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { MinioServer } from '../minio.js';

export type S3Endpoint = Pick<MinioServer, 'endpoint' | 'accessKey' | 'secretKey' | 'region'>;

/** Standard AWS variables: read by S3FileIO's and s3a's default credential chains. */
export function awsEnv(s3: S3Endpoint): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: s3.accessKey, AWS_SECRET_ACCESS_KEY: s3.secretKey, AWS_REGION: s3.region };
}

export function s3Client(s3: S3Endpoint): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
  });
}

export async function ensureBucket(s3: S3Endpoint, bucket: string): Promise<void> {
  const client = s3Client(s3);
  try {
    const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);
    if (!exists) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}
