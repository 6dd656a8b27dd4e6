// The manifests a cluster run submits, built without a cluster: every number from the one sizing
// model, the fixed Spark tuning, catalog settings per combination, overrides and the ceiling.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DATAGEN_POD, EXECUTOR_CEILING, datagenPods, jobSizing, maxPartitionBytesMb } from '../../runner/src/model/sizing.js';
import { clusterDatasetParams } from '../../runner/src/datagen/datagen-task.js';
import { BATCH_STAGES, type BatchStage } from '../../runner/src/model/stage-report.js';
import { clusterSettings } from '../../runner/src/platforms/kubernetes/manifests/cluster-settings.js';
import { planYaml, runPlan, type PlannedObject } from '../../runner/src/platforms/kubernetes/manifests/plan.js';
import { sparkApplicationManifest, type SparkApplication } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import type { JobManifest } from '../../runner/src/platforms/kubernetes/manifests/datagen-job.js';
import { clusterConfig, COMBINATIONS, RUN_ID } from '../kubernetes/plan-configs.js';

const apps = (objects: PlannedObject[]) => objects.filter((o): o is SparkApplication => o.kind === 'SparkApplication');
const jobOf = (objects: PlannedObject[]) => objects.find((o): o is JobManifest => o.kind === 'Job')!;
const app = (scale: number, stage: BatchStage = 'silver-build', spark: Record<string, unknown> = {}) =>
  sparkApplicationManifest({ settings: clusterSettings(clusterConfig('hive-iceberg', { spark })), job: stage, runId: RUN_ID, scale, scriptsConfigMap: 'scripts', jobConfigMap: 'job' });

