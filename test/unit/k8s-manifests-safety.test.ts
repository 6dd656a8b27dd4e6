// What every submitted object must guarantee whatever the config: no credential value anywhere,
// credentials only as Secret references, restricted pod security, content-addressed scripts, and
// pods that fit the declared nodes or a preflight that refuses with the numbers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { V1Container, V1EnvVar, V1PodSpec } from '@kubernetes/client-node';
import { alwaysOnFor, capacityShortfalls, requirement } from '../../runner/src/model/sizing.js';
import { planYaml, runPlan, type PlannedObject } from '../../runner/src/platforms/kubernetes/manifests/plan.js';
import { readScripts, scriptsConfigMap, scriptsHash } from '../../runner/src/platforms/kubernetes/manifests/scripts-configmap.js';
import type { SparkApplication } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import type { JobManifest } from '../../runner/src/platforms/kubernetes/manifests/datagen-job.js';
import { clusterConfig, COMBINATIONS, RUN_ID } from '../kubernetes/plan-configs.js';

const MARKERS = { AWS_ACCESS_KEY_ID: 'AKIAMARKER0123456789', AWS_SECRET_ACCESS_KEY: 'secret-marker-5f1e2d', POLARIS_CLIENT_ID: 'client-marker-77aa', POLARIS_CLIENT_SECRET: 'polaris-secret-marker-99bb', LAKEBENCH_CATALOG_CREDENTIAL: 'client-marker-77aa:polaris-secret-marker-99bb' };

function podSpecs(objects: PlannedObject[]): { where: string; spec: V1PodSpec }[] {
  const out: { where: string; spec: V1PodSpec }[] = [];
  for (const o of objects) {
    if (o.kind === 'SparkApplication') {
      const a = o as SparkApplication;
      out.push({ where: `${a.metadata.name} driver`, spec: a.spec.driver.template.spec! }, { where: `${a.metadata.name} executor`, spec: a.spec.executor.template.spec! });
    }
    if (o.kind === 'Job') out.push({ where: o.metadata.name, spec: (o as JobManifest).spec!.template.spec! });
  }
  return out;
}

describe('manifest safety', () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [k, v] of Object.entries(MARKERS)) ((saved[k] = process.env[k]), (process.env[k] = v));
  });
  afterEach(() => {
    for (const k of Object.keys(MARKERS)) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  });

  it.each(COMBINATIONS)('%s: no credential value in any object, credentials only from Secrets', (combination) => {
    const plan = runPlan(clusterConfig(combination), { runId: RUN_ID });
    const text = planYaml(plan);
    for (const marker of Object.values(MARKERS)) expect(text).not.toContain(marker);
    const envs: V1EnvVar[] = podSpecs(plan.objects).flatMap(({ spec }) => spec.containers.flatMap((c: V1Container) => c.env ?? []));
    const credentials = envs.filter((e) => /KEY|SECRET|PASSWORD|TOKEN|CLIENT_ID/.test(e.name));
    expect(credentials.length).toBeGreaterThanOrEqual(combination === 'polaris-iceberg' ? 14 : 10);
    for (const e of credentials) {
      expect(e.value, e.name).toBeUndefined();
      expect(e.valueFrom?.secretKeyRef?.name, e.name).toMatch(/^lakebench-(garage-key|polaris-client)$/);
    }
    // The composed catalog credential references variables only.
    for (const e of envs.filter((x) => x.name === 'LAKEBENCH_CATALOG_CREDENTIAL')) expect(e.value).toBe('$(POLARIS_CLIENT_ID):$(POLARIS_CLIENT_SECRET)');
  });

  it('runs every pod non-root under the restricted profile with a read-only root file system', () => {
    const specs = podSpecs(runPlan(clusterConfig('polaris-iceberg'), { runId: RUN_ID }).objects);
    expect(specs).toHaveLength(7);
    for (const { where, spec } of specs) {
      expect(spec.securityContext, where).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(spec.securityContext?.runAsUser, where).toBe(where.startsWith('lakebench-datagen') ? 10001 : 185);
      for (const c of spec.containers) {
        expect(c.securityContext, where).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
        expect(c.volumeMounts?.some((m) => m.mountPath === '/tmp'), where).toBe(true);
      }
    }
  });

  it('names the scripts ConfigMap by the content of spark-scripts/*.py', () => {
    const scripts = readScripts();
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['bronze_verify.py', 'silver_build.py', 'gold_finalize.py', 'lakebench_common.py']));
    const cm = scriptsConfigMap('ns', {}, scripts);
    expect(cm.metadata.name).toBe(`lakebench-spark-scripts-${scriptsHash(scripts).slice(0, 8)}`);
    expect(cm.data).toEqual(scripts);
    const edited = scriptsConfigMap('ns', {}, { ...scripts, 'silver_build.py': `${scripts['silver_build.py']}\n# edited\n` });
    expect(edited.metadata.name).not.toBe(cm.metadata.name);
    expect(scriptsConfigMap('ns', {}, { ...scripts }).metadata.name).toBe(cm.metadata.name);
  });
});

