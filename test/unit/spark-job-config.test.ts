// The Spark job document (runner/src/spark-jobs/job-config.ts) names bronze by reference: it
// points at the datagen manifest in the bronze bucket and carries that manifest's file count, totals
// and fingerprint, never the file list. So a document is the same few KiB at every scale and its
// ConfigMap (1 MiB at most) is accepted even at the largest scale, where the manifest lists 200,000
// files; the schema refuses the old inline list.
import { describe, expect, it } from 'vitest';
import { configSchema, type LakebenchConfig } from '../../runner/src/config/schema.js';
import { emptyAggregates } from '../../runner/src/datagen/aggregates.js';
import { fileKey, fileName } from '../../runner/src/datagen/dataset.js';
import { clusterDatasetParams, MANIFEST_KEY } from '../../runner/src/datagen/datagen-task.js';
import { buildManifest, manifestSchema, type FileEntry, type Manifest } from '../../runner/src/datagen/manifest.js';
import { BYTES_PER_ROW, firstRowId, rowsInFile } from '../../runner/src/model/scale.js';
import { MAX_SCALE } from '../../runner/src/config/defaults.js';
import { BATCH_STAGES, type BatchStage } from '../../runner/src/model/stage-report.js';
import { jobConfigConfigMap } from '../../runner/src/platforms/kubernetes/manifests/job-config-configmap.js';
import { CONFIGMAP_MAX_BYTES } from '../../runner/src/platforms/kubernetes/manifests/scripts-configmap.js';
import { bronzeManifestUri, buildSparkJobConfig, CONTRACT_VERSION, sparkJobConfigSchema, type SparkJobConfig, type SparkJobSettings } from '../../runner/src/spark-jobs/job-config.js';

const RUN_ID = '20261121-143005-3fa9c2';
const BUCKETS = { bronze: 'lakebench-bronze', silver: 'lakebench-silver', gold: 'lakebench-gold' };
const SETTINGS: SparkJobSettings = {
  storage: { endpoint: 'http://lakebench-garage.lakebench.svc:3900', region: 'garage', path_style: true },
  buckets: BUCKETS,
  catalog: { kind: 'hive', name: 'lakehouse', uri: 'thrift://lakebench-hive-metastore:9083', warehouse: 's3a://lakebench-silver/warehouse' },
  tableFormat: 'iceberg',
  metricsUri: `s3a://lakebench-results/runs/${RUN_ID}/stages/silver-build.json`,
  manifestUri: bronzeManifestUri(BUCKETS.bronze),
  resources: { executors: 28, cores: 4 },
};
const DOC_BOUND = 64 * 1024;

/** A schema-valid datagen manifest of the cluster dataset at `scale`, one entry per file (sizes vary). */
function generatedManifest(config: LakebenchConfig, scale: number): Manifest {
  const params = clusterDatasetParams(config, scale);
  const entries: FileEntry[] = Array.from({ length: params.file_count }, (_, index) => {
    const rows = rowsInFile(params.total_rows, params.file_count, index);
    const first = firstRowId(params.total_rows, params.file_count, index);
    return {
      index,
      key: fileName(index),
      stream_key: fileKey(params, index),
      rows,
      bytes: rows * BYTES_PER_ROW + (index % 997),
      first_id: first,
      last_id: first + rows - 1,
      content_hash: `sha256:${index.toString(16).padStart(64, '0')}`,
      event_ts_min: `${params.window_start}T00:00:00.000000Z`,
      event_ts_max: '2025-12-30T23:59:59.999999Z',
      aggregates: emptyAggregates(),
    };
  });
  return manifestSchema.parse(buildManifest(params, entries, new Date('2026-11-21T14:30:05Z')));
}

const docFor = (stage: BatchStage, config: LakebenchConfig, manifest: Manifest): SparkJobConfig =>
  buildSparkJobConfig(stage, { config, runId: RUN_ID, referenceDate: manifest.totals.event_date_max, manifest }, SETTINGS);