describe('plan: the objects of a batch run', () => {
  it('lists the scripts, three stage documents, the datagen task and Job, and three SparkApplications', () => {
    const plan = runPlan(clusterConfig('hive-iceberg'), { runId: RUN_ID });
    expect(plan.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      expect.stringMatching(/^ConfigMap\/lakebench-spark-scripts-[0-9a-f]{8}$/),
      `ConfigMap/lakebench-bronze-verify-${RUN_ID}`,
      `ConfigMap/lakebench-silver-build-${RUN_ID}`,
      `ConfigMap/lakebench-gold-finalize-${RUN_ID}`,
      `ConfigMap/lakebench-datagen-${RUN_ID}`,
      'Job/lakebench-datagen',
      'SparkApplication/lakebench-bronze-verify',
      'SparkApplication/lakebench-silver-build',
      'SparkApplication/lakebench-gold-finalize',
    ]);
    for (const o of plan.objects) expect(o.metadata.namespace).toBe('lakebench');
    for (const a of apps(plan.objects)) {
      expect(a.metadata.labels['lakebench.io/run-id']).toBe(RUN_ID);
      expect(a.spec.driver.template.spec?.volumes?.find((v) => v.name === 'job-config')?.configMap?.name).toBe(`lakebench-${a.metadata.labels['lakebench.io/stage']}-${RUN_ID}`);
      expect(a.spec.executor.template.spec?.volumes?.find((v) => v.name === 'scripts')?.configMap?.name).toBe(plan.objects[0]!.metadata.name);
    }
  });

  it('prints exactly those objects as multi-document YAML behind a commented sizing table', () => {
    const plan = runPlan(clusterConfig('polaris-iceberg', { scale: 10 }), { runId: RUN_ID });
    const text = planYaml(plan);
    expect(text.split('\n---\n')[0]!.split('\n').every((l) => l.startsWith('#'))).toBe(true);
    expect(text).toMatch(/# silver-build +8 +4 CPU \/ 60 GiB/);
    const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((d) => d !== null);
    expect(docs).toEqual(JSON.parse(JSON.stringify(plan.objects)));
  });

  it('takes executors, cores, heap, overhead, driver memory and result size from the sizing model', () => {
    for (const scale of [0.01, 1, 10, 50, 100, 200, 1000]) {
      for (const stage of BATCH_STAGES) {
        const { manifest: m } = app(scale, stage);
        const s = jobSizing(stage, scale);
        expect(m.spec.executor.instances).toBe(s.executors);
        expect(m.spec.executor.cores).toBe(s.executorCores);
        expect(parseInt(m.spec.executor.memory) + parseInt(m.spec.executor.memoryOverhead)).toBe(s.executorMemoryGb);
        expect([m.spec.driver.cores, parseInt(m.spec.driver.memory), parseInt(m.spec.driver.memoryOverhead)]).toEqual([s.driverCores, s.driverMemoryGb, s.driverOverheadGb]);
        expect(m.spec.sparkConf['spark.driver.maxResultSize']).toBe(`${Math.floor(s.maxResultSizeGb)}g`);
        expect(m.spec.sparkConf['spark.sql.shuffle.partitions']).toBe(String(s.shufflePartitions));
        expect(m.spec.sparkConf['spark.sql.files.maxPartitionBytes']).toBe(`${Math.floor(maxPartitionBytesMb(scale))}m`);
      }
    }
  });

  it('keeps executor counts non-decreasing in scale and within the ceiling', () => {
    const grid: number[] = [];
    for (let s = 0.01; s <= 100_000; s *= 1.19) grid.push(s);
    for (const stage of BATCH_STAGES) {
      const counts = grid.map((s) => app(s, stage).manifest.spec.executor.instances);
      counts.slice(1).forEach((n, i) => expect(n, `${stage} at ${grid[i + 1]}`).toBeGreaterThanOrEqual(counts[i]!));
      expect(Math.max(...counts)).toBeLessThanOrEqual(EXECUTOR_CEILING);
      expect(counts[0]).toBeGreaterThan(0);
    }
  });

  it('lets a per-stage override win, and refuses one above 28 without acknowledgement', () => {
    expect(app(1000, 'silver-build', { executors: { 'silver-build': 3 } }).manifest.spec.executor.instances).toBe(3);
    expect(() => app(1, 'silver-build', { executors: { 'silver-build': 32 } })).toThrow(/32 executors is above the ceiling of 28.*allowOverCeiling/);
    const over = app(1, 'silver-build', { executors: { 'silver-build': 32 }, allowOverCeiling: true }).manifest;
    expect(over.spec.executor.instances).toBe(32);
    expect(over.metadata.annotations['lakebench.io/executors-over-ceiling']).toBe('true');
    expect(app(1, 'bronze-verify', { executors: { 'silver-build': 32 }, allowOverCeiling: true }).manifest.spec.executor.instances).toBe(4);
  });

  it('builds small-cluster pods from cluster.spark.resources and datagen.pod, and the plan requirement agrees', () => {
    const small = { executorCores: 1, executorHeapGb: 2, executorOverheadGb: 1, driverCores: 1, driverMemoryGb: 2, scratchGi: 5 };
    const config = clusterConfig('hive-iceberg', { scale: 1, spark: { executors: { 'silver-build': 2 }, resources: { 'silver-build': small } }, datagen: { pod: { cpu: 1, memoryGb: 2 } } });
    const plan = runPlan(config, { runId: RUN_ID });
    const silver = apps(plan.objects).find((a) => a.metadata.name === 'lakebench-silver-build')!.spec;
    expect([silver.executor.instances, silver.executor.cores, silver.executor.memory, silver.executor.memoryOverhead]).toEqual([2, 1, '2g', '1g']);
    expect([silver.driver.cores, silver.driver.memory, silver.driver.memoryOverhead]).toEqual([1, '2g', '1g']);
    const scratch = silver.executor.template.spec?.volumes?.find((v) => v.ephemeral)?.ephemeral?.volumeClaimTemplate?.spec.resources?.requests?.storage;
    expect(scratch).toBe('5Gi');
    // bronze-verify has no override: still the profile's 2 cores, 4 + 2 GiB.
    const bronze = apps(plan.objects).find((a) => a.metadata.name === 'lakebench-bronze-verify')!.spec;
    expect([bronze.executor.cores, bronze.executor.memory, bronze.executor.memoryOverhead]).toEqual([2, '4g', '2g']);
    expect(jobOf(plan.objects).spec!.template.spec!.containers[0]!.resources?.requests).toEqual({ cpu: '1', memory: '2Gi' });
    const silverReq = plan.requirement.jobs.find((j) => j.job === 'silver-build')!;
    expect([silverReq.cores, silverReq.memoryGb]).toEqual([3, 9]);
    expect(plan.requirement.datagen).toEqual({ pods: 1, cpu: 1, memoryGb: 2 });
  });

  it('sizes the datagen Job from the model unless the config fixes the pod count', () => {
    for (const scale of [0.1, 10, 95, 1000]) {
      const job = jobOf(runPlan(clusterConfig('hive-iceberg', { scale: Math.min(scale, 100) }), { runId: RUN_ID, scale }).objects).spec!;
      expect([job.completions, job.parallelism, job.completionMode]).toEqual([datagenPods(scale), datagenPods(scale), 'Indexed']);
      const c = job.template.spec!.containers[0]!;
      expect(c.args).toEqual(['datagen-worker', '--index', '$(JOB_COMPLETION_INDEX)', '--pods', String(datagenPods(scale)), '--task', '/etc/lakebench/datagen/task.json', '--work-dir', '/var/lib/lakebench-datagen']);
      expect(c.resources?.requests).toEqual({ cpu: String(DATAGEN_POD.cpu), memory: `${DATAGEN_POD.memoryGb}Gi` });
      expect(job.backoffLimitPerIndex).toBeGreaterThan(0);
    }
    const fixed = runPlan(clusterConfig('hive-iceberg', { datagen: { parallelism: 7 } }), { runId: RUN_ID });
    expect(jobOf(fixed.objects).spec!.completions).toBe(7);
    expect(fixed.requirement.datagen.pods).toBe(7);
    const task = fixed.objects.find((o) => o.metadata.name === `lakebench-datagen-${RUN_ID}`) as { data: Record<string, string> };
    expect(JSON.parse(task.data['task.json']!).dataset).toEqual(clusterDatasetParams(clusterConfig('hive-iceberg')));
  });
});

