// Every bronze file's bytes against the content hash the datagen manifest recorded for it. The
// footers alone miss a file overwritten in the middle with bytes of the same size; the run's data
// fingerprint would then describe bytes nobody checked, and DuckDB would fail deep inside a stage
// without naming the file.
import path from 'node:path';
import { fileName } from '../../datagen/dataset.js';
import { sha256File } from '../../datagen/parquet-file.js';
import type { Manifest } from '../../datagen/manifest.js';
import { BadInputError } from '../../util/errors.js';

export async function checkBronzeContent(bronzeDir: string, files: Manifest['files']): Promise<void> {
  for (const f of files) {
    const file = path.join(bronzeDir, fileName(f.index)); // from the index: a key in the manifest never leaves the folder
    const actual = await sha256File(file).then(
      (hex) => `sha256:${hex}`,
      (e: Error) => {
        throw new BadInputError(`not readable: ${e.message}`, file);
      },
    );
    if (actual !== f.content_hash) {
      throw new BadInputError(`content differs from the datagen manifest (${actual}, manifest says ${f.content_hash}): the file changed after it was generated; \`lakebench generate\` regenerates it`, file);
    }
  }
}
