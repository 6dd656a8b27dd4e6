// Continuous mode on the kubernetes platform: the checks before a run record exists, and the
// streaming run (streaming/kubernetes-streaming-run.ts) with what it needs from the platform: the
// CPU the streaming budget shares, from the same room the capacity preflight judges (capacity.ts
// readRoom: each node's allocatable minus the pods' requests when the runner may list them, else whole
// nodes or the declared cluster.nodes), and the query engine that reads gold's commits and silver's rows
// and runs the retention and compaction passes.
import type { LakebenchConfig } from '../../config/schema.js';
import { openClusterQueryEngine } from '../../engines/cluster-engine.js';
import type { StreamingPlan } from '../streaming.js';
import type { KubeClient } from './client.js';
import { readRoom } from './capacity.js';
import { clusterSettings } from './manifests/cluster-settings.js';
import { EngineTableProbe } from './streaming/engine-table-probe.js';
import { EngineStreamingMaintenance } from './streaming/streaming-maintenance.js';
import { KubernetesStreamingRun } from './streaming/kubernetes-streaming-run.js';
import { STREAMS_UP_TIMEOUT_S } from './streaming/streams-up.js';
import { streamingClusterCpu } from './streaming-capacity.js';
import { declaredClusterCpu, streamingSizing, type ClusterCpu } from './streaming/streaming-sizing.js';

/** Seconds each read of gold's snapshots and silver's count may take. */
const PROBE_TIMEOUT_SECONDS = 60;

/** Bad input a continuous run would only meet later (an executor override above the ceiling): refused now. */
export function checkClusterContinuous(config: LakebenchConfig): void {
  if (config.pipeline.mode !== 'continuous') return;
  streamingSizing(config, config.scale, declaredClusterCpu(config));
}

/** The CPU the streaming budget shares out, from the room the capacity preflight judges; undefined with no source. */
export async function streamingBudgetCpu(client: KubeClient, config: LakebenchConfig): Promise<ClusterCpu | undefined> {
  const room = await readRoom(client, config);
  return room ? streamingClusterCpu(room) : undefined;
}

export async function openClusterStreaming(
  client: KubeClient,
  plan: StreamingPlan,
  hooks: { onSubmitted: (app: string) => void; onEnded: (app: string) => void },
): Promise<KubernetesStreamingRun> {
  // Read again when the jobs are sized: the room may have changed since the preflight.
  const cluster = await streamingBudgetCpu(client, plan.config);
  const probe = new EngineTableProbe(() => openClusterQueryEngine(plan.config), clusterSettings(plan.config).tableFormat, PROBE_TIMEOUT_SECONDS, plan.log);
  const maintenance = new EngineStreamingMaintenance(() => openClusterQueryEngine(plan.config), clusterSettings(plan.config).tableFormat, plan.log);
  // start() waits for the jobs to be up: the run's duration is streaming time (streaming/streams-up.ts).
  return new KubernetesStreamingRun(client, plan, { cluster, probe, maintenance, streamsUpTimeoutSeconds: STREAMS_UP_TIMEOUT_S, ...hooks });
}