describe('plan: Spark settings per catalog and table format', () => {
  it.each(COMBINATIONS)('%s: S3A with its region, path style, UTC, AQE, UI off and the catalog', (combination) => {
    const [bronze] = apps(runPlan(clusterConfig(combination), { runId: RUN_ID }).objects);
    const conf = bronze!.spec.sparkConf;
    expect(conf).toMatchObject({
      'spark.hadoop.fs.s3a.endpoint': 'http://lakebench-garage.lakebench.svc:3900',
      'spark.hadoop.fs.s3a.endpoint.region': 'garage',
      'spark.hadoop.fs.s3a.path.style.access': 'true',
      'spark.hadoop.fs.s3a.connection.maximum': '200',
      'spark.hadoop.fs.s3a.threads.max': '100',
      'spark.hadoop.fs.s3a.multipart.threshold': '256M',
      'spark.sql.session.timeZone': 'UTC',
      'spark.sql.adaptive.enabled': 'true',
      'spark.dynamicAllocation.enabled': 'false',
      'spark.ui.enabled': 'false',
      'spark.sql.catalog.lakehouse.client.region': 'garage',
      'spark.sql.catalog.lakehouse.s3.multipart.num-threads': '32',
    });
    const driverEnv = bronze!.spec.driver.template.spec!.containers[0]!.env!.map((e) => e.name);
    if (combination === 'polaris-iceberg') {
      expect(conf).toMatchObject({ 'spark.sql.catalog.lakehouse.type': 'rest', 'spark.sql.catalog.lakehouse.uri': 'http://lakebench-polaris:8181/api/catalog', 'spark.sql.catalog.lakehouse.warehouse': 'lakehouse' });
      expect(driverEnv).toEqual(expect.arrayContaining(['POLARIS_CLIENT_ID', 'POLARIS_CLIENT_SECRET', 'LAKEBENCH_CATALOG_CREDENTIAL']));
      // The pair is composed by the kubelet, so both halves must be listed before it.
      expect(driverEnv.indexOf('LAKEBENCH_CATALOG_CREDENTIAL')).toBeGreaterThan(driverEnv.indexOf('POLARIS_CLIENT_SECRET'));
    } else {
      expect(conf).toMatchObject({ 'spark.sql.catalog.lakehouse.type': 'hive', 'spark.sql.catalog.lakehouse.uri': 'thrift://lakebench-hive-metastore:9083', 'spark.sql.catalog.lakehouse.warehouse': 's3a://lakebench-silver/warehouse' });
      expect(driverEnv).not.toContain('POLARIS_CLIENT_SECRET');
    }
    expect(conf['spark.sql.catalog.spark_catalog'] === 'org.apache.spark.sql.delta.catalog.DeltaCatalog').toBe(combination === 'hive-delta');
    expect(conf['spark.sql.extensions']!.includes('DeltaSparkSessionExtension')).toBe(combination === 'hive-delta');
    expect(bronze!.spec.deps.packages.some((p) => p.startsWith('io.delta:'))).toBe(combination === 'hive-delta');
    expect(Object.keys(conf).filter((k) => /credential|secret|password|token/i.test(k) && k !== 'spark.redaction.regex')).toEqual([]);
  });

  it('restarts batch jobs twice, 30 s apart, and gives each executor a scratch claim of its profile size', () => {
    const [, silver] = apps(runPlan(clusterConfig('hive-iceberg', { spark: { scratchStorageClass: 'px-csi-scratch' } }), { runId: RUN_ID }).objects);
    expect(silver!.spec.restartPolicy).toMatchObject({ type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 30 });
    const scratch = silver!.spec.executor.template.spec!.volumes!.find((v) => v.name === 'spark-local-dir-1')!;
    expect(scratch.ephemeral?.volumeClaimTemplate?.spec).toMatchObject({ storageClassName: 'px-csi-scratch', resources: { requests: { storage: '150Gi' } } });
    expect(silver!.spec.executor.template.spec!.containers[0]!.volumeMounts!.map((m) => m.name)).toContain('spark-local-dir-1');
  });
});
