// Where results live: a local folder or an S3 bucket, behind one small interface. Keys always use
// '/' separators and are relative to the store's root (the output folder, or bucket + prefix).

export interface ObjectStore {
  /** Human-readable location for messages, e.g. `s3://bucket/prefix` or a folder path. */
  readonly location: string;
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Writes only if the key does not exist yet; false when it already did. */
  putIfAbsent(key: string, body: string, contentType: string): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  list(prefix: string): Promise<string[]>;
}
