// Shared set-up of the runtime-*.test.ts files: a real kube-apiserver with the Spark Operator CRDs,
// a namespace holding the chart's own runner ServiceAccount/Role/RoleBinding (rendered by helm from
// charts/lakebench/templates/runner/rbac.yaml), the fault proxy in front of the server, and a
// KubeClient acting as that ServiceAccount through the proxy. The test plays the Spark Operator and
// the kubelet with the admin credentials, by writing .status.
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyManifests, installSparkOperatorCrds, startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../harness/kube/index.js';
import { startFaultProxy, type FaultProxy } from '../harness/kube/fault-proxy.js';
import { helmVersions, run } from '../chart/helpers/tools.js';
import { chartDir } from '../chart/helpers/tools.js';
import { KubeClient, type RetryPolicy } from '../../runner/src/platforms/kubernetes/client.js';

export const RUNNER_SA = 'lakebench-runner';
export const SPARK_SA = 'lakebench-spark';
const group = 'sparkoperator.k8s.io';
const version = 'v1beta2';
const plural = 'sparkapplications';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

type ClientOpts = { retry?: Partial<RetryPolicy>; sleep?: (ms: number) => Promise<void> };
/** Also: chart values (`--set`) for rendering the runner RBAC, e.g. runner.rbac.readNodes=false. */
type NamespaceOpts = ClientOpts & { chartSets?: string[] };

export type RuntimeEnv = {
  api: KubeApiServer;
  admin: KubeConfig;
  proxy: FaultProxy;
  /** A fresh namespace with the chart's runner RBAC and a runner client acting as its ServiceAccount. */
  namespace(name: string, opts?: NamespaceOpts): Promise<{ client: KubeClient; kubeconfigPath: string; op: Operator }>;
  /** Another runner (its own token, same ServiceAccount) in a namespace set up by namespace(). */
  clientFor(name: string, opts?: ClientOpts): Promise<{ client: KubeClient; kubeconfigPath: string; op: Operator }>;
  stop(): Promise<void>;
};

/** `helm template` of the chart's runner RBAC only, for namespace `ns`. */
export function runnerRbacYaml(ns: string, sets: string[] = []): string {
  const r = run(helmVersions.helm3, ['template', 'lakebench', chartDir, '--namespace', ns, ...['storage.garage.enabled=true', 'runner.image.repository=registry.example.com/lakebench/lakebench-runner', ...sets].flatMap((s) => ['--set', s]), '--show-only', 'templates/runner/rbac.yaml']);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  // The rendered RoleBinding names the release namespace; the objects get it from applyManifests.
  return r.stdout;
}

export async function startRuntimeEnv(opts: KubeApiServerOptions = {}): Promise<RuntimeEnv> {
  const api = await startKubeApiServer(opts);
  const admin = api.adminKubeConfig();
  await installSparkOperatorCrds(admin, ['SparkApplication']);
  const proxy = await startFaultProxy(api.server, api.caPem);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-runtime-'));
  let n = 0;
  const clientFor = async (ns: string, o: ClientOpts = {}) => {
    const sa = await api.serviceAccountKubeconfig(ns, RUNNER_SA);
    // The same token, sent through the fault proxy (plain HTTP on 127.0.0.1) instead of TLS.
    const kubeconfigPath = path.join(dir, `${ns}.${n++}.proxy.kubeconfig`);
    writeFileSync(
      kubeconfigPath,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // Plain HTTP on loopback: client-node insists on this flag for http:// servers (nothing to verify).
        clusters: [{ name: 'proxy', cluster: { server: proxy.url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'runner', user: { token: sa.token } }],
        contexts: [{ name: 'runner', context: { cluster: 'proxy', user: 'runner', namespace: ns } }],
        'current-context': 'runner',
      }),
    );
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
      const client = new KubeClient(kc, { retry: { baseDelayMs: 20, maxDelayMs: 500, ...o.retry }, sleep: o.sleep });
      return { client, kubeconfigPath, op: new Operator(admin, ns) };
  };
  return {
    api,
    admin,
    proxy,
    clientFor,
    async namespace(ns, o = {}) {
      const core = admin.makeApiClient(CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: ns } } });
      await applyManifests(admin, runnerRbacYaml(ns, o.chartSets), { namespace: ns });
      await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: SPARK_SA } } });
      return clientFor(ns, o);
    },
    async stop() {
      await proxy.stop();
      await api.stop();
    },
  };
}

type Terminated = { startedAt: string; finishedAt: string; exitCode: number; reason: string };

/** The test's stand-in for the Spark Operator and the kubelet: it only writes what they would write. */
export class Operator {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;
  constructor(
    admin: KubeConfig,
    readonly ns: string,
  ) {
    this.custom = admin.makeApiClient(CustomObjectsApi);
    this.core = admin.makeApiClient(CoreV1Api);
  }

