// `lakebench plan` for a continuous config: the objects a continuous run submits (the base set's
// datagen, the three streaming jobs' documents and applications, the landing task and Job) instead of
// the batch stages, with the streaming sizing and budget in the header.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validateConfig } from '../../runner/src/config/load.js';
import { runPlan } from '../../runner/src/platforms/kubernetes/manifests/plan.js';
import { continuousPlanYaml } from '../../runner/src/platforms/kubernetes/streaming/continuous-plan.js';
import { declaredClusterCpu } from '../../runner/src/platforms/kubernetes/streaming/streaming-sizing.js';
import { clusterConfigInput, RUN_ID } from '../kubernetes/plan-configs.js';

const config = validateConfig({ ...clusterConfigInput('hive-iceberg', { scale: 100, nodes: { count: 4, cpu: 16, memoryGb: 128 } }), pipeline: { mode: 'continuous' }, continuous: { durationSeconds: 600 } }, 'test');

describe('plan of a continuous run', () => {
  const yaml = continuousPlanYaml(config, runPlan(config, { runId: RUN_ID }), undefined, declaredClusterCpu(config));
  const objects = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: { executor?: { instances: number } } });

  it('lists the streaming objects and no batch stage', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      expect.stringMatching(/^ConfigMap\/lakebench-spark-scripts-[0-9a-f]{8}$/),
      `ConfigMap/lakebench-datagen-${RUN_ID}`,
      'Job/lakebench-datagen',
      `ConfigMap/lakebench-bronze-ingest-${RUN_ID}`,
      `ConfigMap/lakebench-silver-stream-${RUN_ID}`,
      `ConfigMap/lakebench-gold-refresh-${RUN_ID}`,
      `ConfigMap/lakebench-landing-${RUN_ID}`,
      'Job/lakebench-landing',
      'SparkApplication/lakebench-bronze-ingest',
      'SparkApplication/lakebench-silver-stream',
      'SparkApplication/lakebench-gold-refresh',
    ]);
  });

  it('sizes the applications by the streaming budget of the declared nodes and says so in the header', () => {
    // 0.9 × (64 − 3 always-on − 4 landing) = 51.3 CPU for 74 CPU of demand: 3, 7, 3 executors.
    expect(objects.filter((o) => o.kind === 'SparkApplication').map((o) => o.spec?.executor?.instances)).toEqual([3, 7, 3]);
    expect(yaml).toMatch(/^# {3}budget +51\.3 CPU for executors .* demand 74 CPU, capped$/m);
  });
});

describe('continuous plan safety', () => {
  it('carries no credential value, and the landing pod and Spark pods read S3 keys from the Secret', () => {
    const markers = { AWS_ACCESS_KEY_ID: 'AKIAMARKER0123456789', AWS_SECRET_ACCESS_KEY: 'secret-marker-5f1e2d' };
    const saved = { ...process.env };
    Object.assign(process.env, markers);
    try {
      const yaml = continuousPlanYaml(config, runPlan(config, { runId: RUN_ID }));
      for (const m of Object.values(markers)) expect(yaml).not.toContain(m);
      const docs = parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, unknown>);
      const envs = JSON.stringify(docs).match(/"name":"AWS_SECRET_ACCESS_KEY","valueFrom":\{"secretKeyRef":\{"name":"lakebench-garage-key","key":"AWS_SECRET_ACCESS_KEY"\}\}/g) ?? [];
      // The base datagen Job, the landing Job, and the driver and executor of each streaming application.
      expect(envs.length).toBe(2 + 3 * 2);
    } finally {
      process.env = saved;
    }
  });
});