describe('pods against the declared nodes', () => {
  const NODES = [
    { nodes: 3, nodeCpu: 8, nodeMemoryGb: 32 },
    { nodes: 4, nodeCpu: 16, nodeMemoryGb: 64 },
    { nodes: 8, nodeCpu: 32, nodeMemoryGb: 256 },
    { nodes: 20, nodeCpu: 64, nodeMemoryGb: 512 },
    { nodes: 2, nodeCpu: 3, nodeMemoryGb: 512 },
  ];
  const gib = (q: string) => Number(/^(\d+)(g|Gi)$/.exec(q)![1]);

  it.each([1, 10, 100, 1000])('scale %d: each pod fits a node, or the preflight refuses naming the pod and the node', (scale) => {
    const plan = runPlan(clusterConfig('hive-iceberg', { scale: Math.min(scale, 100) }), { runId: RUN_ID, scale });
    const pods: { cpu: number; memoryGb: number }[] = [];
    for (const o of plan.objects) {
      if (o.kind === 'SparkApplication') {
        const { driver, executor } = (o as SparkApplication).spec;
        pods.push({ cpu: driver.cores, memoryGb: gib(driver.memory) + gib(driver.memoryOverhead) }, { cpu: executor.cores, memoryGb: gib(executor.memory) + gib(executor.memoryOverhead) });
      }
      if (o.kind === 'Job') {
        const r = (o as JobManifest).spec!.template.spec!.containers[0]!.resources!.requests!;
        pods.push({ cpu: Number(r.cpu), memoryGb: gib(r.memory!) });
      }
    }
    const req = requirement(scale, alwaysOnFor({ type: 'trino', workers: 1, workerCpu: 1, workerMemoryGb: 3 }));
    expect(plan.requirement).toEqual(req);
    for (const node of NODES) {
      const fits = pods.every((p) => p.cpu <= node.nodeCpu && p.memoryGb <= node.nodeMemoryGb);
      const refusal = capacityShortfalls(req, node).find((l) => l.includes('does not fit a node'));
      if (fits) expect(refusal, JSON.stringify(node)).toBeUndefined();
      else expect(refusal, JSON.stringify(node)).toBe(`the largest pod (${Math.max(...pods.map((p) => p.cpu))} CPU, ${Math.max(...pods.map((p) => p.memoryGb))} GiB) does not fit a node (${node.nodeCpu} CPU, ${node.nodeMemoryGb} GiB)`);
      // The totals: the biggest stage's pods (and the always-on services) against the whole cluster.
      const totalsOk = req.batch.cpu <= node.nodes * node.nodeCpu && req.batch.memoryGb <= node.nodes * node.nodeMemoryGb;
      expect(capacityShortfalls(req, node).some((l) => l.startsWith('needs ')), JSON.stringify(node)).toBe(!totalsOk);
    }
  });
});
