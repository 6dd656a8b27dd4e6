// The reference tool's generator, run unmodified for bench/datagen-vs-reference.ts: `datagen/generate.py`
// (numpy + pyarrow, boto3 upload) of github.com/PureStorage-OpenConnect/lakebench-k8s. The PyPI wheel
// `lakebench-k8s==1.7.13` does not ship it (it launches the script from its `lb-datagen` image), so the
// script is taken from the repository's tag v1.4.0 (the newest tag that has it) and checked against its
// git blob hash: a changed copy is refused. Its Python packages go into a venv under .cache/.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BadInputError } from '../runner/src/util/errors.js';

export const REFERENCE_SOURCE = 'github.com/PureStorage-OpenConnect/lakebench-k8s, tag v1.4.0, datagen/generate.py';
const REFERENCE_BLOB = '3a0d8431b89bd1437613630fdae4665251767ac1';
/** The script's requirements.txt asks for pyarrow>=14, numpy>=1.26, boto3>=1.34, tqdm>=4.66; pinned here. */
const REFERENCE_PACKAGES = ['numpy==2.2.6', 'pyarrow==21.0.0', 'boto3==1.40.0', 'tqdm==4.67.1'];

export type ReferenceGenerator = { python: string; script: string };

const gitBlobSha1 = (bytes: Buffer): string => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');

/** The checked script and a Python with its packages (the venv is created once). */
export function referenceGenerator(cacheDir: string): ReferenceGenerator {
  const dir = path.join(cacheDir, 'reference-datagen');
  const script = path.join(dir, 'generate.py');
  if (!existsSync(script)) {
    throw new BadInputError(`${script} is missing: save ${REFERENCE_SOURCE} there (git blob ${REFERENCE_BLOB})`, 'reference generator');
  }
  const blob = gitBlobSha1(readFileSync(script));
  if (blob !== REFERENCE_BLOB) throw new BadInputError(`${script} is not the unmodified reference (git blob ${blob}, expected ${REFERENCE_BLOB})`, 'reference generator');
  const python = path.join(dir, 'venv', 'bin', 'python');
  if (!existsSync(python)) {
    for (const [cmd, args] of [
      ['python3', ['-m', 'venv', path.join(dir, 'venv')]],
      [path.join(dir, 'venv', 'bin', 'pip'), ['install', '--quiet', ...REFERENCE_PACKAGES]],
    ] as const) {
      const r = spawnSync(cmd, args, { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    }
  }
  return { python, script };
}

/**
 * generate.py's arguments for `files` files of `fileSizeMb` MiB, as ours at the same scale: it makes
 * int(target_tb × 2^40 / size) files of size // 4200 rows each.
 */
export function referenceArgs(files: number, fileSizeMb: number, workers: number, bucket: string): string[] {
  const targetTb = (files * fileSizeMb) / 2 ** 20;
  return ['--target-tb', String(targetTb), '--file-size-mb', String(fileSizeMb), '--workers', String(workers), '--bucket', bucket, '--mode', 'batch'];
}
