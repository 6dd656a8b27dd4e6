// The three streaming SparkApplications are submitted together, and the Spark Operator's controller
// runs their spark-submits at the same time in one pod, each resolving the packages into the Ivy cache
// spark.jars.ivy names. On the real node one shared cache made every submission fail (Ivy files
// overwritten under each other: "Downloaded file size (0) doesn't match expected Content Length"), so
// each streaming job has a cache of its own.
import { describe, expect, it } from 'vitest';
import type { LakebenchConfig } from '../../runner/src/config/schema.js';
import { clusterDatasetParams } from '../../runner/src/datagen/datagen-task.js';
import { projectedManifest } from '../../runner/src/platforms/kubernetes/manifests/projected-manifest.js';
import { streamingObjects } from '../../runner/src/platforms/kubernetes/streaming/streaming-plan.js';
import { clusterConfig } from '../kubernetes/plan-configs.js';

const continuous = (c: LakebenchConfig): LakebenchConfig => ({ ...c, pipeline: { ...c.pipeline, mode: 'continuous' } });

describe("the streaming applications' Ivy caches", () => {
  it('each streaming job resolves its packages into an Ivy cache of its own, under /tmp/ivy', () => {
    const config = continuous(clusterConfig('hive-iceberg', { scale: 0.01 }));
    const base = projectedManifest(clusterDatasetParams(config));
    const o = streamingObjects(config, { runId: '20261203-214603-1805a5', manifest: base, referenceDate: base.totals.event_date_max });
    const caches = o.jobs.map((j) => [j.job, j.app.spec.sparkConf['spark.jars.ivy']]);
    expect(caches).toEqual([
      ['bronze-ingest', '/tmp/ivy/bronze-ingest'],
      ['silver-stream', '/tmp/ivy/silver-stream'],
      ['gold-refresh', '/tmp/ivy/gold-refresh'],
    ]);
    expect(new Set(caches.map(([, c]) => c)).size).toBe(3);
  });
});
