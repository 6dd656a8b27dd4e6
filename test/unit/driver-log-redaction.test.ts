// A failed Spark driver's log tail goes into metrics.json and logs/ (runner/src/platforms/kubernetes/log-tail.ts).
// Spark prints its configuration and Hadoop its S3 settings when a job fails, so every credential in
// the text is masked before it leaves the runner; everything else is kept for the reader.
import { describe, expect, it } from 'vitest';
import { redact } from '../../runner/src/platforms/kubernetes/log-tail.js';

describe('driver log redaction', () => {
  it('masks the values of secret-named settings, keeping the setting names', () => {
    const out = redact(
      [
        '26/01/15 10:00:01 INFO SparkContext: spark.hadoop.fs.s3a.secret.key=wJalrXUtnFEMI/K7MDENG',
        '26/01/15 10:00:01 INFO SparkContext: spark.hadoop.fs.s3a.access.key: minioadmin1',
        '{"password": "hunter22", "user": "lakebench"}',
        'spark.sql.catalog.lakehouse.token=eyJhbGciOi',
      ].join('\n'),
      {},
    );
    for (const secret of ['wJalrXUtnFEMI/K7MDENG', 'minioadmin1', 'hunter22', 'eyJhbGciOi']) expect(out).not.toContain(secret);
    expect(out).toContain('spark.hadoop.fs.s3a.secret.key=***');
    expect(out).toContain('"user": "lakebench"');
  });

  it('masks Authorization headers, passwords in URLs and AWS access key ids', () => {
    const out = redact('Authorization: Bearer abc.def.ghi\nthrift://hive:s3cretpw@metastore:9083\nkey AKIAIOSFODNN7EXAMPLE used', {});
    expect(out).not.toContain('abc.def.ghi');
    expect(out.split('\n')).toEqual([expect.stringMatching(/^Authorization: (Bearer|\*\*\*) \*\*\*$/), 'thrift://hive:***@metastore:9083', 'key AKIA*** used']);
  });

  it('masks wherever it appears the value of a secret-named environment variable, but not short or ordinary ones', () => {
    const env = { AWS_SECRET_ACCESS_KEY: 'zq81-verysecret', POLARIS_CLIENT_SECRET: 'abc', HOME: '/home/spark' };
    const out = redact('failed to sign with zq81-verysecret for bucket x (abc) in /home/spark', env);
    expect(out).toBe('failed to sign with *** for bucket x (abc) in /home/spark');
  });

  it('leaves a log without credentials unchanged', () => {
    const log = '26/01/15 10:00:02 ERROR Executor: Exception in task 3.0 in stage 1.0 (TID 7)\njava.lang.OutOfMemoryError: Java heap space';
    expect(redact(log, {})).toBe(log);
  });
});
