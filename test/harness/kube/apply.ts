// `kubectl apply --server-side` for tests: multi-document YAML (or wire-format objects) applied in
// order with @kubernetes/client-node's KubernetesObjectApi. A CustomResourceDefinition is waited on
// until Established, so a later document may be one of its custom resources.
import {
  ApiextensionsV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  loadAllYaml,
  loadYaml,
  type KubernetesObject,
} from '@kubernetes/client-node';

export type ApplyOptions = {
  /** Server-side apply field manager; default "lakebench-test". */
  fieldManager?: string;
  /** Namespace for namespaced objects that name none (default: the kubeconfig context's, else "default"). */
  namespace?: string;
  /** Take over fields owned by other managers (kubectl's --force-conflicts). */
  forceConflicts?: boolean;
};

const describe = (o: KubernetesObject) => `${o.apiVersion}/${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '?'}`;

/** Parses YAML (all documents) or converts wire-format objects into client-node's typed models. */
export function toKubernetesObjects(manifests: string | object[]): KubernetesObject[] {
  // Typed models rename some wire fields (e.g. x-kubernetes-*); loadYaml maps them, and JSON is YAML.
  const objects: unknown[] = typeof manifests === 'string' ? loadAllYaml(manifests) : manifests.map((o) => loadYaml(JSON.stringify(o)));
  return objects.filter((o): o is KubernetesObject => o !== null && o !== undefined);
}

export async function applyManifests(kc: KubeConfig, manifests: string | object[], options: ApplyOptions = {}): Promise<KubernetesObject[]> {
  // KubernetesObjectApi puts namespaced objects that name none into its context's namespace.
  const client = KubernetesObjectApi.makeApiClient(options.namespace ? withContextNamespace(kc, options.namespace) : kc);
  const applied: KubernetesObject[] = [];
  for (const object of toKubernetesObjects(manifests)) {
    try {
      const result = await client.patch(object, undefined, undefined, options.fieldManager ?? 'lakebench-test', options.forceConflicts, PatchStrategy.ServerSideApply);
      applied.push(result);
    } catch (e) {
      throw new Error(`applying ${describe(object)} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (object.kind === 'CustomResourceDefinition' && object.metadata?.name) await waitForCrdEstablished(kc, object.metadata.name);
  }
  return applied;
}

function withContextNamespace(kc: KubeConfig, namespace: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts().map((c) => (c.name === kc.getCurrentContext() ? { ...c, namespace } : c)),
    currentContext: kc.getCurrentContext(),
  });
  return copy;
}

export async function waitForCrdEstablished(kc: KubeConfig, name: string, timeoutMs = 60_000): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await api.readCustomResourceDefinition({ name });
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    if (established) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after ${timeoutMs} ms: ${JSON.stringify(crd.status?.conditions)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