  /** Any write, to move etcd's revision on. */
  async touch(): Promise<void> {
    await this.core.createNamespacedConfigMap({ namespace: this.ns, body: { metadata: { generateName: 'touch-' } } });
  }

  async appExists(name: string): Promise<boolean> {
    try {
      await this.custom.getNamespacedCustomObject({ group, version, namespace: this.ns, plural, name });
      return true;
    } catch {
      return false;
    }
  }

  async appLabel(name: string, label: string): Promise<string> {
    const app = (await this.custom.getNamespacedCustomObject({ group, version, namespace: this.ns, plural, name })) as { metadata?: { labels?: Record<string, string> } };
    const value = app.metadata?.labels?.[label];
    if (!value) throw new Error(`SparkApplication ${name} has no label ${label}`);
    return value;
  }

  /** Waits for a SparkApplication the operator has not touched yet (no status): a new submission. */
  async waitForApp(name: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const fresh = async () => {
      try {
        const app = (await this.custom.getNamespacedCustomObject({ group, version, namespace: this.ns, plural, name })) as { status?: unknown };
        return app.status === undefined;
      } catch {
        return false;
      }
    };
    while (!(await fresh())) {
      if (Date.now() > deadline) throw new Error(`SparkApplication ${name} never appeared`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async createApp(name: string, labels: Record<string, string> = {}): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      group,
      version,
      namespace: this.ns,
      plural,
      body: {
        apiVersion: `${group}/${version}`,
        kind: 'SparkApplication',
        metadata: { name, labels },
        spec: { type: 'Python', mode: 'cluster', sparkVersion: '4.0.1', image: 'apache/spark:4.0.1-python3', mainApplicationFile: 'local:///opt/spark/job.py', driver: { cores: 1, memory: '2g' }, executor: { cores: 1, instances: 1, memory: '2g' } },
      },
    });
  }

  async setState(name: string, state: string, errorMessage?: string): Promise<void> {
    await this.custom.patchNamespacedCustomObjectStatus(
      { group, version, namespace: this.ns, plural, name, body: { status: { applicationState: { state, ...(errorMessage ? { errorMessage } : {}) }, driverInfo: { podName: `${name}-driver` } } } },
      merge,
    );
  }

  /** Creates a Spark pod as the operator's submission would (labels of operator v2.5.2). */
  async createPod(app: string, role: 'driver' | 'executor', podName = role === 'driver' ? `${app}-driver` : `${app}-exec-1`): Promise<string> {
    const container = role === 'driver' ? 'spark-kubernetes-driver' : 'spark-kubernetes-executor';
    // A previous run's pod of that name would have gone with its app (garbage collector, not running here).
    await this.core.deleteNamespacedPod({ namespace: this.ns, name: podName, gracePeriodSeconds: 0 }).catch(() => undefined);
    await this.core.createNamespacedPod({
      namespace: this.ns,
      body: {
        metadata: { name: podName, labels: { 'sparkoperator.k8s.io/app-name': app, 'spark-role': role } },
        spec: { serviceAccountName: SPARK_SA, containers: [{ name: container, image: 'apache/spark:4.0.1-python3' }] },
      },
    });
    return podName;
  }

  async podRunning(pod: string, startedAt: string, role: 'driver' | 'executor' = 'driver'): Promise<void> {
    await this.podStatus(pod, role, 'Running', { running: { startedAt } });
  }

  async podTerminated(pod: string, t: Terminated, role: 'driver' | 'executor' = 'driver'): Promise<void> {
    await this.podStatus(pod, role, t.exitCode === 0 ? 'Succeeded' : 'Failed', { terminated: t });
  }

  private async podStatus(pod: string, role: string, phase: string, state: Record<string, unknown>): Promise<void> {
    const name = role === 'driver' ? 'spark-kubernetes-driver' : 'spark-kubernetes-executor';
    await this.core.patchNamespacedPodStatus(
      { namespace: this.ns, name: pod, body: { status: { phase, containerStatuses: [{ name, image: 'apache/spark:4.0.1-python3', imageID: '', ready: phase === 'Running', restartCount: 0, state }] } } },
      merge,
    );
  }
}

/**
 * Every watch the runner opened must be closed once the call that opened it returned: a leaked
 * stream costs the API server a goroutine and the runner a socket for up to its timeout (15 min).
 * Closing is asynchronous (an abort travels through the proxy), hence the short wait.
 */
export async function expectNoOpenWatches(env: RuntimeEnv, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (env.proxy.openWatches() > 0) {
    if (Date.now() > deadline) throw new Error(`watches still open ${timeoutMs} ms after the test: ${JSON.stringify(env.proxy.openWatchPaths())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
