// Config fixtures for the plan tests: the three catalog / table-format combinations the chart
// validates, in the shape the chart renders (charts/lakebench/templates/runner/configmap.yaml).
import { validateConfig } from '../../runner/src/config/load.js';
import type { LakebenchConfig } from '../../runner/src/config/schema.js';

export const RUN_ID = '20261121-143005-3fa9c2';

export type Combination = 'hive-iceberg' | 'polaris-iceberg' | 'hive-delta';
export const COMBINATIONS: Combination[] = ['hive-iceberg', 'polaris-iceberg', 'hive-delta'];

type Extra = { scale?: number; namespace?: string; spark?: Record<string, unknown>; datagen?: Record<string, unknown>; nodes?: Record<string, number> };

export function clusterConfig(combination: Combination, extra: Extra = {}): LakebenchConfig {
  return validateConfig(clusterConfigInput(combination, extra), 'test fixture');
}

/** The same config as it would stand in a YAML file (for the CLI commands' --config). */
export function clusterConfigInput(combination: Combination, extra: Extra = {}): Record<string, unknown> {
  const polaris = combination === 'polaris-iceberg';
  return {
    name: 'lakebench',
    scale: extra.scale ?? 1,
    platform: 'kubernetes',
    datagen: extra.datagen ?? {},
    results: { bucket: { endpoint: 'http://lakebench-garage.lakebench.svc:3900', bucket: 'lakebench-results' } },
    cluster: {
      namespace: extra.namespace ?? 'lakebench',
      release: 'lakebench',
      storage: { endpoint: 'http://lakebench-garage.lakebench.svc:3900', region: 'garage', pathStyle: true },
      catalog: polaris
        ? { type: 'polaris', name: 'lakehouse', uri: 'http://lakebench-polaris:8181/api/catalog', warehouse: 'lakehouse' }
        : { type: 'hive', name: 'lakehouse', uri: 'thrift://lakebench-hive-metastore:9083' },
      tableFormat: combination === 'hive-delta' ? 'delta' : 'iceberg',
      queryEngine: { type: 'trino', endpoint: 'http://lakebench-trino:8080', workers: 1, workerCpu: 1, workerMemoryGb: 3 },
      spark: { image: 'apache/spark:4.0.1-python3', serviceAccount: 'lakebench-spark-runner', version: '4', ...extra.spark },
      runnerImage: 'ghcr.io/lakebench/lakebench-runner:0.1.0',
      ...(extra.nodes ? { nodes: extra.nodes } : {}),
    },
  };
}
