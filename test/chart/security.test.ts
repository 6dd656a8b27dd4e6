// Render assertions about security: restricted pods, no credential in plain sight, least-privilege RBAC.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCases } from './helpers/matrix.js';
import { allContainers, byKind, helmTemplate, podSpecs, type K8sObject, type Rendered } from './helpers/render.js';
import { requireTools } from './helpers/tools.js';

const renders = new Map<string, Rendered>();
beforeAll(() => {
  requireTools();
  for (const c of renderCases) renders.set(c.name, helmTemplate('helm3', c.files));
});
const get = (name: string) => renders.get(name)!;

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
const rulesOf = (o: K8sObject) => (o as unknown as { rules: Rule[] }).rules;
const normalize = (rules: Rule[]) =>
  rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g || 'core'}/${res}: ${[...r.verbs].sort().join(',')}`))).sort();

// Keys that name a principal rather than prove it (a user name, an OAuth2 client id).
const IDENTIFIER_KEYS = new Set(['username', 'clientId']);

/** Decoded credential values of every rendered Secret (generated passwords, keys, tokens). */
function secretValues(objects: K8sObject[]): string[] {
  return byKind(objects, 'Secret').flatMap((s) => {
    const data = (s as unknown as { data?: Record<string, string> }).data ?? {};
    return Object.entries(data)
      .filter(([key]) => !IDENTIFIER_KEYS.has(key))
      .map(([, v]) => Buffer.from(v, 'base64').toString('utf8'));
  });
}

// A credential-looking key assigned a literal on the same line (not an ${...}/$(...) reference to
// the environment). Booleans (e.g. vended-credentials-enabled=false) are settings, not credentials,
// and so is the name of the Secret key a credential is read from (`secretAccessKeyKey:
// AWS_SECRET_ACCESS_KEY`: a `...Key` holding only capitals and underscores; real keys have digits).
const CREDENTIAL_ASSIGNMENT = /^[ \t]*(?![\w.-]*Key[ \t]*:[ \t]*[A-Z_]+[ \t]*$)[\w.-]*(password|passwd|secret|secret[-_]?key|access[-_]?key|credential|token)[\w.-]*[ \t]*[=:][ \t]*(?![$][{(])(?!(?:true|false)[ \t]*$)(\S.*)$/gim;

describe('the credential pattern', () => {
  it('flags a literal and accepts environment references', () => {
    const hits = (text: string) => [...text.matchAll(CREDENTIAL_ASSIGNMENT)].length;
    expect(hits('s3.aws-secret-key=AbC123secret')).toBe(1);
    expect(hits('<name>ConnectionPassword</name>\npassword: hunter22')).toBe(1);
    expect(hits('s3.aws-secret-key=${ENV:AWS_SECRET_ACCESS_KEY}')).toBe(0);
    expect(hits('credential=$(POLARIS_CLIENT_ID):$(POLARIS_CLIENT_SECRET)')).toBe(0);
    expect(hits('iceberg.rest-catalog.vended-credentials-enabled=false')).toBe(0);
    // Where a credential lives is not a credential; what lives there is.
    expect(hits('credentialsSecret:\n  name: lakebench-garage-key\n  secretAccessKeyKey: AWS_SECRET_ACCESS_KEY')).toBe(0);
    expect(hits('secretAccessKeyKey: wJalrXUtnFEMI/K7MDENG')).toBe(1);
    expect(hits('accessKeyId: AKIAIOSFODNN7EXAMPLE')).toBe(1);
  });
});

describe.each(renderCases)('$name', ({ name }) => {
  it('every container and init container runs restricted, with resources set', () => {
    const problems: string[] = [];
    for (const { owner, spec } of podSpecs(get(name).objects)) {
      const pod = spec.securityContext as Record<string, any> | undefined;
      if (pod?.runAsNonRoot !== true || pod?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${owner.kind}/${owner.metadata.name}: pod securityContext`);
      for (const c of allContainers(spec)) {
        const sc = (c.securityContext ?? {}) as Record<string, any>;
        const where = `${owner.kind}/${owner.metadata.name}/${c.name}`;
        if (sc.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot`);
        if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation`);
        if (!Array.isArray(sc.capabilities?.drop) || !sc.capabilities.drop.includes('ALL')) problems.push(`${where}: capabilities.drop ALL`);
        if (sc.capabilities?.add?.length) problems.push(`${where}: capabilities.add`);
        if (sc.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccomp RuntimeDefault`);
        if (sc.privileged) problems.push(`${where}: privileged`);
        const res = (c.resources ?? {}) as { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
        if (!res.requests?.cpu || !res.requests?.memory || !res.limits?.memory) problems.push(`${where}: resources (cpu/memory requests, memory limit)`);
      }
    }
    expect(problems).toEqual([]);
    expect(podSpecs(get(name).objects).length).toBeGreaterThan(3);
  });

  it('no credential value in a ConfigMap, a literal env value or a command line', () => {
    const objects = get(name).objects;
    const secrets = secretValues(objects).filter((v) => v.length >= 8);
    const literals: string[] = [];
    for (const { owner, spec } of podSpecs(objects)) {
      for (const c of allContainers(spec)) {
        for (const e of (c.env ?? []) as { name: string; value?: string }[]) if (e.value !== undefined) literals.push(`${owner.metadata.name}/${c.name} env ${e.name}=${e.value}`);
        for (const a of [...((c.command ?? []) as string[]), ...((c.args ?? []) as string[])]) literals.push(`${owner.metadata.name}/${c.name} arg ${a}`);
      }
    }
    const configMaps = byKind(objects, 'ConfigMap').flatMap((cm) =>
      Object.entries((cm as unknown as { data?: Record<string, string> }).data ?? {}).map(([k, v]) => ({ where: `${cm.metadata.name}/${k}`, text: v })),
    );
    const leaks = [
      ...configMaps.flatMap(({ where, text }) => secrets.filter((s) => text.includes(s)).map(() => `${where} contains a Secret value`)),
      ...literals.flatMap((l) => secrets.filter((s) => l.includes(s)).map(() => `${l.split(' ')[0]} contains a Secret value`)),
      ...configMaps
        .filter(({ where }) => !where.endsWith('.py')) // Python code names variables like client_secret
        .flatMap(({ where, text }) => [...text.matchAll(CREDENTIAL_ASSIGNMENT)].map((m) => `${where}: ${m[0].trim()}`)),
    ];
    expect(leaks, leaks.slice(0, 20).join("\n")).toEqual([]);
  });

  it('the runner Role grants exactly what the runner needs, without wildcards', () => {
    const role = byKind(get(name).objects, 'Role').find((r) => r.metadata.name.endsWith('-runner'))!;
    const rules = rulesOf(role);
    expect(JSON.stringify(rules)).not.toContain('*');
    expect(normalize(rules)).toEqual(
      [
        'sparkoperator.k8s.io/sparkapplications: create,delete,get,list,watch',
        'core/pods: get,list,watch',
        'core/pods/log: get',
        'core/configmaps: create,delete,get,list,update',
        'batch/jobs: create,delete,get,list,watch',
        'coordination.k8s.io/leases: create,delete,get,update',
        'core/services: get,list',
        'core/endpoints: get,list',
        'apps/deployments: get,list',
        'apps/statefulsets: get,list',
      ].sort(),
    );
    // The one cluster-scoped grant: reading nodes and listing pods for the capacity preflight (each
    // node's allocatable minus the requests of the pods bound to it), bound to the runner only.
    const clusterRoles = byKind(get(name).objects, 'ClusterRole').filter((r) => r.metadata.name.endsWith('-runner-capacity'));
    expect(clusterRoles).toHaveLength(1);
    expect(normalize(rulesOf(clusterRoles[0]!))).toEqual(['core/nodes: get,list', 'core/pods: list']);
    const binding = byKind(get(name).objects, 'ClusterRoleBinding').find((b) => b.metadata.name === clusterRoles[0]!.metadata.name) as unknown as { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string; namespace: string }[] };
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: clusterRoles[0]!.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: role.metadata.name, namespace: 'lakebench' }]);
  });



  it('the Spark driver Role is what Spark on Kubernetes needs, bound to lakebench-spark-runner', () => {
    const objects = get(name).objects;
    const role = byKind(objects, 'Role').find((r) => r.metadata.name === 'lakebench-spark-runner')!;
    expect(normalize(rulesOf(role))).toEqual(
      [
        'core/pods: create,delete,deletecollection,get,list,watch',
        'core/services: create,delete,deletecollection,get',
        'core/configmaps: create,delete,deletecollection,get,list',
        'core/persistentvolumeclaims: create,delete,deletecollection,get,list',
      ].sort(),
    );
    expect(byKind(objects, 'ServiceAccount').map((s) => s.metadata.name)).toContain('lakebench-spark-runner');
  });
});

