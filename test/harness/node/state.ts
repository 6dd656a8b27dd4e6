// The running node as its supervisor describes it (state.json), and the report of its last stop.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { nodeControlDir, nodePaths } from './layout.js';

const stateSchema = z.object({
  supervisorPid: z.number().int(),
  /** The process whose end also ends the node (the vitest run); absent for `cli.ts up`. */
  ownerPid: z.number().int().optional(),
  server: z.string(),
  kubeconfigPath: z.string(),
  nodeName: z.string(),
  snapshotter: z.string(),
  startedAt: z.string(),
  timings: z.record(z.string(), z.number()),
  imageImportSeconds: z.record(z.string(), z.number()),
});
export type NodeState = z.infer<typeof stateSchema>;

const stopReportSchema = z.object({
  supervisorPid: z.number().int(),
  stoppedAt: z.string(),
  reason: z.string(),
  report: z.record(z.string(), z.unknown()),
  leftovers: z.array(z.string()),
});
export type NodeStopRecord = z.infer<typeof stopReportSchema>;

function writeAtomically(file: string, value: unknown): void {
  mkdirSync(nodeControlDir, { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

export function readNodeState(): NodeState | undefined {
  if (!existsSync(nodePaths.state)) return undefined;
  return stateSchema.parse(JSON.parse(readFileSync(nodePaths.state, 'utf8')));
}

export const writeNodeState = (state: NodeState) => writeAtomically(nodePaths.state, state);
export const clearNodeState = () => rmSync(nodePaths.state, { force: true });

export function readLastStop(): NodeStopRecord | undefined {
  if (!existsSync(nodePaths.lastStop)) return undefined;
  return stopReportSchema.parse(JSON.parse(readFileSync(nodePaths.lastStop, 'utf8')));
}

export const writeLastStop = (record: NodeStopRecord) => writeAtomically(nodePaths.lastStop, record);
