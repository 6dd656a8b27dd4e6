// What the scheduler counts as taken on a node (kube-scheduler v1.36's PodRequests): quantities in
// whole millicores and bytes, sidecar and plain init containers, pod-level requests, overhead, a
// resize in flight, and which pods occupy which node.
import type { V1Container, V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { nodeRooms, podRequests } from '../../runner/src/platforms/kubernetes/pod-requests.js';
import { cpuMillis, memoryBytes, parseQuantity } from '../../runner/src/platforms/kubernetes/quantity.js';

const GI = 2 ** 30;
const c = (name: string, cpu?: string, memory?: string, restartPolicy?: string): V1Container => ({
  name,
  ...(restartPolicy ? { restartPolicy } : {}),
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
});
const pod = (spec: Partial<NonNullable<V1Pod['spec']>>, status: V1Pod['status'] = { phase: 'Running' }): V1Pod => ({ spec: { containers: [], ...spec }, status });
const node = (name: string, cpu: string, memory: string, unschedulable = false): V1Node => ({ metadata: { name }, spec: { unschedulable }, status: { allocatable: { cpu, memory } } });

describe('Kubernetes quantities', () => {
  it.each([
    ['3900m', 3.9],
    ['2', 2],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1E', 1e18],
    ['16Gi', 16 * GI],
    ['16302520Ki', 16302520 * 1024],
    ['250000000n', 0.25],
    ['1k', 1000],
  ])('%s is %d', (q, n) => expect(parseQuantity(q)).toBeCloseTo(n, 9));

  it('refuses what is not a quantity, naming it', () => {
    expect(() => parseQuantity('2 cores')).toThrow(/not a Kubernetes quantity: 2 cores/);
    expect(() => parseQuantity('1Xi')).toThrow(/not a Kubernetes quantity/);
  });

  it('rounds a fraction of a millicore or byte up, as the scheduler does, but not floating-point noise', () => {
    expect(cpuMillis('0.1')).toBe(100);
    expect(cpuMillis('1500u')).toBe(2);
    expect(memoryBytes('0.5')).toBe(1);
    expect(memoryBytes('1.5Gi')).toBe(1.5 * GI);
  });
});

describe('podRequests', () => {
  it('sums the containers; a container without a request adds nothing', () => {
    expect(podRequests(pod({ containers: [c('a', '100m', '1Gi'), c('b', '250m', '512Mi'), c('c')] }))).toEqual({ cpuMillis: 350, memoryBytes: 1.5 * GI });
  });

  it('a plain init container counts only when it needs more than the containers', () => {
    expect(podRequests(pod({ containers: [c('a', '100m', '1Gi')], initContainers: [c('init', '2', '256Mi')] }))).toEqual({ cpuMillis: 2000, memoryBytes: GI });
  });

  it('a sidecar (restartPolicy Always) adds to the containers and to the init containers started after it', () => {
    const p = pod({ containers: [c('a', '100m', '1Gi')], initContainers: [c('sidecar', '200m', '1Gi', 'Always'), c('init', '1', '1Gi')] });
    // Containers 100m + sidecar 200m = 300m; the init container runs next to the sidecar: 1 + 0.2 CPU.
    expect(podRequests(p)).toEqual({ cpuMillis: 1200, memoryBytes: 2 * GI });
  });

  it('pod-level requests replace the containers\u2019 sum; the RuntimeClass overhead is added', () => {
    const p = pod({ containers: [c('a', '100m', '1Gi')], resources: { requests: { cpu: '500m' } }, overhead: { cpu: '50m', memory: '64Mi' } });
    expect(podRequests(p)).toEqual({ cpuMillis: 550, memoryBytes: GI + 64 * 2 ** 20 });
  });

  it('while a resize is in flight the larger of spec and allocation counts; an infeasible resize counts the allocation', () => {
    const spec = { containers: [c('a', '2', '1Gi')] };
    const status = (conditions: NonNullable<V1Pod['status']>['conditions'] = []): V1Pod['status'] => ({
      phase: 'Running',
      conditions,
      containerStatuses: [{ name: 'a', image: 'x', imageID: '', ready: true, restartCount: 0, resources: { requests: { cpu: '500m', memory: '2Gi' } }, allocatedResources: { cpu: '500m', memory: '2Gi' } }],
    });
    expect(podRequests(pod(spec, status()))).toEqual({ cpuMillis: 2000, memoryBytes: 2 * GI });
    expect(podRequests(pod(spec, status([{ type: 'PodResizePending', status: 'True', reason: 'Infeasible' }])))).toEqual({ cpuMillis: 500, memoryBytes: 2 * GI });
  });
});

describe('nodeRooms', () => {
  it('allocatable minus the pods bound and not finished; cordoned nodes left out; never below zero', () => {
    const nodes = [node('a', '2', '8Gi'), node('b', '4000m', `${8 * 2 ** 20}Ki`), node('cordoned', '64', '512Gi', true), node('full', '1', '1Gi')];
    const pods: V1Pod[] = [
      pod({ nodeName: 'a', containers: [c('x', '500m', '2Gi')] }),
      pod({ nodeName: 'a', containers: [c('y', '250m', '1Gi')] }, { phase: 'Pending' }),
      // Finished pods hold nothing; an unbound pod is on no node yet.
      pod({ nodeName: 'a', containers: [c('done', '1', '4Gi')] }, { phase: 'Succeeded' }),
      pod({ nodeName: 'b', containers: [c('failed', '1', '4Gi')] }, { phase: 'Failed' }),
      pod({ containers: [c('pending', '1', '4Gi')] }, { phase: 'Pending' }),
      pod({ nodeName: 'full', containers: [c('big', '2', '2Gi')] }),
    ];
    expect(nodeRooms(nodes, pods)).toEqual([
      { node: 'a', cpu: 1.25, memoryGb: 5 },
      { node: 'b', cpu: 4, memoryGb: 8 },
      { node: 'full', cpu: 0, memoryGb: 0 },
    ]);
  });
});
