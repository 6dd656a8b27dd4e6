// Rendering the chart with `helm template` and reading the result as Kubernetes objects.
import { parseAllDocuments } from 'yaml';
import { chartDir, helmVersions, run, type HelmName } from './tools.js';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
};

export type Rendered = { yaml: string; objects: K8sObject[] };

export function helmTemplate(helm: HelmName, valueFiles: string[], sets: string[] = [], release = 'lakebench'): Rendered {
  const args = ['template', release, chartDir, '--namespace', 'lakebench', ...valueFiles.flatMap((f) => ['-f', f]), ...sets.flatMap((s) => ['--set', s])];
  const result = run(helmVersions[helm], args);
  if (result.status !== 0) throw new Error(`${helm} template ${valueFiles.join(' ')} ${sets.join(' ')} failed:\n${result.stderr}`);
  return { yaml: result.stdout, objects: parseObjects(result.stdout) };
}

export function parseObjects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const component = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/component'] ?? '';
export const isHelmTest = (o: K8sObject) => o.metadata.annotations?.['helm.sh/hook'] === 'test';

export type Container = { name: string; resources?: unknown; [key: string]: unknown };
export type PodSpec = { containers: Container[]; initContainers?: Container[]; [key: string]: unknown };

/** Every pod spec in the objects, with the object it came from. */
export function podSpecs(objects: K8sObject[]): { owner: K8sObject; spec: PodSpec }[] {
  const out: { owner: K8sObject; spec: PodSpec }[] = [];
  for (const o of objects) {
    const spec = o.spec as Record<string, any> | undefined;
    if (o.kind === 'Pod') out.push({ owner: o, spec: spec as PodSpec });
    else if (['Deployment', 'StatefulSet', 'Job'].includes(o.kind)) out.push({ owner: o, spec: spec!.template.spec });
    else if (o.kind === 'CronJob') out.push({ owner: o, spec: spec!.jobTemplate.spec.template.spec });
  }
  return out;
}

export const allContainers = (spec: PodSpec) => [...(spec.initContainers ?? []), ...spec.containers];
