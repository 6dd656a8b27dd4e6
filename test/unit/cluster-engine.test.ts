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
    // cluster.queryEngine.type no longer takes duckdb (below); benchmark.engine still may, for --local.
    await expect(openClusterQueryEngine(config({ type: 'trino', endpoint: 'http://trino:8080' }, { engine: 'duckdb' }))).rejects.toThrow(/duckdb engine is not supported on the kubernetes platform/);
    const e = await openClusterQueryEngine(config({ type: 'trino', endpoint: 'http://trino:8080' }, { engine: 'duckdb' })).catch((x: unknown) => x);
    expect((e as BadInputError).where).toBe('benchmark.engine');
  });

  it('refuses duckdb as cluster.queryEngine.type when the config is read, naming the engines to use', () => {
    const r = configSchema.safeParse({ cluster: { catalog: { type: 'hive', uri: 'thrift://hms:9083' }, queryEngine: { type: 'duckdb' } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['cluster.queryEngine.type', 'duckdb is not a cluster query engine (it runs only on the embedded platform, --local); use trino or spark-thrift'],
    ]);
  });
});
