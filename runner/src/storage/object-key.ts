// Object keys are '/'-separated paths relative to a store's root (the output folder, or bucket +
// prefix). A key that could leave that root, or that a server or file system could read as another
// path, is refused before it reaches a file system call or an S3 request: a `..` or `.` segment
// (HTTP stacks normalise `a/../b` in a URL path, escaping the prefix), an absolute path, a
// backslash (a separator on Windows and for some S3 gateways), a NUL byte (truncates a path in C
// APIs), other control characters, and empty segments (`a//b` names a different object in S3 than
// on disk).
import { BadInputError } from '../util/errors.js';

/** Why `key` is not a safe object key, or null when it is. `prefix` allows one trailing '/'. */
export function objectKeyProblem(key: string, opts: { prefix?: boolean } = {}): string | null {
  if (key.length === 0) return 'is empty';
  if (key.includes('\0')) return 'contains a NUL byte';
  if (/[\u0001-\u001f\u007f]/.test(key)) return 'contains a control character';
  if (key.includes('\\')) return 'contains a backslash';
  if (key.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(key)) return 'starts with a drive letter';
  const body = opts.prefix && key.endsWith('/') ? key.slice(0, -1) : key;
  for (const segment of body.split('/')) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.' || segment === '..') return `has a '${segment}' path segment`;
  }
  return null;
}

/** Throws a BadInputError naming the key and the store when the key is not safe. */
export function assertObjectKey(key: string, location: string, opts: { prefix?: boolean } = {}): void {
  const problem = objectKeyProblem(key, opts);
  if (problem) throw new BadInputError(`object key ${JSON.stringify(key)} ${problem}: refused, it could address something outside the store`, location);
}
