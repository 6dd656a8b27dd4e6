// .engines/state.json (ignored by git): what `cli.ts up` left running, for `cli.ts down` and for
// anyone who wants the endpoints. No secrets: credentials go to .engines/engines.env (mode 0600).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../cache.js';

export const stateDir = path.join(repoRoot, '.engines');
export const statePath = path.join(stateDir, 'state.json');
export const envPath = path.join(stateDir, 'engines.env');
export const sparkSubmitPath = path.join(stateDir, 'spark-submit');
export const supervisorLog = path.join(stateDir, 'supervisor.log');

const stateSchema = z.object({
  supervisorPid: z.number().int(),
  /** Process groups of the servers (MinIO runs in the supervisor's own group). */
  serverPids: z.record(z.string(), z.number().int()),
  endpoints: z.object({
    s3: z.string(),
    s3Region: z.string(),
    postgres: z.string(),
    icebergRest: z.string(),
    icebergWarehouse: z.string(),
    trino: z.string(),
  }),
  workDirs: z.array(z.string()),
});

export type EnginesState = z.infer<typeof stateSchema>;

export function readState(): EnginesState | undefined {
  if (!existsSync(statePath)) return undefined;
  return stateSchema.parse(JSON.parse(readFileSync(statePath, 'utf8')));
}

export function writeState(state: EnginesState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(statePath, JSON.stringify(state, null, 2) + '\n');
}

export function writeSecretFile(file: string, content: string, mode = 0o600): void {
  mkdirSync(stateDir, { recursive: true });
  rmSync(file, { force: true });
  writeFileSync(file, content, { mode });
}

export function clearState(): void {
  for (const file of [statePath, envPath, sparkSubmitPath]) rmSync(file, { force: true });
}
