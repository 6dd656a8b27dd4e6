// The embedded warehouse layout under `<output>/warehouse/` (pipeline.md §1): plain Parquet that
// any other tool can read.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export type Warehouse = { root: string; bronze: string; silver: string; gold: string };

export function warehouse(output: string): Warehouse {
  const root = path.resolve(output, 'warehouse');
  return {
    root,
    bronze: path.join(root, 'bronze'),
    silver: path.join(root, 'silver', 'customer_interactions_enriched'),
    gold: path.join(root, 'gold', 'customer_executive_dashboard'),
  };
}

/** Every Parquet file below `dir` with its size, sorted by path. */
export async function parquetFiles(dir: string): Promise<{ path: string; bytes: number }[]> {
  const out: { path: string; bytes: number }[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.parquet')) out.push({ path: p, bytes: (await stat(p)).size });
    }
  };
  await walk(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export const totalBytes = (files: readonly { bytes: number }[]) => files.reduce((n, f) => n + f.bytes, 0);
