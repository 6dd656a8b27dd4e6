// Shared set-up of the commands: the validated config (file + flags), the platform, and the
// result stores, each checked before anything is written.
import path from 'node:path';
import { loadConfig, type ConfigOverrides } from '../config/load.js';
import type { LakebenchConfig } from '../config/schema.js';
import { LocalStore } from '../storage/local-store.js';
import { S3Store } from '../storage/s3-store.js';
import { prepareOutputFolder } from '../storage/output-folder.js';
import { openPlatform } from '../platforms/open-platform.js';
import type { Platform } from '../platforms/platform.js';

export type CommonArgs = { config?: string; scale?: number; output?: string; local?: boolean; json?: boolean; bucket?: string };
export type ClusterArgs = { kubeconfig?: string; waitForLease?: number };

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

/** The platform the config asks for; its log lines go to the command's progress. */
export function commandPlatform(config: LakebenchConfig, args: ClusterArgs, timeoutSeconds: number, log: (line: string) => void): Platform {
  return openPlatform(config, { kubeconfig: args.kubeconfig, waitForLease: args.waitForLease, timeoutSeconds, log });
}
