// Maven packages the jobs need on top of the Apache Spark image, per Spark major version. The Iceberg
// AWS bundle already holds the AWS SDK v2 classes S3A needs, so hadoop-aws's 558 MB SDK bundle is
// excluded (docs/pipeline.md §9.4: never a second SDK bundle on Spark 4); the small transfer manager of
// the same SDK version completes it. Same set as the engines tier (test/setup/engines/spark-jars.lock).
import type { ClusterSettings } from './cluster-settings.js';

const SPARK4 = {
  base: [
    'org.apache.iceberg:iceberg-spark-runtime-4.0_2.13:1.10.1',
    'org.apache.iceberg:iceberg-aws-bundle:1.10.1',
    'org.apache.hadoop:hadoop-aws:3.4.1',
    'software.amazon.awssdk:s3-transfer-manager:2.33.0',
  ],
  delta: ['io.delta:delta-spark_2.13:4.0.1'],
  exclude: ['software.amazon.awssdk:bundle'],
};

// Iceberg's HiveCatalog talks to the metastore through whichever Hive client is on the classpath.
// Spark 4.0.1 ships Hive 2.3.10's, whose getTable makes the Thrift call `get_table` that the Hive
// Metastore 4.0.1 (the chart's) no longer serves ("Invalid method name: 'get_table'"). Hive 4's
// client makes `get_table_req` and keeps every other method Iceberg 1.10.1 calls; it is loaded ahead
// of Spark's copy on the driver (spark.driver.userClassPathFirst, spark-conf.ts), and executors get
// it from the driver. Its own dependencies are excluded: they would shadow Spark's (Thrift, Guava,
// Jackson, gRPC …), and the client needs none that Spark lacks.
const HIVE4_CLIENT = 'org.apache.hive:hive-standalone-metastore-common:4.0.1';
const HIVE4_CLIENT_EXCLUDES = [
  'org.apache.commons:commons-jexl3',
  'io.grpc:grpc-netty-shaded',
  'io.grpc:grpc-protobuf',
  'io.grpc:grpc-stub',
  'javax.annotation:javax.annotation-api',
  'org.apache.orc:orc-core',
  'com.fasterxml.jackson.core:jackson-databind',
  'com.github.joshelser:dropwizard-metrics-hadoop-metrics2-reporter',
  'com.google.guava:guava',
  'com.google.protobuf:protobuf-java',
  'com.zaxxer:HikariCP',
  'io.dropwizard.metrics:metrics-core',
  'io.dropwizard.metrics:metrics-jvm',
  'io.dropwizard.metrics:metrics-json',
  'javolution:javolution',
  'org.antlr:ST4',
  'org.apache.commons:commons-lang3',
  'org.apache.derby:derby',
  'org.apache.hive:hive-storage-api',
  'org.apache.thrift:libfb303',
  'org.apache.thrift:libthrift',
  'commons-logging:commons-logging',
  'org.apache.zookeeper:zookeeper',
  'com.github.ben-manes.caffeine:caffeine',
  'org.apache.curator:curator-recipes',
  'org.apache.curator:curator-framework',
  'org.slf4j:slf4j-api',
];

// Spark 3.5 bundles Hadoop 3.3.4, whose S3A still runs on the AWS SDK v1 bundle: nothing to exclude.
const SPARK3 = {
  base: ['org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.10.1', 'org.apache.iceberg:iceberg-aws-bundle:1.10.1', 'org.apache.hadoop:hadoop-aws:3.3.4'],
  delta: ['io.delta:delta-spark_2.12:3.3.2'],
  exclude: [] as string[],
};

/** Whether the jobs load Hive 4's metastore client ahead of Spark's (Spark 4 against the Hive catalog). */
export const usesHive4Client = (s: ClusterSettings): boolean => s.spark.version === '4' && s.catalog.kind === 'hive';

export function sparkPackages(s: ClusterSettings): { packages: string[]; excludePackages: string[] } {
  const set = s.spark.version === '4' ? SPARK4 : SPARK3;
  const hive = usesHive4Client(s);
  const excludePackages = [...set.exclude, ...(hive ? HIVE4_CLIENT_EXCLUDES : [])];
  if (s.spark.packages) return { packages: s.spark.packages, excludePackages };
  return { packages: [...set.base, ...(hive ? [HIVE4_CLIENT] : []), ...(s.tableFormat === 'delta' ? set.delta : [])], excludePackages };
}
