// A step that throws is recorded under its own engine and charged its own resources, on a real
// KubernetesPlatform (no API server is contacted: naming and sizing are decided from the config).
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../runner/src/platforms/kubernetes/client.js';
import { KubernetesPlatform } from '../../runner/src/platforms/kubernetes/kubernetes-platform.js';
import { EmbeddedPlatform } from '../../runner/src/platforms/embedded/embedded-platform.js';
import { validateConfig } from '../../runner/src/config/load.js';
import { failedStepEntry } from '../../runner/src/pipeline/step-failure.js';
import { clusterConfigInput } from '../kubernetes/plan-configs.js';

function clusterPlatform(engine: 'trino' | 'spark-thrift', scale = 10) {
  const input = clusterConfigInput('hive-iceberg', { scale });
  const cluster = input.cluster as Record<string, unknown>;
  cluster.queryEngine = engine === 'trino' ? cluster.queryEngine : { type: 'spark-thrift', endpoint: 'lakebench-spark-thrift:10000' };
  const config = validateConfig(input, 'test fixture');
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u', namespace: 'lakebench' }], currentContext: 'x' });
  return { config, platform: new KubernetesPlatform(new KubeClient(kc), config, { timeoutSeconds: 600 }) };
}

const start = new Date('2026-01-01T00:00:00Z');
const end = new Date('2026-01-01T00:01:40Z');

describe('a failed step names the engine it ran on', () => {
  it('a failed cluster benchmark on spark-thrift is labelled spark-thrift, not trino', () => {
    const { config, platform } = clusterPlatform('spark-thrift');
    const entry = failedStepEntry(platform, config, 'benchmark', start, new Error('connection refused'), end);
    expect(entry.engine).toBe('spark-thrift');
    expect(entry.status).toBe('failed');
    expect(entry.error).toEqual({ message: 'connection refused', reason: 'ERROR', log_tail: null });
  });

  it('a failed cluster benchmark on trino is labelled trino; a failed batch stage spark; a failed datagen datagen', () => {
    const { config, platform } = clusterPlatform('trino');
    expect(failedStepEntry(platform, config, 'benchmark', start, new Error('x'), end).engine).toBe('trino');
    expect(failedStepEntry(platform, config, 'silver-build', start, new Error('x'), end).engine).toBe('spark');
    expect(failedStepEntry(platform, config, 'datagen', start, new Error('x'), end).engine).toBe('datagen');
  });

  it('every failed step of an embedded run but datagen is labelled duckdb', () => {
    const platform = new EmbeddedPlatform('/tmp/lakebench-unused');
    const config = validateConfig({ scale: 0.01, platform: 'embedded' }, 'test fixture');
    expect(failedStepEntry(platform, config, 'benchmark', start, new Error('x'), end).engine).toBe('duckdb');
    expect(failedStepEntry(platform, config, 'gold-finalize', start, new Error('x'), end).engine).toBe('duckdb');
  });
});

describe('a failed step is charged its own resources', () => {
  it('a failed datagen is charged bronze-verify resources (as a succeeded one is), not gold-finalize', () => {
    const { config, platform } = clusterPlatform('trino');
    const bronze = platform.resources('bronze-verify');
    const gold = platform.resources('gold-finalize');
    // The test means something only where the two profiles differ.
    expect([bronze.executors, bronze.cores, bronze.memoryGb]).not.toEqual([gold.executors, gold.cores, gold.memoryGb]);
    const entry = failedStepEntry(platform, config, 'datagen', start, new Error('the Job failed'), end);
    expect([entry.executor_count, entry.executor_cores, entry.executor_memory_gb]).toEqual([bronze.executors, bronze.cores, bronze.memoryGb]);
    expect(entry.cpu_seconds_requested).toBe(bronze.executors * bronze.cores * 100);
  });

  it('a batch stage that threw is charged that stage', () => {
    const { config, platform } = clusterPlatform('trino');
    const silver = platform.resources('silver-build');
    const entry = failedStepEntry(platform, config, 'silver-build', start, new Error('x'), end);
    expect([entry.executor_count, entry.executor_cores, entry.executor_memory_gb]).toEqual([silver.executors, silver.cores, silver.memoryGb]);
  });
});
