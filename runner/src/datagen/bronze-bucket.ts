// The bronze bucket as the datagen pods use it: object sizes and hashes, JSON documents, streamed
// multipart uploads of large files, listings and batch deletes. Credentials come only from the
// environment (the SDK's default chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); the client
// comes from storage/s3-client.ts like every other S3 client of the runner.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client, isMissingObject as isMissing } from '../storage/s3-client.js';
import type { DatagenTask } from './datagen-task.js';

const PART_BYTES = 64 * 2 ** 20;

export class BronzeBucket {
  private readonly client: S3Client;
  readonly bucket: string;

  constructor(storage: DatagenTask['storage']) {
    this.bucket = storage.bucket;
    this.client = createS3Client({ endpoint: storage.endpoint, region: storage.region, pathStyle: storage.path_style });
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).ContentLength;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  /** SHA-256 of an object's bytes, streamed (flat memory for 512 MB objects); undefined when it is missing. */
  async sha256(key: string): Promise<string | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!res.Body) return undefined;
      const hash = createHash('sha256');
      const reader = res.Body.transformToWebStream().getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) hash.update(part.value as Uint8Array);
      return hash.digest('hex');
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async getJson(key: string): Promise<unknown> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = await res.Body?.transformToString('utf8');
      return text === undefined ? undefined : JSON.parse(text);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }));
  }

  /** Streams a local file; parts of 64 MiB, four in flight, so memory stays flat for 512 MB files. */
  async putFile(key: string, path: string): Promise<void> {
    await new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: createReadStream(path), ContentType: 'application/vnd.apache.parquet' },
      partSize: PART_BYTES,
      queueSize: 4,
    }).done();
  }

  async list(prefix: string): Promise<{ key: string; size: number }[]> {
    const out: { key: string; size: number }[] = [];
    let token: string | undefined;
    do {
      const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const res = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      if (res.Errors?.length) throw new Error(`could not delete ${res.Errors.length} objects, first ${res.Errors[0]?.Key}: ${res.Errors[0]?.Message}`);
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** Runs `fn` until it succeeds or `attempts` are used, doubling the pause (with jitter) each time. */
export async function withRetries<T>(what: string, fn: () => Promise<T>, opts: { attempts?: number; baseDelayMs?: number; log?: (line: string) => void } = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 2000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts) throw new Error(`${what} failed after ${attempts} attempts: ${(e as Error).message || (e as Error).name}`, { cause: e });
      const pause = base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      opts.log?.(`${what}: attempt ${attempt} failed (${(e as Error).message || (e as Error).name}); retrying in ${(pause / 1000).toFixed(1)} s`);
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
