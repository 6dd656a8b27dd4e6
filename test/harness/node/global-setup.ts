// vitest globalSetup of the cluster project: gives the tier's files the pid that owns the node
// (this vitest process: the node stops if it dies) and stops the node when the run ends, failing
// the run if the host is not clean afterwards.
import type { TestProject } from 'vitest/node';
import { hostLeftovers, readHostBefore, takeHostSnapshot } from './host/index.js';
import { isAlive, stopNode } from './shared.js';
import { readNodeState } from './state.js';

declare module 'vitest' {
  export interface ProvidedContext {
    lakebenchNodeOwnerPid: number;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  project.provide('lakebenchNodeOwnerPid', process.pid);
  // The host as this run found it (or as a killed earlier run recorded it before changing it).
  const hostBefore = readHostBefore() ?? takeHostSnapshot();
  return async () => {
    // A node this run did not start (a by-hand `cli.ts up`, shared by several runs while developing)
    // is left running: its starter stops it.
    const running = readNodeState();
    if (running && isAlive(running.supervisorPid) && running.ownerPid !== process.pid) return;
    const outcome = await stopNode();
    const leftovers = await hostLeftovers(hostBefore);
    if (leftovers.length > 0) throw new Error(`the cluster tier's node left this on the host: ${leftovers.join('; ')} (${JSON.stringify(outcome)})`);
  };
}
