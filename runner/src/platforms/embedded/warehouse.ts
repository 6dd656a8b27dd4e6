// The embedded warehouse layout under `<output>/warehouse/` (docs/pipeline.md §1): plain Parquet that
// any other tool can read.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LAYER_TABLES } from '../../model/tables.js';
import { BadInputError } from '../../util/errors.js';

export type Warehouse = { root: string; bronze: string; silver: string; gold: string };

export function warehouse(output: string): Warehouse {
  const root = path.resolve(output, 'warehouse');
  return {
    root,
    bronze: path.join(root, 'bronze'),
    silver: path.join(root, LAYER_TABLES.silver.schema, LAYER_TABLES.silver.name),
    gold: path.join(root, LAYER_TABLES.gold.schema, LAYER_TABLES.gold.name),
  };
}

/**
 * What DuckDB's file functions cannot read literally in the output folder's path, refused before
 * anything runs. (Glob characters `*`, `?` and `[` are fine: they are escaped, see globLiteral.)
 * - a backslash: DuckDB splits paths on it, so a glob below such a folder finds nothing;
 * - a folder named `key=value`: DuckDB's Hive partitioning reads every such folder on the path as a
 *   column, so silver would gain a column, or (`interaction_date=…`) every row the wrong date.
 */
export function checkWarehousePath(output: string): void {
  const folder = path.resolve(output);
  if (folder.includes('\\')) throw new BadInputError('the path holds a backslash, which DuckDB reads as a folder separator: choose an output folder without one', folder);
  const hiveLike = folder.split(path.sep).find((name) => name.includes('='));
  if (hiveLike !== undefined) {
    throw new BadInputError(`the folder '${hiveLike}' on the path looks like a Hive partition (key=value), which DuckDB would read as a column of every table: choose an output folder without '='`, folder);
  }
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
