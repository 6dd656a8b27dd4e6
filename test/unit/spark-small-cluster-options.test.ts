// Two options for small and air-gapped clusters, found running the runner on the 2-CPU cluster-tier
// node: per-stage CPU requests below Spark's cores, and a Maven mirror for the drivers' packages.
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../runner/src/util/errors.js';
import { jobSizing, requirement } from '../../runner/src/model/sizing.js';
import { sizingOptions } from '../../runner/src/model/sizing-options.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { cpuQuantity, sparkApplicationManifest } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import { MAVEN_REPOSITORY_ENV } from '../../runner/src/platforms/kubernetes/manifests/spark-pod-templates.js';
import { clusterConfig, RUN_ID } from '../kubernetes/plan-configs.js';

const small = { executorCores: 1, driverCores: 1, executorCoreRequest: 0.1, driverCoreRequest: 0.25 };
const manifest = (spark: Record<string, unknown>) =>
  sparkApplicationManifest({ settings: clusterSettings(clusterConfig('hive-iceberg', { spark })), job: 'bronze-verify', runId: RUN_ID, scale: 0.01, scriptsConfigMap: 's', jobConfigMap: 'j' }).manifest;

describe('core requests below the cores (cluster.spark.resources.<stage>.executorCoreRequest / driverCoreRequest)', () => {
  it('set the pods\' CPU requests as quantities while Spark keeps its cores', () => {
    const app = manifest({ executors: { 'bronze-verify': 2 }, resources: { 'bronze-verify': small } });
    expect(app.spec.executor.coreRequest).toBe('100m');
    expect(app.spec.driver.coreRequest).toBe('250m');
    expect(app.spec.executor.cores).toBe(1);
    expect(app.spec.driver.cores).toBe(1);
  });

  it('default to the cores, as before', () => {
    const app = manifest({ resources: { 'bronze-verify': { executorCores: 2, driverCores: 1 } } });
    expect(app.spec.executor.coreRequest).toBe('2');
    expect(app.spec.driver.coreRequest).toBe('1');
  });

  it('are what the sizing model and the capacity preflight count', () => {
    expect(jobSizing('bronze-verify', 0.01, { override: { executors: 2, ...small } }).cores).toBeCloseTo(0.45);
    const config = clusterConfig('hive-iceberg', { spark: { resources: { 'bronze-verify': small, 'silver-build': small, 'gold-finalize': small } } });
    const req = requirement(0.01, { cpu: 0, memoryGb: 0 }, sizingOptions(config));
    expect(req.largestPod.cpu).toBe(4); // the datagen pod's default, now the largest request
    // silver-build's 8 executors at scale 0.01: 8 × 0.1 + 0.25, not 8 × 1 + 1.
    expect(req.batchPeak.cores).toBeCloseTo(8 * 0.1 + 0.25);
  });

  it('turn into millicores, whole cores staying whole', () => {
    expect([cpuQuantity(0.1), cpuQuantity(0.25), cpuQuantity(1.5), cpuQuantity(2), cpuQuantity(0.0001)]).toEqual(['100m', '250m', '1500m', '2', '1m']);
  });

  it('refuses a zero or negative request, naming the field', () => {
    expect(() => clusterConfig('hive-iceberg', { spark: { resources: { 'bronze-verify': { executorCoreRequest: 0 } } } })).toThrow(BadInputError);
    expect(() => clusterConfig('hive-iceberg', { spark: { resources: { 'bronze-verify': { driverCoreRequest: -1 } } } })).toThrow(/driverCoreRequest: Too small: expected number to be >0/);
  });
});

describe('a Maven mirror for the drivers (cluster.spark.mavenRepository)', () => {
  const driverEnv = (spark: Record<string, unknown>) => manifest(spark).spec.driver.template.spec?.containers[0]?.env ?? [];

  it('is handed to the driver as DEFAULT_ARTIFACT_REPOSITORY, the root of Spark\'s Ivy resolvers', () => {
    expect(MAVEN_REPOSITORY_ENV).toBe('DEFAULT_ARTIFACT_REPOSITORY');
    expect(driverEnv({ mavenRepository: 'http://10.0.0.1:8081/maven2/' })).toContainEqual({ name: 'DEFAULT_ARTIFACT_REPOSITORY', value: 'http://10.0.0.1:8081/maven2/' });
  });

  it('is absent by default (Maven Central)', () => {
    expect(driverEnv({}).map((e) => e.name)).not.toContain('DEFAULT_ARTIFACT_REPOSITORY');
  });

  it('must be an http(s) URL', () => {
    expect(() => clusterConfig('hive-iceberg', { spark: { mavenRepository: 'ftp://mirror/maven2/' } })).toThrow(/mavenRepository: an http\(s\) URL of a Maven repository/);
    expect(() => clusterConfig('hive-iceberg', { spark: { mavenRepository: 'not a url' } })).toThrow(BadInputError);
  });
});
