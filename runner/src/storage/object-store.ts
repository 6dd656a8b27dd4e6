// Where results live: a local folder or an S3 bucket, behind one small interface. Keys always use
// '/' separators and are relative to the store's root (the output folder, or bucket + prefix); every
// implementation refuses a key that could leave that root (object-key.ts).

export interface ObjectStore {
  /** Human-readable location for messages, e.g. `s3://bucket/prefix` or a folder path. */
  readonly location: string;
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Writes only if the key does not exist yet; false when it already did. */
  putIfAbsent(key: string, body: string, contentType: string): Promise<boolean>;
  get(key: string): Promise<string | undefined>;
  list(prefix: string): Promise<string[]>;
  /** An opaque version of the object (S3: its ETag), undefined when it does not exist. */
  version(key: string): Promise<string | undefined>;
  /**
   * Compare-and-swap: writes only if the object is still at `expected` (undefined: still absent);
   * false when it changed in between. A server that ignores the condition (see s3-store.ts) makes
   * this a plain put that returns true, so callers re-check what they wrote.
   */
  putIfMatch(key: string, body: string, contentType: string, expected: string | undefined): Promise<boolean>;
}
