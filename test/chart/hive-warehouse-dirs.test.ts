// The standalone metastore's two warehouse roots. Hive 4's MetastoreDefaultTransformer, once
// metastore.warehouse.external.dir is set, rejects every external table (all Iceberg tables are
// external) whose path, compared without scheme and authority (so without the bucket), lies under
// metastore.warehouse.dir: "An external table's location should not be located within managed
// warehouse root directory". With both set to the same place, no Iceberg table could be created;
// the cluster tier saw exactly that from Trino on a real metastore.
import { beforeAll, expect, it } from 'vitest';
import { renderCases } from './helpers/matrix.js';
import { byKind, helmTemplate, type K8sObject } from './helpers/render.js';
import { requireTools } from './helpers/tools.js';

/** Path of an s3a:// URI without scheme and bucket, as Hadoop's Path.getPathWithoutSchemeAndAuthority gives it. */
const pathOnly = (uri: string) => new URL(uri).pathname.replace(/\/+$/, '');
const isUnder = (child: string, parent: string) => child === parent || child.startsWith(`${parent}/`);
const property = (xml: string, name: string) => new RegExp(`<name>${name.replace(/\./g, '\\.')}</name><value>([^<]+)</value>`).exec(xml)?.[1];

const hiveSites = new Map<string, string>();
beforeAll(() => {
  requireTools();
  for (const c of renderCases) {
    const objects: K8sObject[] = helmTemplate('helm3', c.files).objects;
    const conf = byKind(objects, 'ConfigMap').find((o) => o.metadata.name.endsWith('-hive-metastore')) as unknown as { data: Record<string, string> } | undefined;
    if (conf?.data['hive-site.xml']) hiveSites.set(c.name, conf.data['hive-site.xml']);
  }
});

it('renders a standalone metastore configuration in several values files (the check below is not vacuous)', () => {
  expect(hiveSites.size).toBeGreaterThanOrEqual(8);
});

it('keeps the external (Iceberg) warehouse outside the managed one, compared as Hive compares them', () => {
  for (const [name, xml] of hiveSites) {
    const managed = property(xml, 'metastore.warehouse.dir');
    const external = property(xml, 'metastore.warehouse.external.dir');
    expect(managed, `${name}: metastore.warehouse.dir`).toBeDefined();
    expect(external, `${name}: metastore.warehouse.external.dir`).toBeDefined();
    expect(isUnder(pathOnly(external!), pathOnly(managed!)), `${name}: ${external} lies under ${managed}`).toBe(false);
  }
});
