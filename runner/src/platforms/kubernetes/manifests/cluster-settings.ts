// Everything the manifests need from the config's `cluster:` section, resolved once: defaults that
// mirror the Helm chart's names (charts/lakebench/templates/_helpers.tpl), the catalog in the job
// contract's shape, and the Secrets pods read credentials from. No credential value ever passes here.
import type { LakebenchConfig } from '../../../config/schema.js';
import { catalogFromConfig, type CatalogSettings } from '../../../spark-jobs/job-config.js';
import { BadInputError } from '../../../util/errors.js';

type Cluster = NonNullable<LakebenchConfig['cluster']>;

export type SecretKeyRef = { name: string; key: string };

export type ClusterSettings = {
  namespace: string;
  release: string;
  /** The chart's "<release>-lakebench" prefix (just the release when it already contains "lakebench"). */
  fullname: string;
  storage: { endpoint: string; region: string; pathStyle: boolean };
  buckets: { bronze: string; silver: string; gold: string };
  catalog: CatalogSettings;
  tableFormat: 'iceberg' | 'delta';
  spark: Cluster['spark'];
  runnerImage: string;
  secrets: {
    s3: { accessKeyId: SecretKeyRef; secretAccessKey: SecretKeyRef };
    /** Polaris only: the OAuth2 client the bootstrap Job created. */
    polaris: { clientId: SecretKeyRef; clientSecret: SecretKeyRef } | null;
  };
};

/** The runner image when the config does not name one (`lakebench plan` from a laptop): the Dockerfile's
 *  default name at 0.1.0. No registry serves it; the chart always names the user's own (runner.image). */
export const DEFAULT_RUNNER_IMAGE = 'ghcr.io/lakebench/lakebench-runner:0.1.0';
/** Variable the PySpark jobs read the REST catalog's `client_id:client_secret` from. */
export const CATALOG_CREDENTIAL_ENV = 'LAKEBENCH_CATALOG_CREDENTIAL';

export function chartFullname(release: string): string {
  const name = release.includes('lakebench') ? release : `${release}-lakebench`;
  return name.slice(0, 63).replace(/-+$/, '');
}

export function clusterSettings(config: LakebenchConfig): ClusterSettings {
  const c = config.cluster;
  if (!c) throw new BadInputError('the kubernetes platform needs a `cluster:` section (the Helm chart renders one)', 'cluster');
  if (!c.storage) throw new BadInputError('S3 endpoint and buckets are required', 'cluster.storage');
  if (!c.catalog) throw new BadInputError('the catalog (type, uri) is required', 'cluster.catalog');
  if (c.tableFormat === 'delta' && c.catalog.type === 'polaris') {
    throw new BadInputError('Delta tables need catalog.type hive (the validated Delta combination is Hive/Delta/Trino)', 'cluster.tableFormat');
  }
  const fullname = chartFullname(c.release);
  const s3Secret = c.storage.credentialsSecret ?? { name: `${fullname}-garage-key`, accessKeyIdKey: 'AWS_ACCESS_KEY_ID', secretAccessKeyKey: 'AWS_SECRET_ACCESS_KEY' };
  const polaris = c.catalog.credentialsSecret ?? { name: `${fullname}-polaris-client`, clientIdKey: 'clientId', clientSecretKey: 'clientSecret' };
  // Hive tables live under the silver bucket unless the config names a warehouse (docs/pipeline.md §1).
  const catalog = catalogFromConfig(
    c.catalog.type === 'hive' ? { ...c.catalog, warehouse: c.catalog.warehouse ?? `s3a://${c.storage.buckets.silver}/warehouse` } : c.catalog,
    CATALOG_CREDENTIAL_ENV,
  );
  return {
    namespace: c.namespace,
    release: c.release,
    fullname,
    storage: { endpoint: c.storage.endpoint, region: c.storage.region, pathStyle: c.storage.pathStyle },
    buckets: c.storage.buckets,
    catalog,
    tableFormat: c.tableFormat,
    spark: c.spark,
    runnerImage: c.runnerImage ?? DEFAULT_RUNNER_IMAGE,
    secrets: {
      s3: { accessKeyId: { name: s3Secret.name, key: s3Secret.accessKeyIdKey }, secretAccessKey: { name: s3Secret.name, key: s3Secret.secretAccessKeyKey } },
      polaris: c.catalog.type === 'polaris' ? { clientId: { name: polaris.name, key: polaris.clientIdKey }, clientSecret: { name: polaris.name, key: polaris.clientSecretKey } } : null,
    },
  };
}
