// silver-build's salted strategy (docs/pipeline.md §4.2) repartitions by (customer_id, salt) only when
// the write keeps that layout. With the table's distribution mode hash (the default) the Iceberg write
// shuffles every row again by interaction_date, so a salted repartition before it would be a second
// full shuffle of the payload-heavy rows (measured at scale 0.1 by bench/spark-vs-reference.ts). The
// proof is Spark's own event log of the real job: the Exchange nodes of the write's final plan and the
// stages that wrote shuffle data.
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageReportSchema, type StageReport } from '../../runner/src/model/stage-report.js';
import { silverRowsExpected } from '../../runner/src/datagen/manifest.js';
import { summariseEventLog, type EventLogSummary } from '../harness/engines/spark-event-log.js';
import { buildSparkJobConfig } from '../../runner/src/spark-jobs/job-config.js';
import { readJobReport } from '../../runner/src/spark-jobs/read-report.js';
import { runPySpark } from '../harness/engines/spark.js';
import { SCRIPTS, jobSettings } from './fixtures/spark-stack.js';
import { useSparkStack } from './fixtures/use-spark-stack.js';

// A job at scale 0.01 takes about a minute alone, but more than runPySpark's default 600 s on this
// shared 2-core machine under load; the run is not timed, only its plan is read.
const JOB_TIMEOUT_MS = 40 * 60_000;

const ready = useSparkStack({ name: 'salted-shuffle', catalog: true, upload: 'all' });

/** silver-build with the salted strategy forced and `distributionMode`, its event log kept and summarised. */
async function saltedBuild(distributionMode: 'hash' | 'none'): Promise<{ report: StageReport; log: EventLogSummary }> {
  const { stack: s, bronze: b, scratch: dir } = ready();
  const logDir = mkdtempSync(path.join(dir, `events-${distributionMode}-`));
  const spark = { ...s.spark, args: [...s.spark.args, '--conf', 'spark.eventLog.enabled=true', '--conf', `spark.eventLog.dir=file://${logDir}`, '--conf', 'spark.eventLog.compress=false'] };
  const ctx = { ...b.ctx, config: { ...b.ctx.config, silver: { ...b.ctx.config.silver, strategy: 'salted' as const, distributionMode } } };
  const doc = buildSparkJobConfig('silver-build', ctx, jobSettings(s, { metricsUri: path.join(dir, `silver-${distributionMode}.json`) }));
  const docPath = path.join(dir, `silver-${distributionMode}-job.json`);
  writeFileSync(docPath, JSON.stringify(doc));
  const run = await runPySpark(spark, path.join(SCRIPTS, 'silver_build.py'), ['--config', docPath], {}, { timeoutMs: JOB_TIMEOUT_MS });
  const outcome = await readJobReport(doc, run.exitCode);
  expect(run.exitCode, outcome.error?.message ?? run.stderr.slice(-3000)).toBe(0);
  return { report: stageReportSchema.parse(outcome), log: summariseEventLog(logDir) };
}

/** The Exchanges of the plan that wrote silver: the one whose plan holds the silver_build's repartition or the write's. */
const writeExchanges = (log: EventLogSummary) => log.exchanges.flatMap((e) => e.exchanges).filter((x) => /interaction_date|_lakebench_salt/.test(x));

describe('silver-build, salted strategy: the rows are shuffled once', () => {
  it('distribution hash: no salted repartition, the write\'s shuffle by interaction_date is the only one of the rows', { timeout: JOB_TIMEOUT_MS + 60_000 }, async () => {
    const { report, log } = await saltedBuild('hash');
    expect(report.strategy).toBe('salted');
    expect(report.extras.salt_repartition).toBe(false);
    expect(report.extras.hot_customers).toBeGreaterThan(0); // the profile still ran and found hot customers
    expect(report.output_rows).toBe(silverRowsExpected(ready().bronze.manifest));
    const exchanges = writeExchanges(log);
    expect(exchanges.some((x) => /hashpartitioning\(interaction_date/.test(x)), exchanges.join('\n')).toBe(true);
    expect(exchanges.filter((x) => /_lakebench_salt/.test(x)), exchanges.join('\n')).toEqual([]);
  });

  it('distribution none: the salted repartition by (customer_id, salt) is kept, since the write does not shuffle', { timeout: JOB_TIMEOUT_MS + 60_000 }, async () => {
    const { report, log } = await saltedBuild('none');
    expect(report.strategy).toBe('salted');
    expect(report.extras.salt_repartition).toBe(true);
    expect(report.output_rows).toBe(silverRowsExpected(ready().bronze.manifest));
    const exchanges = writeExchanges(log);
    expect(exchanges.some((x) => /hashpartitioning\(customer_id#\d+L?, _lakebench_salt/.test(x)), exchanges.join('\n')).toBe(true);
    expect(exchanges.filter((x) => /hashpartitioning\(interaction_date/.test(x)), exchanges.join('\n')).toEqual([]);
  });
});
