// Chooses the platform for a command and what has to happen around a run on it: the embedded
// platform checks bronze footers; the kubernetes platform checks capacity, takes the run Lease,
// marks stale run records incomplete and guards the run (heartbeats, SIGTERM clean-up).
import os from 'node:os';
import type { LakebenchConfig } from '../config/schema.js';
import type { Manifest } from '../datagen/manifest.js';
import type { Platform } from '../platforms/platform.js';
import type { RunHooks } from '../pipeline/run-batch.js';
import type { ObjectStore } from '../storage/object-store.js';
import { EmbeddedPlatform } from '../platforms/embedded/embedded-platform.js';
import { checkWarehousePath } from '../platforms/embedded/warehouse.js';
import { KubernetesPlatform } from '../platforms/kubernetes/kubernetes-platform.js';
import { KubeClient, loadKubeConfig } from '../platforms/kubernetes/client.js';
import { LEASE_NAME, RunLease } from '../platforms/kubernetes/lease.js';
import { RunGuard, markStaleRuns } from '../platforms/kubernetes/run-guard.js';

export type PlatformSession = {
  platform: Platform;
  /** Checks on the bronze data before a run record exists (bad input ⇒ exit 2, nothing written). */
  preflight(manifest: Manifest): Promise<void>;
  /** The benchmark alone needs both tables in place. */
  checkTables(): Promise<void>;
  /** Everything that must hold before a run starts, and the hooks that guard it. */
  prepare(stores: ObjectStore[], log: (line: string) => void): Promise<RunHooks | undefined>;
};

export type ClusterArgs = { kubeconfig?: string; waitForLease?: number };

export function platformKind(config: LakebenchConfig): 'embedded' | 'kubernetes' {
  return config.platform === 'auto' ? (config.cluster ? 'kubernetes' : 'embedded') : config.platform;
}

export function openPlatform(config: LakebenchConfig, args: ClusterArgs, timeoutSeconds: number, log: (line: string) => void): PlatformSession {
  if (platformKind(config) === 'embedded') {
    checkWarehousePath(config.output);
    const platform = new EmbeddedPlatform(config.output);
    return {
      platform,
      preflight: (manifest) => platform.preflightBronze({ manifest }),
      checkTables: () => platform.checkTablesExist(),
      prepare: async () => undefined,
    };
  }
  const client = new KubeClient(loadKubeConfig(args.kubeconfig), { namespace: config.cluster?.namespace });
  const platform = new KubernetesPlatform(client, config, { timeoutSeconds, log });
  return {
    platform,
    preflight: async () => {},
    // The query engine reports missing tables as failed queries; nothing cheaper to check here.
    checkTables: async () => {},
    async prepare(stores, runLog) {
      runLog(await platform.capacityPreflight());
      const holder = process.env.HOSTNAME ?? `${os.hostname()}-${process.pid}`;
      const lease = new RunLease(client, { holder, waitSeconds: args.waitForLease });
      await lease.acquire();
      const leaseName = `${client.namespace}/${LEASE_NAME}`;
      for (const store of stores) for (const id of await markStaleRuns(store, { by: holder, lease: leaseName, warn: (m) => runLog(`warning: ${m}`) })) runLog(`marked stale run ${id} incomplete in ${store.location}`);
      const guard = new RunGuard({ stores, stopWork: () => platform.stopRunning(), release: () => lease.release(), log: runLog });
      return {
        lease: leaseName,
        started: (record) => guard.started(record),
        interrupt: (reason) => guard.interrupt(reason),
        finished: () => guard.finished(),
      };
    },
  };
}