describe('Spark job document: bronze by reference to the datagen manifest', () => {
  const big = configSchema.parse({ scale: MAX_SCALE });
  const manifest = generatedManifest(big, MAX_SCALE);
  const small = configSchema.parse({ scale: 0.01 });
  const smallManifest = generatedManifest(small, 0.01);

  it(`stays below ${DOC_BOUND / 1024} KiB at scale ${MAX_SCALE} (a manifest of 200,000 files), and its ConfigMap is accepted`, () => {
    expect(manifest.files).toHaveLength(200_000); // 100,000 GiB in 512 MiB files
    expect(Buffer.byteLength(JSON.stringify(manifest))).toBeGreaterThan(20 * CONFIGMAP_MAX_BYTES); // what used to be inlined
    for (const stage of BATCH_STAGES) {
      const doc = docFor(stage, big, manifest);
      expect(doc.contract_version).toBe(CONTRACT_VERSION);
      expect(doc.bronze).toEqual({
        uri: 's3a://lakebench-bronze/customer/interactions/',
        view: 'lakebench_bronze',
        manifest: {
          uri: `s3a://lakebench-bronze/${MANIFEST_KEY}`,
          files: 200_000,
          total_rows: manifest.totals.total_rows,
          total_bytes: manifest.totals.total_bytes,
          fingerprint: manifest.data_fingerprint,
        },
      });
      expect(doc.bronze.manifest.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
      const json = JSON.stringify(doc);
      expect(Buffer.byteLength(json), stage).toBeLessThan(DOC_BOUND);
      const cm = jobConfigConfigMap('lakebench', 'lakebench', doc);
      expect(cm.metadata.name).toBe(`lakebench-${stage}-${RUN_ID}`);
      expect(sparkJobConfigSchema.parse(JSON.parse(cm.data['job.json']!))).toEqual(doc);
    }
  });

  it('is the same size at scale 0.01 and at scale 10,000, give or take a few digits', () => {
    expect(smallManifest.files).toHaveLength(1);
    for (const stage of BATCH_STAGES) {
      const [a, b] = [docFor(stage, small, smallManifest), docFor(stage, big, manifest)].map((d) => Buffer.byteLength(JSON.stringify(d)));
      expect(Math.abs(a! - b!), stage).toBeLessThan(200);
    }
  });

  it('refuses the old inline file list, an older contract, and a manifest uri that is a folder', () => {
    const doc = docFor('bronze-verify', big, smallManifest);
    const withFiles = { ...doc, bronze: { ...doc.bronze, files: smallManifest.files.map((f) => ({ key: f.key, bytes: f.bytes })) } };
    const issues = (body: unknown) => sparkJobConfigSchema.safeParse(body).error?.issues.map((i) => `${i.path.join('.')}: ${i.code}`) ?? [];
    expect(issues(withFiles)).toEqual(['bronze: unrecognized_keys']);
    // The contract before bronze.manifest: the list and the totals inline.
    const { manifest: _m, ...bronzeV1 } = doc.bronze;
    const v1 = { ...doc, contract_version: 1, bronze: { ...bronzeV1, files: withFiles.bronze.files, total_rows: 1, total_bytes: 1 } };
    expect(issues(v1)).toEqual(expect.arrayContaining(['contract_version: invalid_value', 'bronze: unrecognized_keys', 'bronze.manifest: invalid_type']));
    expect(() => jobConfigConfigMap('lakebench', 'lakebench', withFiles as SparkJobConfig)).toThrow(/unrecognized key/i);
    expect(issues({ ...doc, bronze: { ...doc.bronze, manifest: { ...doc.bronze.manifest, uri: 's3a://lakebench-bronze/customer/_manifest/' } } })).toEqual(['bronze.manifest.uri: invalid_format']);
    expect(issues({ ...doc, bronze: { ...doc.bronze, manifest: { ...doc.bronze.manifest, fingerprint: null } } })).toEqual([]);
  });

  it('still guards the ConfigMap limit for whatever else a document may carry', () => {
    const doc = docFor('gold-finalize', small, smallManifest);
    const huge = { ...doc, spark_conf: { 'spark.lakebench.padding': 'x'.repeat(CONFIGMAP_MAX_BYTES) } };
    expect(() => jobConfigConfigMap('lakebench', 'lakebench', huge)).toThrow(/above the API server's limit of 1048576/);
  });
});
