// The query engine of a cluster run, as the config (and the chart's runner ConfigMap) names it:
// Trino or the Spark Thrift server, reached at cluster.queryEngine.endpoint; credentials only from
// the environment.
import { DEFAULT_CLUSTER_QUERY_ENGINE } from '../config/defaults.js';
import type { LakebenchConfig } from '../config/schema.js';
import { BadInputError } from '../util/errors.js';
import type { QueryEngine } from './engine.js';
import { SparkThriftEngine, sparkThriftOptionsFromEnv } from './spark-thrift-engine.js';
import { TrinoEngine } from './trino-engine.js';
import { trinoOptionsFromConfig } from './trino-options.js';

export function clusterEngineType(config: LakebenchConfig): 'trino' | 'spark-thrift' | 'duckdb' {
  return config.benchmark.engine ?? config.cluster?.queryEngine?.type ?? DEFAULT_CLUSTER_QUERY_ENGINE.type;
}

export async function openClusterQueryEngine(config: LakebenchConfig, env: NodeJS.ProcessEnv = process.env): Promise<QueryEngine> {
  const type = clusterEngineType(config);
  if (type === 'trino') return TrinoEngine.open(trinoOptionsFromConfig(config, env));
  if (type === 'spark-thrift') {
    const endpoint = config.cluster?.queryEngine?.endpoint;
    if (!endpoint) throw new BadInputError('the spark-thrift engine needs cluster.queryEngine.endpoint (host:port)', 'cluster.queryEngine.endpoint');
    let options;
    try {
      options = sparkThriftOptionsFromEnv(endpoint, config.cluster?.catalog?.name, env);
    } catch (e) {
      throw new BadInputError((e as Error).message, 'cluster.queryEngine.endpoint');
    }
    return SparkThriftEngine.open(options);
  }
  // Only benchmark.engine can name duckdb here (the schema refuses it as cluster.queryEngine.type).
  // DuckDB inside the runner pod would need DuckDB's iceberg extension, which cannot be installed
  // here to be tested; refuse instead of running something untested.
  throw new BadInputError('the duckdb engine is not supported on the kubernetes platform; use trino or spark-thrift', 'benchmark.engine');
}
