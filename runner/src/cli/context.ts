// Shared set-up of the commands: the validated config (file + flags), the platform, and the
// result stores, each checked before anything is written.
import { access, constants, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type ConfigOverrides } from '../config/load.js';
import type { LakebenchConfig } from '../config/schema.js';
import { LocalStore } from '../storage/local-store.js';
import { S3Store } from '../storage/s3-store.js';
import { BadInputError } from '../util/errors.js';

export type CommonArgs = { config?: string; scale?: number; output?: string; local?: boolean; json?: boolean; bucket?: string };

export function resolveConfig(args: CommonArgs): LakebenchConfig {
  const overrides: ConfigOverrides = { scale: args.scale, output: args.output };
  if (args.local) overrides.platform = 'embedded';
  return loadConfig(args.config, overrides);
}

/** The output folder must exist (or be creatable) and accept a file, or nothing starts. */
export async function checkOutputWritable(output: string): Promise<void> {
  const probe = path.join(output, `.lakebench-write-probe-${process.pid}`);
  try {
    await mkdir(output, { recursive: true });
    await access(output, constants.W_OK);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (e) {
    throw new BadInputError(`output folder is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path.resolve(output));
  }
}

export async function resultStores(config: LakebenchConfig): Promise<{ local: LocalStore; remote?: S3Store }> {
  await checkOutputWritable(config.output);
  const local = new LocalStore(path.resolve(config.output));
  const bucket = config.results.bucket;
  if (!bucket) return { local };
  const remote = new S3Store(bucket);
  await remote.check();
  return { local, remote };
}
