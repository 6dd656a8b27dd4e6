// ObjectStore on an S3 bucket (AWS or any S3-compatible server). The client, and with it the
// credentials (environment only), comes from s3-client.ts. Large bodies go through lib-storage's
// multipart Upload.
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectStore } from './object-store.js';
import { assertObjectKey, objectKeyProblem } from './object-key.js';
import { createS3Client, isMissingObject } from './s3-client.js';
import type { ResultsBucket } from '../config/schema.js';
import { BadInputError } from '../util/errors.js';

const MULTIPART_THRESHOLD = 8 * 2 ** 20;

export class S3Store implements ObjectStore {
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly bucket: ResultsBucket) {
    this.client = createS3Client(bucket);
    this.prefix = bucket.prefix.replace(/^\/+|\/+$/g, '');
    // The prefix is the root every key hangs from: it must not climb out of itself either.
    const problem = this.prefix === '' ? null : objectKeyProblem(this.prefix);
    if (problem) throw new BadInputError(`prefix ${JSON.stringify(bucket.prefix)} ${problem}`, 'results.bucket.prefix');
  }

  get location(): string {
    return `s3://${this.bucket.bucket}${this.prefix ? `/${this.prefix}` : ''} at ${this.bucket.endpoint}`;
  }

  private key(k: string, opts: { prefix?: boolean } = {}): string {
    assertObjectKey(k, this.location, opts);
    return this.prefix ? `${this.prefix}/${k}` : k;
  }

  /** Fails fast, naming the endpoint and bucket, when the results bucket cannot be reached. */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket.bucket }), { abortSignal: AbortSignal.timeout(10_000) });
    } catch (e) {
      const status = e instanceof S3ServiceException ? ` (HTTP ${e.$metadata.httpStatusCode ?? '?'} ${e.name})` : '';
      throw new BadInputError(`results bucket '${this.bucket.bucket}' is not reachable at ${this.bucket.endpoint}${status}: ${(e as Error).message || (e as Error).name}`, 'results.bucket');
    }
  }

  async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    if (size < MULTIPART_THRESHOLD) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket.bucket, Key: this.key(key), Body: body, ContentType: contentType }));
      return;
    }
    await new Upload({ client: this.client, params: { Bucket: this.bucket.bucket, Key: this.key(key), Body: body, ContentType: contentType } }).done();
  }

  async putIfAbsent(key: string, body: string, contentType: string): Promise<boolean> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket.bucket, Key: this.key(key), Body: body, ContentType: contentType, IfNoneMatch: '*' }));
      return true;
    } catch (e) {
      if (e instanceof S3ServiceException && (e.$metadata.httpStatusCode === 412 || e.$metadata.httpStatusCode === 409)) return false;
      throw e;
    }
  }

  async version(key: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket.bucket, Key: this.key(key) }))).ETag;
    } catch (e) {
      if (isMissingObject(e)) return undefined;
      throw e;
    }
  }

  /**
   * A conditional PutObject: `If-Match: <etag>`, or `If-None-Match: *` while the object is absent.
   * What the servers do with it (MinIO and Garage read in their source at the versions used here):
   * - AWS S3 documents both (412 Precondition Failed; 409 ConditionalRequestConflict when two
   *   conditional writes race); not open source, so not read.
   * - MinIO (the tests' pinned commit 7aac2a2c5b7c, cmd/object-handlers.go PutObjectHandler →
   *   checkPreconditionsPUT, evaluated in erasureObjects.putObject under the object's namespace
   *   lock) evaluates both, atomically: 412 on a mismatch; If-Match on a missing object is 404.
   * - Garage (the chart's dxflrs/garage v1.1.0, and still v2.0.0) evaluates If-Match/If-None-Match
   *   only on GET/HEAD and on CopyObject's source; handle_put ignores them, so the write always
   *   happens. rebuildIndex (results.ts) re-lists after writing for that case.
   * Only single-request PUTs carry the condition: the roll-up stays far below the multipart size.
   */
  async putIfMatch(key: string, body: string, contentType: string, expected: string | undefined): Promise<boolean> {
    const condition = expected === undefined ? { IfNoneMatch: '*' } : { IfMatch: expected };
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket.bucket, Key: this.key(key), Body: body, ContentType: contentType, ...condition }));
      return true;
    } catch (e) {
      const status = e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined;
      // 404: If-Match on an object deleted in between; it changed, like a 412.
      if (status === 412 || status === 409 || (status === 404 && expected !== undefined)) return false;
      throw e;
    }
  }

  async get(key: string): Promise<string | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket.bucket, Key: this.key(key) }));
      return await res.Body?.transformToString('utf8');
    } catch (e) {
      if (isMissingObject(e)) return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket.bucket, Prefix: this.key(prefix, { prefix: true }), ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key) keys.push(this.prefix ? o.Key.slice(this.prefix.length + 1) : o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
