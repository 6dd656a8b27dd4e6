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

// Spark 3.5 bundles Hadoop 3.3.4, whose S3A still runs on the AWS SDK v1 bundle: nothing to exclude.
const SPARK3 = {
  base: ['org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:1.10.1', 'org.apache.iceberg:iceberg-aws-bundle:1.10.1', 'org.apache.hadoop:hadoop-aws:3.3.4'],
  delta: ['io.delta:delta-spark_2.12:3.3.2'],
  exclude: [] as string[],
};

export function sparkPackages(s: ClusterSettings): { packages: string[]; excludePackages: string[] } {
  const set = s.spark.version === '4' ? SPARK4 : SPARK3;
  if (s.spark.packages) return { packages: s.spark.packages, excludePackages: set.exclude };
  return { packages: [...set.base, ...(s.tableFormat === 'delta' ? set.delta : [])], excludePackages: set.exclude };
}
