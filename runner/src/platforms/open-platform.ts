// Chooses the platform a config asks for. The only place that decides between them: everything
// that differs afterwards is behind the Platform interface.
import type { LakebenchConfig } from '../config/schema.js';
import type { Platform, PlatformKind } from './platform.js';
import { EmbeddedPlatform } from './embedded/embedded-platform.js';
import { checkWarehousePath } from './embedded/warehouse.js';
import { KubernetesPlatform } from './kubernetes/kubernetes-platform.js';
import { KubeClient, loadKubeConfig } from './kubernetes/client.js';

export type PlatformOptions = {
  kubeconfig?: string;
  /** Seconds a cluster run waits for the namespace's run Lease. */
  waitForLease?: number;
  /** Per-stage (and datagen) timeout in seconds. */
  timeoutSeconds: number;
  log: (line: string) => void;
};

export function platformKind(config: LakebenchConfig): PlatformKind {
  return config.platform === 'auto' ? (config.cluster ? 'kubernetes' : 'embedded') : config.platform;
}

export function openPlatform(config: LakebenchConfig, opts: PlatformOptions): Platform {
  if (platformKind(config) === 'embedded') {
    checkWarehousePath(config.output);
    return new EmbeddedPlatform(config.output);
  }
  const client = new KubeClient(loadKubeConfig(opts.kubeconfig), { namespace: config.cluster?.namespace });
  return new KubernetesPlatform(client, config, { timeoutSeconds: opts.timeoutSeconds, log: opts.log, guard: { waitForLease: opts.waitForLease } });
}
