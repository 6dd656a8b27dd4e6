// The Hive Metastore 4.0.1 no longer serves the Thrift call `get_table` that Spark 4.0.1's bundled
// Hive 2.3.10 client makes for Iceberg's HiveCatalog; the jobs then load Hive 4's client ahead of
// Spark's, on the driver only, without its dependencies. Proven end to end by
// test/cluster/runner.test.ts (silver-build failed with "Invalid method name: 'get_table'" without it).
import { describe, expect, it } from 'vitest';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { sparkApplicationManifest } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import { clusterConfig, RUN_ID, type Combination } from '../kubernetes/plan-configs.js';

const HIVE4_CLIENT = 'org.apache.hive:hive-standalone-metastore-common:4.0.1';
const app = (combination: Combination, spark: Record<string, unknown> = {}) =>
  sparkApplicationManifest({ settings: clusterSettings(clusterConfig(combination, { spark })), job: 'silver-build', runId: RUN_ID, scale: 0.01, scriptsConfigMap: 's', jobConfigMap: 'j' }).manifest.spec;

describe('the Hive 4 metastore client for Iceberg on Spark 4', () => {
  it.each(['hive-iceberg', 'hive-delta'] as const)('%s: the client is a package, loaded first on the driver only', (combination) => {
    const spec = app(combination);
    expect(spec.deps.packages).toContain(HIVE4_CLIENT);
    expect(spec.sparkConf['spark.driver.userClassPathFirst']).toBe('true');
    // Child-first executors split Iceberg's table classes across two loaders.
    expect(spec.sparkConf['spark.executor.userClassPathFirst']).toBeUndefined();
  });

  it('keeps the client\'s own dependencies out, so they cannot shadow Spark\'s', () => {
    const excluded = app('hive-iceberg').deps.excludePackages ?? [];
    for (const dep of ['org.apache.thrift:libthrift', 'com.google.guava:guava', 'com.fasterxml.jackson.core:jackson-databind', 'io.grpc:grpc-netty-shaded', 'org.slf4j:slf4j-api']) {
      expect(excluded, dep).toContain(dep);
    }
    expect(excluded).toContain('software.amazon.awssdk:bundle');
  });

  it('is not added for a REST catalog (Polaris), nor on Spark 3.5', () => {
    for (const spec of [app('polaris-iceberg'), app('hive-iceberg', { version: '3' })]) {
      expect(spec.deps.packages).not.toContain(HIVE4_CLIENT);
      expect(spec.sparkConf['spark.driver.userClassPathFirst']).toBeUndefined();
      expect(spec.deps.excludePackages ?? []).not.toContain('org.apache.thrift:libthrift');
    }
  });
});
