// Shared set-up of the commands: the validated config (file + flags), the platform, and the
// result stores, each checked before anything is written.
import path from 'node:path';
import { loadConfig, type ConfigOverrides } from '../config/load.js';
import type { LakebenchConfig } from '../config/schema.js';
import { LocalStore } from '../storage/local-store.js';
import { S3Store } from '../storage/s3-store.js';
import { prepareOutputFolder } from '../storage/output-folder.js';
import { OutputLock } from '../storage/output-lock.js';
import { platformKind } from './platform-session.js';

export type CommonArgs = { config?: string; scale?: number; output?: string; local?: boolean; json?: boolean; bucket?: string };

export function resolveConfig(args: CommonArgs): LakebenchConfig {
  const overrides: ConfigOverrides = { scale: args.scale, output: args.output };
  if (args.local) overrides.platform = 'embedded';
  return loadConfig(args.config, overrides);
}

/** The output folder must exist (or be creatable), be real storage and accept a file, or nothing starts. */
export async function checkOutputWritable(output: string): Promise<void> {
  await prepareOutputFolder(output);
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

/**
 * Embedded commands that write the output folder hold its lock until they end (released on exit and
 * on SIGINT/SIGTERM too). A cluster run has the namespace's Lease instead. Undefined off embedded.
 */
export async function lockOutputFolder(config: LakebenchConfig, command: string, waitSeconds: number | undefined, log: (line: string) => void): Promise<OutputLock | undefined> {
  if (platformKind(config) !== 'embedded') return undefined;
  return OutputLock.acquire(await prepareOutputFolder(config.output), { command, waitSeconds: waitSeconds ?? 0, log });
}