describe('runner.rbac.readNodes', () => {
  it('off: nothing cluster-scoped is granted to the runner', () => {
    const objects = helmTemplate('helm3', renderCases[0]!.files, ['runner.rbac.readNodes=false']).objects;
    expect(byKind(get(renderCases[0]!.name).objects, 'ClusterRole').filter((r) => r.metadata.name.includes('runner'))).toHaveLength(1);
    expect(byKind(objects, 'ClusterRole').filter((r) => r.metadata.name.includes('runner'))).toEqual([]);
    expect(byKind(objects, 'ClusterRoleBinding').filter((r) => r.metadata.name.includes('runner'))).toEqual([]);
  });
});

describe('Role scoping', () => {
  it('the Polaris bootstrap may only read/update its own client Secret', () => {
    const objects = get('values/polaris-iceberg-trino.yaml (on profile-tiny)').objects;
    const role = byKind(objects, 'Role').find((r) => r.metadata.name.endsWith('-polaris-bootstrap'))!;
    const rules = rulesOf(role);
    expect(rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['lakebench-polaris-client'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    ]);
  });

  it('only pods that call the Kubernetes API get a ServiceAccount token', () => {
    const objects = get('ci/polaris-iceberg-spark-thrift-values.yaml').objects;
    const withToken = podSpecs(objects)
      .filter(({ spec }) => spec.automountServiceAccountToken !== false)
      .map(({ owner }) => owner.metadata.labels?.['app.kubernetes.io/component']);
    expect(new Set(withToken)).toEqual(new Set(['runner', 'polaris-bootstrap']));
  });
});
