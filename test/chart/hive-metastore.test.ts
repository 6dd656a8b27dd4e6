// The standalone Hive Metastore's command lines, checked against what Apache Hive 4.0.1 accepts
// (recorded with its sources in upstream/hive-4.0.1.ts): bin/hive's launcher flags, then the
// metastore's own option parser, which exits 1 on an unknown option; and S3A on the classpath.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderCases } from './helpers/matrix.js';
import { byKind, component, helmTemplate, podSpecs, type Container, type K8sObject } from './helpers/render.js';
import { chartDir, requireTools } from './helpers/tools.js';
import { HIVE_IMAGE_TAG, hadoopInHiveImage, hiveLauncher, metastoreOptions, schemaTool, type Grammar } from './upstream/hive-4.0.1.js';

/** Arguments a grammar does not accept (a valued option consumes the next argument). */
function rejected(args: string[], grammar: Grammar): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (grammar.valued.includes(a)) i++;
    else if (!grammar.switches.includes(a) && !(grammar.prefixed ?? []).some((p) => a.startsWith(p))) out.push(a);
  }
  return out;
}

/** What bin/hive does with its arguments: its own flags, the service, and the rest for the service. */
function launch(command: string[]): { service: string | undefined; problems: string[] } {
  const [binary, ...args] = command;
  if (binary !== hiveLauncher.path) return { service: undefined, problems: [`${binary} is not ${hiveLauncher.path}`] };
  const serviceArgs = rejected(args, hiveLauncher.grammar);
  const at = args.indexOf('--service');
  const service = at >= 0 ? args[at + 1] : undefined;
  // Every argument bin/hive does not know goes to HiveMetaStore's parser; options it rejects end the JVM.
  const problems = rejected(serviceArgs.filter((a) => a.startsWith('-')), metastoreOptions).map(
    (a) => `${a}: not a bin/hive flag, and HiveMetaStore's option parser exits 1 on it`,
  );
  return { service, problems };
}

const renders = new Map<string, K8sObject[]>();
beforeAll(() => {
  requireTools();
  for (const c of renderCases) renders.set(c.name, helmTemplate('helm3', c.files).objects);
});
const metastorePod = (objects: K8sObject[]) => podSpecs(objects).find((p) => p.owner.kind === 'Deployment' && component(p.owner) === 'hive-metastore');
/** Renders without a standalone metastore must be Polaris or the Stackable provider. */
const expectNoStandaloneHive = (objects: K8sObject[]) =>
  expect(objects.some((o) => o.kind === 'HiveCluster') || objects.some((o) => component(o) === 'polaris')).toBe(true);

it('renders a standalone metastore in most values files (the checks below are not vacuous)', () => {
  expect(renderCases.filter((c) => metastorePod(renders.get(c.name)!)).length).toBeGreaterThanOrEqual(8);
});

describe('the launcher check', () => {
  it('accepts the command of the image’s own entrypoint.sh', () => {
    expect(launch([hiveLauncher.path, '--skiphadoopversion', '--skiphbasecp', '--service', 'metastore'])).toEqual({ service: 'metastore', problems: [] });
  });
  it('rejects a flag neither bin/hive nor the metastore knows (the chart’s former --skiponinit)', () => {
    expect(launch([hiveLauncher.path, '--skiponinit', '--service', 'metastore']).problems).toEqual([
      "--skiponinit: not a bin/hive flag, and HiveMetaStore's option parser exits 1 on it",
    ]);
  });
});

describe('values.yaml', () => {
  it(`pins the Hive image these facts were read from (apache/hive:${HIVE_IMAGE_TAG})`, () => {
    const values = parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as { catalog: { hive: { image: { tag: string }; stackable: { productVersion: string } } } };
    expect(values.catalog.hive.image.tag).toBe(HIVE_IMAGE_TAG);
  });
});

describe.each(renderCases)('$name', ({ name }) => {
  it('starts the metastore with flags Hive 4.0.1 accepts', () => {
    const pod = metastorePod(renders.get(name)!);
    if (!pod) return expectNoStandaloneHive(renders.get(name)!);
    const metastore = pod.spec.containers.find((c) => c.name === 'metastore')!;
    expect(metastore.args).toBeUndefined();
    expect(launch(metastore.command as string[])).toEqual({ service: 'metastore', problems: [] });
    const schema = pod.spec.initContainers!.find((c) => c.name === 'schema')!;
    const [binary, ...args] = schema.command as string[];
    expect(binary).toBe(schemaTool.path);
    expect(rejected(args, schemaTool.grammar)).toEqual([]);
    expect(args).toContain('-initOrUpgradeSchema');
  });

  it('puts S3A on the classpath the way the image’s Hadoop 3.3.6 does, with an SDK v1 credential provider', () => {
    const objects = renders.get(name)!;
    const pod = metastorePod(objects);
    if (!pod) return expectNoStandaloneHive(objects);
    const env = (c: Container) => Object.fromEntries(((c.env ?? []) as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
    for (const c of [...pod.spec.initContainers!.filter((i) => i.name === 'schema'), ...pod.spec.containers])
      expect((env(c).HADOOP_OPTIONAL_TOOLS ?? '').split(','), c.name).toContain(hadoopInHiveImage.s3aTool);
    const conf = byKind(objects, 'ConfigMap').find((c) => c.metadata.name.endsWith('-hive-metastore')) as unknown as { data: Record<string, string> };
    const provider = /<name>fs\.s3a\.aws\.credentials\.provider<\/name><value>([^<]+)<\/value>/.exec(conf.data['core-site.xml']!)?.[1];
    expect(provider).toMatch(new RegExp(`^${hadoopInHiveImage.credentialProviderPackage.replace(/\./g, '\\.')}`));
  });
});
