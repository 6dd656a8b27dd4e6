// Which Spark settings win in a Lakebench job's session (spark-scripts/lakebench_common.py
// build_session): the document's decided settings over everything, then what the submission set
// (the SparkApplication's sparkConf, here spark-submit --conf), and the jobs' own defaults only for
// what neither set. A real PySpark 4.0.1 driver through spark-submit; the fixture replaces only the
// job's settings by fixed ones. Before the fix, a SparkConf made before the JVM gateway existed
// made every default win over the submission: spark.ui.enabled=false kept the drivers' UI, hence
// their Prometheus endpoints, off on every cluster.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPySpark, sparkSubmitEnv } from '../harness/engines/spark.js';
import { freePort } from '../harness/ports.js';
import { SCRIPTS } from './fixtures/spark-stack.js';

const fixture = path.join(import.meta.dirname, 'fixtures', 'session_settings_job.py');
// No S3 or catalog is touched; the harness only needs an endpoint to render its settings.
const noS3 = { endpoint: 'http://127.0.0.1:9', accessKey: 'unused', secretKey: 'unused', region: 'us-east-1' };

describe('the session of a Lakebench Spark job', () => {
  it('keeps what the submission set over the job defaults, and the decided settings over both', async () => {
    const uiPort = await freePort();
    const run = await runPySpark(sparkSubmitEnv({ s3: noS3, restCatalogUri: 'http://127.0.0.1:9' }), fixture, [SCRIPTS], {
      // Submitted: the UI on (a default says off), and a time zone the decided settings replace.
      'spark.ui.enabled': 'true',
      'spark.ui.port': String(uiPort),
      'spark.sql.session.timeZone': 'Europe/Paris',
    });
    expect(run.exitCode, run.stderr.slice(-3000)).toBe(0);
    const settings = Object.fromEntries([...run.stdout.matchAll(/^SETTING (\S+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(settings).toEqual({
      'spark.ui.enabled': 'true', // submitted, over the default
      'spark.ui.retainedJobs': '77', // default, nothing else set it
      'spark.sql.session.timeZone': 'UTC', // decided, over the submission
    });
    // The UI really runs, on the submitted port.
    expect(run.stdout).toMatch(new RegExp(`^UI_URL=http://\\S+:${uiPort}$`, 'm'));
  }, 300_000);
});
