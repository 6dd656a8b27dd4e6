// The sparkConf of every SparkApplication: the fixed tuning of docs/pipeline.md §9.4 plus the storage and
// catalog settings of the configured lakehouse. The PySpark jobs apply the same settings again when
// they start (spark-scripts/lakebench_sparkconf.py) and keep what the submission set; settings read
// only at JVM start (UI, heartbeat, JVM options, result size) must be here. Secrets are not: the REST
// catalog's credential is set by the job from an environment variable.
import type { JobSizing } from '../../../model/sizing.js';
import { maxPartitionBytesMb } from '../../../model/sizing.js';
import type { ClusterSettings } from './cluster-settings.js';
import { usesHive4Client } from './spark-packages.js';

const MB = 2 ** 20;
const ICEBERG_EXTENSIONS = 'org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions';
const DELTA_EXTENSIONS = 'io.delta.sql.DeltaSparkSessionExtension';
/** Spark's default redaction misses "credential" (the REST catalog's OAuth2 client secret). */
export const REDACTION_REGEX = '(?i)secret|password|token|access[.]key|credential';

export function s3aConf(s: ClusterSettings): Record<string, string> {
  const h = 'spark.hadoop.fs.s3a';
  return {
    [`${h}.endpoint`]: s.storage.endpoint,
    // Without a region S3A signs for a default one, and region-strict stores answer HTTP 400.
    [`${h}.endpoint.region`]: s.storage.region,
    [`${h}.path.style.access`]: String(s.storage.pathStyle),
    [`${h}.connection.ssl.enabled`]: String(s.storage.endpoint.startsWith('https:')),
    [`${h}.connection.maximum`]: '200',
    [`${h}.threads.max`]: '100',
    [`${h}.multipart.threshold`]: '256M',
    [`${h}.multipart.size`]: '256M',
    [`${h}.block.size`]: '256M',
    [`${h}.fast.upload.buffer`]: 'bytebuffer',
    [`${h}.connection.timeout`]: '60s',
  };
}

/** The Iceberg catalog (Hive thrift or REST), reading and writing S3 with S3FileIO. */
export function catalogConf(s: ClusterSettings): Record<string, string> {
  const c = s.catalog;
  const p = `spark.sql.catalog.${c.name}`;
  const conf: Record<string, string> = { [p]: 'org.apache.iceberg.spark.SparkCatalog', [`${p}.type`]: c.kind, [`${p}.uri`]: c.uri };
  if (c.warehouse) conf[`${p}.warehouse`] = c.warehouse;
  if (c.kind === 'rest' && c.oauth2) {
    if (c.oauth2.server_uri) conf[`${p}.oauth2-server-uri`] = c.oauth2.server_uri;
    if (c.oauth2.scope) conf[`${p}.scope`] = c.oauth2.scope;
  }
  Object.assign(conf, {
    [`${p}.io-impl`]: 'org.apache.iceberg.aws.s3.S3FileIO',
    [`${p}.s3.endpoint`]: s.storage.endpoint,
    [`${p}.s3.path-style-access`]: String(s.storage.pathStyle),
    [`${p}.client.region`]: s.storage.region,
    [`${p}.s3.multipart.size`]: String(256 * MB),
    [`${p}.s3.multipart.num-threads`]: '32',
  });
  if (s.tableFormat === 'delta') conf['spark.sql.catalog.spark_catalog'] = 'org.apache.spark.sql.delta.catalog.DeltaCatalog';
  // The driver only: executors take the jar from it, and child-first on executors splits Iceberg's
  // table classes across two class loaders (ClassCastException on SerializableTableWithSize).
  if (usesHive4Client(s)) conf['spark.driver.userClassPathFirst'] = 'true';
  return conf;
}

export function tuningConf(sizing: JobSizing, scale: number): Record<string, string> {
  // Iceberg's shared worker pool also encodes manifests; §9.4 asks for 16 threads.
  const jvm = '-XX:+UseG1GC -Diceberg.worker.num-threads=16 -Djava.io.tmpdir=/tmp';
  return {
    'spark.sql.session.timeZone': 'UTC',
    'spark.sql.adaptive.enabled': 'true',
    'spark.sql.adaptive.coalescePartitions.enabled': 'true',
    'spark.sql.adaptive.skewJoin.enabled': 'true',
    'spark.sql.adaptive.advisoryPartitionSizeInBytes': '256m',
    'spark.sql.files.maxPartitionBytes': `${Math.floor(maxPartitionBytesMb(scale))}m`,
    'spark.sql.shuffle.partitions': String(sizing.shufflePartitions),
    'spark.dynamicAllocation.enabled': 'false',
    'spark.network.timeout': '600s',
    'spark.executor.heartbeatInterval': '30s',
    'spark.task.maxFailures': '4',
    'spark.driver.extraJavaOptions': jvm,
    'spark.executor.extraJavaOptions': jvm,
    'spark.driver.maxResultSize': `${Math.floor(sizing.maxResultSizeGb)}g`,
    // The UI stalled drivers with 5,000+ tasks: off, and the state it would retain capped.
    'spark.ui.enabled': 'false',
    'spark.ui.retainedJobs': '100',
    'spark.ui.retainedStages': '100',
    'spark.ui.retainedTasks': '1000',
    'spark.sql.ui.retainedExecutions': '50',
    'spark.redaction.regex': REDACTION_REGEX,
  };
}

/** The driver UI port, where Prometheus scrapes the servlets below (container port `spark-ui`). */
export const SPARK_UI_PORT = 4040;
export const DRIVER_METRICS_PATH = '/metrics/prometheus';
/** Served by the driver: one series per executor (Spark's PrometheusResource; executors serve no HTTP). */
export const EXECUTOR_METRICS_PATH = '/metrics/executors/prometheus';
/** Metric names start with this instead of the per-run application id (metrics_lakebench_driver_…). */
export const METRICS_NAMESPACE = 'lakebench';

/**
 * Spark's own Prometheus endpoints on the driver UI port: the PrometheusServlet sink with the JVM
 * source (driver metrics) and the executor summary. Both are UI servlets, so the UI must run; the
 * retained-state caps of tuningConf keep it small.
 */
export function prometheusConf(): Record<string, string> {
  const sink = 'spark.metrics.conf.*.sink.prometheusServlet';
  return {
    'spark.ui.enabled': 'true',
    'spark.ui.port': String(SPARK_UI_PORT),
    'spark.ui.prometheus.enabled': 'true',
    [`${sink}.class`]: 'org.apache.spark.metrics.sink.PrometheusServlet',
    [`${sink}.path`]: DRIVER_METRICS_PATH,
    'spark.metrics.conf.driver.source.jvm.class': 'org.apache.spark.metrics.source.JvmSource',
    'spark.metrics.namespace': METRICS_NAMESPACE,
  };
}

export function sparkConf(s: ClusterSettings, sizing: JobSizing, scale: number): Record<string, string> {
  const extensions = s.tableFormat === 'delta' ? `${ICEBERG_EXTENSIONS},${DELTA_EXTENSIONS}` : ICEBERG_EXTENSIONS;
  const conf = {
    ...tuningConf(sizing, scale),
    ...(s.spark.prometheusMetrics ? prometheusConf() : {}),
    ...s3aConf(s),
    ...catalogConf(s),
    'spark.sql.extensions': extensions,
    // Packages resolve on the driver into a writable cache; executors fetch them from the driver.
    'spark.jars.ivy': '/tmp/ivy',
  };
  return Object.fromEntries(Object.entries(conf).sort(([a], [b]) => a.localeCompare(b)));
}
