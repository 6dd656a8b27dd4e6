// spark-scripts/ without a Spark session: ruff and mypy --strict (pinned, in the engines venv by
// test/setup/55-python-lint.sh), and the job document contract from both ends: documents the runner
// builds pass the Python validation and give the Spark settings each catalog kind needs; broken
// ones stop the job with the field's name and a non-zero exit; secrets never reach the output. The
// datagen manifest a document points at is checked by the jobs' own code (lakebench_config.py).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../runner/src/config/schema.js';
import type { Manifest } from '../../runner/src/datagen/manifest.js';
import { stageReportSchema } from '../../runner/src/model/stage-report.js';
import { buildSparkJobConfig, type CatalogSettings, type SparkJobConfig } from '../../runner/src/spark-jobs/job-config.js';
import { enginesManifest } from '../harness/engines/manifest.js';
import { SCRIPTS } from './fixtures/spark-stack.js';

const run = promisify(execFile);
const venvBin = () => path.dirname(enginesManifest().python);

async function exec(cmd: string, args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(cmd, args, { cwd: SCRIPTS, env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

// A manifest with just what the document builder and the jobs' manifest check read.
const manifest = {
  manifest_version: 1,
  dataset: { payload_bytes: 2048, customers: 1000 },
  totals: { file_count: 2, total_rows: 25_565, total_bytes: 111_005_339, event_date_max: '2025-12-30' },
  files: [
    { index: 0, key: 'part-000000.parquet', rows: 12_783, bytes: 55_502_670 },
    { index: 1, key: 'part-000001.parquet', rows: 12_782, bytes: 55_502_669 },
  ],
  data_fingerprint: 'sha256:0f1e2d',
} as unknown as Manifest;
const ctx = { config: configSchema.parse({ scale: 0.01 }), runId: 'lint-run', referenceDate: '2025-12-30', manifest };

let dir: string | undefined;

function doc(stage: SparkJobConfig['stage'], catalog: CatalogSettings, tableFormat: 'iceberg' | 'delta' = 'iceberg'): SparkJobConfig {
  if (!dir) throw new Error('no scratch folder');
  return buildSparkJobConfig(stage, ctx, {
    storage: { endpoint: 'http://s3.example:9000', region: 'eu-west-1', path_style: true },
    buckets: { bronze: 'b-bronze', silver: 'b-silver', gold: 'b-gold' },
    catalog,
    tableFormat,
    metricsUri: path.join(dir, `${stage}-metrics.json`),
    manifestUri: path.join(dir, 'manifest.json'),
    resources: { executors: 8, cores: 4 },
  });
}

async function printConf(stage: SparkJobConfig['stage'], body: unknown, env: Record<string, string> = {}) {
  if (!dir) throw new Error('no scratch folder');
  const file = path.join(dir, `${stage}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(body));
  const script = { 'bronze-verify': 'bronze_verify.py', 'silver-build': 'silver_build.py', 'gold-finalize': 'gold_finalize.py' }[stage];
  return exec(enginesManifest().python, [script, '--config', file, '--print-spark-conf'], env);
}

describe('spark-scripts without Spark', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-spark-lint-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes ruff', async () => {
    const r = await exec(path.join(venvBin(), 'ruff'), ['check', '--no-cache', '.']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('passes mypy --strict against PySpark\'s type hints', async () => {
    const r = await exec(path.join(venvBin(), 'mypy'), ['--config-file', 'mypy.ini', '--no-incremental', '.']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no issues found in [1-9]\d* source files/);
  });

  it('REST catalog with OAuth2 client credentials from the environment: set, and redacted when printed', async () => {
    const rest: CatalogSettings = { kind: 'rest', name: 'lakehouse', uri: 'http://polaris:8181/api/catalog', warehouse: 'lakebench', oauth2: { credential_env: 'LB_CRED', server_uri: null, scope: 'PRINCIPAL_ROLE:ALL' } };
    const r = await printConf('silver-build', doc('silver-build', rest), { LB_CRED: 'client-id:very-secret-value' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('very-secret-value');
    const { decided, defaults } = JSON.parse(r.stdout) as { decided: Record<string, string>; defaults: Record<string, string> };
    expect(decided).toMatchObject({
      'spark.sql.catalog.lakehouse': 'org.apache.iceberg.spark.SparkCatalog',
      'spark.sql.catalog.lakehouse.type': 'rest',
      'spark.sql.catalog.lakehouse.uri': 'http://polaris:8181/api/catalog',
      'spark.sql.catalog.lakehouse.warehouse': 'lakebench',
      'spark.sql.catalog.lakehouse.credential': '*****',
      'spark.sql.catalog.lakehouse.scope': 'PRINCIPAL_ROLE:ALL',
      'spark.sql.catalog.lakehouse.io-impl': 'org.apache.iceberg.aws.s3.S3FileIO',
      'spark.hadoop.fs.s3a.endpoint.region': 'eu-west-1',
      'spark.sql.session.timeZone': 'UTC',
      'spark.sql.shuffle.partitions': '64', // silver at scale <= 10 (docs/pipeline.md §9.4)
      'spark.sql.files.maxPartitionBytes': '256m',
    });
    expect(defaults).toMatchObject({ 'spark.ui.enabled': 'false', 'spark.driver.maxResultSize': '8g' });
    // Without the variable the job refuses to start rather than connect anonymously.
    const missing = await printConf('silver-build', doc('silver-build', rest));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('LB_CRED');
  });

  it('Hive Thrift and JDBC catalogs give the Iceberg settings of their kind', async () => {
    const hive = await printConf('gold-finalize', doc('gold-finalize', { kind: 'hive', name: 'lakehouse', uri: 'thrift://hive-metastore:9083', warehouse: 's3a://b-silver/warehouse' }));
    expect(hive.code, hive.stderr).toBe(0);
    expect(JSON.parse(hive.stdout).decided).toMatchObject({
      'spark.sql.catalog.lakehouse.type': 'hive',
      'spark.sql.catalog.lakehouse.uri': 'thrift://hive-metastore:9083',
      'spark.sql.catalog.lakehouse.warehouse': 's3a://b-silver/warehouse',
      'spark.sql.shuffle.partitions': '32',
    });
    const jdbcCatalog: CatalogSettings = { kind: 'jdbc', name: 'cat', uri: 'jdbc:postgresql://pg:5432/iceberg', warehouse: 's3://b-silver/wh', user_env: 'PGU', password_env: 'PGP' };
    const jdbc = await printConf('bronze-verify', doc('bronze-verify', jdbcCatalog), { PGU: 'iceberg', PGP: 'pg-secret-123' });
    expect(jdbc.code, jdbc.stderr).toBe(0);
    expect(jdbc.stdout).not.toContain('pg-secret-123');
    expect(JSON.parse(jdbc.stdout).decided).toMatchObject({
      'spark.sql.catalog.cat.type': 'jdbc',
      'spark.sql.catalog.cat.uri': 'jdbc:postgresql://pg:5432/iceberg',
      'spark.sql.catalog.cat.jdbc.user': 'iceberg',
      'spark.sql.catalog.cat.jdbc.password': '*****',
    });
  });

  it('Delta documents name path-based tables under the layer buckets and turn on Delta\'s catalog', async () => {
    const d = doc('gold-finalize', { kind: 'rest', name: 'lakehouse', uri: 'http://rest:8181', warehouse: null, oauth2: null }, 'delta');
    expect(d.tables.gold).toEqual({ ident: 'delta.`s3a://b-gold/delta/gold/customer_executive_dashboard`', location: 's3a://b-gold/delta/gold/customer_executive_dashboard' });
    if (d.stage !== 'gold-finalize') throw new Error('unexpected stage');
    expect(d.sql.gold_select).toContain('FROM delta.`s3a://b-silver/delta/silver/customer_interactions_enriched`');
    const r = await printConf('gold-finalize', d);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).defaults).toMatchObject({ 'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog' });
  });

  it('the datagen manifest the document points at: its files when it matches, refused by field when invalid or another dataset', async () => {
    if (!dir) throw new Error('no scratch folder');
    const d = doc('bronze-verify', { kind: 'rest', name: 'lakehouse', uri: 'http://rest:8181', warehouse: null, oauth2: null });
    expect(d.bronze.manifest).toEqual({ uri: path.join(dir, 'manifest.json'), files: 2, total_rows: 25_565, total_bytes: 111_005_339, fingerprint: 'sha256:0f1e2d' });
    const m = manifest as unknown as { totals: Record<string, unknown>; files: Record<string, unknown>[] } & Record<string, unknown>;
    const file = (i: number, patch: Record<string, unknown>) => m.files.map((f, j) => (j === i ? { ...f, ...patch } : f));
    const variants: [string, unknown][] = [
      ['same', m],
      ['not-json', '{"manifest_version": 1,'],
      ['version', { ...m, manifest_version: 2 }],
      ['count', { ...m, totals: { ...m.totals, file_count: 3 } }],
      ['bytes', { ...m, files: file(1, { bytes: 0 }) }],
      ['key', { ...m, files: file(0, { key: '/etc/passwd' }) }],
      ['twice', { ...m, files: file(1, { key: 'part-000000.parquet' }) }],
      ['no-fingerprint', { ...m, data_fingerprint: undefined }],
      ['other-dataset', { ...m, totals: { ...m.totals, file_count: 1, total_rows: 12_783, total_bytes: 55_502_670 }, files: m.files.slice(0, 1) }],
      ['other-fingerprint', { ...m, data_fingerprint: 'sha256:ffff' }],
    ];
    const docFile = path.join(dir, 'manifest-check-doc.json');
    writeFileSync(docFile, JSON.stringify(d));
    const files = variants.map(([name, body]) => {
      const f = path.join(dir!, `manifest-${name}.json`);
      writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
      return f;
    });
    const check = [
      'import json, sys',
      'from lakebench_config import ConfigError, ManifestMismatchError, manifest_files, parse_config',
      'cfg = parse_config(json.load(open(sys.argv[1])), "bronze-verify")',
      'out = []',
      'for p in sys.argv[2:]:',
      '    try:',
      '        out.append({"files": manifest_files(open(p).read(), cfg.bronze_manifest)})',
      '    except ManifestMismatchError as e:',
      '        out.append({"mismatch": str(e)})',
      '    except ConfigError as e:',
      '        out.append({"invalid": str(e)})',
      'print(json.dumps(out))',
    ].join('\n');
    const r = await exec(enginesManifest().python, ['-c', check, docFile, ...files]);
    expect(r.code, r.stderr).toBe(0);
    const out = Object.fromEntries((JSON.parse(r.stdout) as Record<string, unknown>[]).map((o, i) => [variants[i]![0], o]));
    expect(out.same).toEqual({ files: [['part-000000.parquet', 55_502_670], ['part-000001.parquet', 55_502_669]] });
    const fields: Record<string, string> = {
      'not-json': 'is not JSON',
      version: 'manifest.manifest_version',
      count: 'manifest.totals.file_count',
      bytes: 'manifest.files[1].bytes',
      key: 'manifest.files[0].key',
      twice: 'manifest.files[1].key',
      'no-fingerprint': 'manifest.data_fingerprint',
    };
    for (const [name, field] of Object.entries(fields)) {
      const message = (out[name] as { invalid?: string }).invalid;
      expect(message, name).toContain(`the datagen manifest ${path.join(dir, 'manifest.json')} is`);
      expect(message, name).toContain(field);
    }
    expect((out['other-dataset'] as { mismatch: string }).mismatch).toMatch(/totals\.file_count is 1 in the manifest but 2 .*totals\.total_rows is 12783 .*totals\.total_bytes is 55502670/);
    expect((out['other-dataset'] as { mismatch: string }).mismatch).not.toContain('data_fingerprint');
    expect((out['other-fingerprint'] as { mismatch: string }).mismatch).toBe(
      `the datagen manifest ${path.join(dir, 'manifest.json')} is not the dataset this job was planned for: data_fingerprint is sha256:ffff in the manifest but sha256:0f1e2d in the job document`,
    );
  });

  it('a broken document stops the job with the field\'s name, exit 2, and a failed metrics document', async () => {
    const good = doc('silver-build', { kind: 'rest', name: 'lakehouse', uri: 'http://rest:8181', warehouse: null, oauth2: null });
    const cases: [unknown, string][] = [
      [{ ...good, silver: { ...(good as Extract<SparkJobConfig, { stage: 'silver-build' }>).silver, strategy: 'fastest' } }, 'config.silver.strategy'],
      [{ ...good, contract_version: 1 }, 'config.contract_version'],
      [{ ...good, bronze: { uri: good.bronze.uri, view: good.bronze.view, files: manifest.files } }, 'config.bronze.manifest'],
      [{ ...good, bronze: { ...good.bronze, manifest: { ...good.bronze.manifest, total_rows: -1 } } }, 'config.bronze.manifest.total_rows'],
      [{ ...good, bronze: { ...good.bronze, uri: 's3a://b-bronze/no-trailing-slash' } }, 'config.bronze.uri'],
      [{ ...good, stage: 'gold-finalize' }, 'config.stage'],
    ];
    for (const [body, field] of cases) {
      const r = await printConf('silver-build', body);
      expect(r.code, field).toBe(2);
      expect(r.stderr, field).toContain(field);
    }
    const report = stageReportSchema.parse(JSON.parse(readFileSync(good.metrics_uri, 'utf8')));
    expect(report).toMatchObject({ stage: 'silver-build', status: 'failed', engine: 'spark', error: { reason: 'CONFIG' } });
  });
});
