// Where the test setup scripts (test/setup/*.sh) leave downloaded and built tools.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = process.env.LAKEBENCH_CACHE ?? path.join(repoRoot, '.cache');
export const cacheBin = (name: string) => path.join(cacheDir, 'bin', name);
