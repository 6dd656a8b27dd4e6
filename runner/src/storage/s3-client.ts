// The one place an S3 client is built: the results store, the bronze bucket of the datagen pods,
// the reader of a Spark job's metrics document and `lakebench cleanup` all take theirs from here,
// so every S3 server the runner talks to sees the same requests. Credentials come only from the
// environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the SDK's default chain), never from
// a config file.
import { NoSuchKey, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';

/** Where an S3-compatible server is; every config section naming one maps onto this. */
export type S3Endpoint = { endpoint: string; region: string; pathStyle: boolean };

/** Attempts per request (the SDK's standard retry mode): one value for every user of the factory. */
export const S3_MAX_ATTEMPTS = 3;

export function createS3Client(at: S3Endpoint): S3Client {
  return new S3Client({
    endpoint: at.endpoint,
    region: at.region,
    forcePathStyle: at.pathStyle,
    maxAttempts: S3_MAX_ATTEMPTS,
    // Since SDK 3.729 the default is WHEN_SUPPORTED: a CRC32 header on every upload (aws-chunked
    // trailers for streamed bodies) and `x-amz-checksum-mode: ENABLED` on every read. Non-AWS
    // servers refuse or mishandle these (Cloudflare R2 answers 501 NotImplemented to
    // `x-amz-checksum-crc32`; servers without aws-chunked support refuse streamed uploads).
    // WHEN_REQUIRED sends a checksum only where the API demands one (DeleteObjects).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The object (or, for a HEAD, anything at that key) is not there: NoSuchKey on GET, NotFound on
 * HEAD (which has no body to name the error), or a bare 404 from servers that name it otherwise.
 */
export function isMissingObject(e: unknown): boolean {
  return e instanceof NoSuchKey || e instanceof NotFound || (e instanceof S3ServiceException && e.$metadata.httpStatusCode === 404);
}
