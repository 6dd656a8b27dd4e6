// Continuous mode on the kubernetes platform: the checks before a run record exists, and the
// streaming run (streaming/kubernetes-streaming-run.ts) with what it needs from the platform: the
// cluster's CPU for the streaming budget (the nodes' allocatable when the runner may list them, else
// the declared cluster.nodes) and the query engine that reads gold's commits and silver's rows.
import type { LakebenchConfig } from '../../config/schema.js';
import { openClusterQueryEngine } from '../../engines/cluster-engine.js';
import type { StreamingPlan } from '../streaming.js';
import type { KubeClient } from './client.js';
import { observedCapacity } from './capacity.js';
import { clusterSettings } from './manifests/cluster-settings.js';
import { EngineTableProbe } from './streaming/engine-table-probe.js';
import { KubernetesStreamingRun } from './streaming/kubernetes-streaming-run.js';
import { declaredClusterCpu, streamingSizing, type ClusterCpu } from './streaming/streaming-sizing.js';

/** Seconds each read of gold's snapshots and silver's count may take. */
const PROBE_TIMEOUT_SECONDS = 60;

/** Bad input a continuous run would only meet later (an executor override above the ceiling): refused now. */
export function checkClusterContinuous(config: LakebenchConfig): void {
  if (config.pipeline.mode !== 'continuous') return;
  streamingSizing(config, config.scale, declaredClusterCpu(config));
}

export async function openClusterStreaming(
  client: KubeClient,
  plan: StreamingPlan,
  hooks: { onSubmitted: (app: string) => void; onEnded: (app: string) => void },
): Promise<KubernetesStreamingRun> {
  const observed = await observedCapacity(client);
  const cluster: ClusterCpu | undefined = observed ? { cpu: observed.cluster.nodes * observed.cluster.nodeCpu, source: observed.source } : declaredClusterCpu(plan.config);
  const probe = new EngineTableProbe(() => openClusterQueryEngine(plan.config), clusterSettings(plan.config).tableFormat, PROBE_TIMEOUT_SECONDS, plan.log);
  return new KubernetesStreamingRun(client, plan, { cluster, probe, ...hooks });
}
