// Which query engine a cluster run opens, and the clear refusals before any connection is tried.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import { clusterEngineType, openClusterQueryEngine } from '../../runner/src/engines/cluster-engine.js';
import { BadInputError } from '../../runner/src/util/errors.js';

const config = (queryEngine: Record<string, unknown>, benchmark: Record<string, unknown> = {}) =>
  configSchema.parse({ platform: 'kubernetes', benchmark, cluster: { catalog: { type: 'hive', uri: 'thrift://hms:9083' }, queryEngine } });

describe('the cluster query engine', () => {
  it('is the one cluster.queryEngine names, unless benchmark.engine overrides it', () => {
    expect(clusterEngineType(config({ type: 'spark-thrift', endpoint: 'thrift:10000' }))).toBe('spark-thrift');
    expect(clusterEngineType(config({ type: 'spark-thrift', endpoint: 'thrift:10000' }, { engine: 'trino' }))).toBe('trino');
  });

  it('refuses an endpoint that is not host:port for spark-thrift, naming the field', async () => {
    const e = await openClusterQueryEngine(config({ type: 'spark-thrift', endpoint: 'http://thrift/x' })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BadInputError);
    expect((e as BadInputError).where).toBe('cluster.queryEngine.endpoint');
    expect((e as Error).message).toMatch(/host:port, got http:\/\/thrift\/x/);
  });

  it('refuses duckdb in the cluster instead of running it untested', async () => {
    await expect(openClusterQueryEngine(config({ type: 'duckdb' }))).rejects.toThrow(/duckdb engine is not supported on the kubernetes platform/);
  });
});
