// The stage registry is the one declaration of every batch stage: each entry's PySpark script
// exists, each job document carries the SQL keys the Python contract requires (read from
// spark-scripts/lakebench_config.py), and the platforms take the stage's script and sizing profile
// from it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { STAGES } from '../../runner/src/platforms/stage-registry.js';
import { BATCH_STAGES } from '../../runner/src/model/stage-report.js';
import { runPlan } from '../../runner/src/platforms/kubernetes/manifests/plan.js';
import { stageSizing } from '../../runner/src/platforms/kubernetes/manifests/spark-application.js';
import { jobSizing } from '../../runner/src/model/sizing.js';
import { clusterConfig, RUN_ID } from '../kubernetes/plan-configs.js';

const SCRIPTS = path.resolve(__dirname, '../../spark-scripts');

/** SQL_KEYS of the Python job contract: stage → the sql keys its document must carry. */
function pythonSqlKeys(): Record<string, string[]> {
  const text = readFileSync(path.join(SCRIPTS, 'lakebench_config.py'), 'utf8');
  const block = /^SQL_KEYS = \{([\s\S]*?)^\}/m.exec(text)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/"([a-z-]+)":\s*\(([^)]*)\)/g)].map((m) => [m[1]!, [...m[2]!.matchAll(/"([a-z_]+)"/g)].map((k) => k[1]!)]));
}

describe('stage registry', () => {
  it('declares every batch stage, in order, once', () => {
    expect(Object.keys(STAGES)).toEqual([...BATCH_STAGES]);
    for (const stage of BATCH_STAGES) expect(STAGES[stage].stage).toBe(stage);
  });

  it("names a PySpark script that exists for every stage, and the SparkApplication runs it", () => {
    const plan = runPlan(clusterConfig('hive-iceberg'), { runId: RUN_ID });
    for (const stage of BATCH_STAGES) {
      expect(existsSync(path.join(SCRIPTS, STAGES[stage].spark.script)), stage).toBe(true);
      const app = plan.objects.find((o) => o.kind === 'SparkApplication' && o.metadata.name === `lakebench-${stage}`) as { spec: { mainApplicationFile: string } } | undefined;
      expect(app?.spec.mainApplicationFile, stage).toMatch(new RegExp(`/${STAGES[stage].spark.script}$`));
    }
  });

  it('gives each job document the SQL keys the Python contract requires', () => {
    const required = pythonSqlKeys();
    expect(Object.keys(required).sort()).toEqual([...BATCH_STAGES].sort());
    const plan = runPlan(clusterConfig('hive-iceberg'), { runId: RUN_ID });
    for (const stage of BATCH_STAGES) {
      const cm = plan.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `lakebench-${stage}-${RUN_ID}`) as { data: Record<string, string> } | undefined;
      const doc = JSON.parse(Object.values(cm?.data ?? {})[0] ?? 'null') as { sql: Record<string, unknown> };
      for (const key of required[stage]!) expect(typeof doc.sql[key], `${stage}.sql.${key}`).toBe('string');
    }
  });

  it("sizes each stage from the registry's profile", () => {
    const config = clusterConfig('hive-iceberg', { scale: 100 });
    const plan = runPlan(config, { runId: RUN_ID });
    for (const stage of BATCH_STAGES) expect(stageSizing(plan.settings, stage, 100)).toEqual(jobSizing(STAGES[stage].profile, 100, { sparkVersion: '4', override: {} }));
  });
});
