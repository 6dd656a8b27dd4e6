// The room a run's pods can take, as one value both capacity checks judge (capacity.ts for batch,
// streaming-capacity.ts for continuous mode). Either what the scheduler will see, each node's
// allocatable minus the requests of the pods already bound to it (the release's always-on services
// among them, so they are not budgeted again), or whole nodes (the runner may not list pods, or the
// declared cluster.nodes), against which the always-on services are budgeted at the chart's defaults.
import type { Cluster, NodeRoom } from '../../model/sizing.js';

export type Room =
  | { kind: 'free'; rooms: NodeRoom[]; source: string }
  | { kind: 'whole'; cluster: Cluster; source: string };

export type RoomTotals = { cpu: number; memoryGb: number };

export function roomTotals(room: Room): RoomTotals {
  if (room.kind === 'whole') return { cpu: room.cluster.nodes * room.cluster.nodeCpu, memoryGb: room.cluster.nodes * room.cluster.nodeMemoryGb };
  return { cpu: room.rooms.reduce((a, r) => a + r.cpu, 0), memoryGb: room.rooms.reduce((a, r) => a + r.memoryGb, 0) };
}
