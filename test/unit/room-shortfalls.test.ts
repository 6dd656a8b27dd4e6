// The capacity preflight's judgment when the runner sees the pods bound to the nodes: the Spark/datagen
// peak by requests × headroom against the free room, and the largest pod against one node's room.
import { describe, expect, it } from 'vitest';
import { requirement, roomShortfalls, type StageOverride } from '../../runner/src/model/sizing.js';

const NOTHING = { cpu: 0, memoryGb: 0 };
// One 1-core executor (1 + 1 GiB) and a 1-core / 1 GiB driver per stage, as on the 2-CPU node.
const tiny = (request?: number): StageOverride => ({
  executors: 1, executorCores: 1, executorHeapGb: 1, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 1, scratchGi: 1,
  ...(request === undefined ? {} : { executorCoreRequest: request, driverCoreRequest: request }),
});
const opts = (request?: number) => ({
  overrides: { 'bronze-verify': tiny(request), 'silver-build': tiny(request), 'gold-finalize': tiny(request) },
  datagenPod: { cpu: 0.1, memoryGb: 2 },
});

describe('roomShortfalls', () => {
  it('a scale fits the room when its pods request less CPU than their cores', () => {
    const room = [{ node: 'n', cpu: 1.3, memoryGb: 12 }];
    // 0.1 + 0.1 CPU × 1.15 = 0.23; 2 + 1 + 1 GiB × 1.15 = 4.6.
    expect(roomShortfalls(requirement(0.01, NOTHING, opts(0.1)), room)).toEqual([]);
    expect(roomShortfalls(requirement(0.01, NOTHING, opts()), room)).toEqual(['needs 2.3 CPU (peak bronze-verify 2, × 1.15), free 1.3']);
  });

  it('names datagen when the datagen Job is the peak, and memory short', () => {
    const req = requirement(0.01, NOTHING, { ...opts(0.1), datagenPod: { cpu: 1, memoryGb: 8 } });
    expect(roomShortfalls(req, [{ node: 'n', cpu: 1, memoryGb: 4 }])).toEqual([
      'needs 1.15 CPU (datagen 1 pod(s) 1, × 1.15), free 1',
      'needs 9.2 GiB (datagen 1 pod(s) 8, × 1.15), free 4',
      "the largest pod (1 CPU, 8 GiB) fits no node's free room (n: 1 CPU, 4 GiB)",
    ]);
  });

  it('the largest pod must fit one node, CPU and memory together, even when the totals suffice', () => {
    const req = requirement(0.01, NOTHING, { ...opts(0.1), datagenPod: { cpu: 1.5, memoryGb: 2 } });
    // 2 CPU free in all, but no node has 1.5; node c has the CPU but not the memory.
    const rooms = [
      { node: 'a', cpu: 1, memoryGb: 8 },
      { node: 'b', cpu: 1, memoryGb: 8 },
      { node: 'c', cpu: 1.5, memoryGb: 1 },
    ];
    expect(roomShortfalls(req, rooms)).toEqual(["the largest pod (1.5 CPU, 2 GiB) fits no node's free room (c: 1.5 CPU, 1 GiB; a: 1 CPU, 8 GiB; b: 1 CPU, 8 GiB)"]);
    expect(roomShortfalls(req, [...rooms, { node: 'd', cpu: 1.5, memoryGb: 3 }])).toEqual([]);
  });

  it('with no schedulable node nothing fits', () => {
    expect(roomShortfalls(requirement(0.01, NOTHING, opts(0.1)), [])).toEqual([
      'needs 0.23 CPU (peak bronze-verify 0.2, × 1.15), free 0',
      'needs 4.6 GiB (peak bronze-verify 4, × 1.15), free 0',
      "the largest pod (0.1 CPU, 2 GiB) fits no node's free room (no node)",
    ]);
  });
});
