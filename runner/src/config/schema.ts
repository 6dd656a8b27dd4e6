// The one configuration schema of Lakebench. The CLI validates user YAML with it, and the Helm
// chart renders its runner ConfigMap in exactly this shape (charts/lakebench/templates/runner/).
// Every object is strict: an unknown key is an error, never silently ignored.
import { z } from 'zod';
import cron from 'node-cron';
import { DEFAULT_CATALOG_NAME, DEFAULT_CATALOG_TYPE, DEFAULT_CLUSTER_QUERY_ENGINE, DEFAULT_SATURATION_RATIO, DEFAULT_SCALE, DEFAULT_TABLE_FORMAT, MAX_SCALE, MIN_SCALE } from './defaults.js';

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?Z)?$/;

/** Epoch ms of an ISO date or UTC instant that names a real calendar day and time, else null. */
export function instantMs(value: string): number | null {
  const m = ISO_INSTANT.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  // Date.parse rolls 2024-02-30 over to March 1st; a round trip through the fields does not.
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  const same = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === s;
  return same ? ms : null;
}

const isoDate = z
  .string()
  .regex(ISO_INSTANT, 'expected an ISO date (YYYY-MM-DD) or a UTC instant (YYYY-MM-DDTHH:MM:SSZ)')
  .refine((v) => !ISO_INSTANT.test(v) || instantMs(v) !== null, { message: 'not a calendar date or time (month 01–12, a day the month has, hours 00–23)' });

/**
 * Node timers hold at most 2^31 − 1 ms (about 24.8 days); a longer one fires at once. Every timeout
 * and wait given in seconds (config or flag) stays below that.
 */
export const MAX_TIMEOUT_SECONDS = 2_000_000;

/**
 * A key that was removed: refused with what to do instead, naming the key (a config that still sets
 * it exits 2), rather than accepted and ignored or refused as merely unknown.
 */
const removedKey = (why: string) => z.never({ error: `removed: ${why}; delete this key` }).optional();

const checkMode = z.enum(['fail', 'warn']);
const threshold = (max: number | undefined, mode: 'fail' | 'warn' = 'fail') =>
  z
    .strictObject({
      max: z.number().nonnegative().optional().describe('largest accepted value (a share 0..1 for rates, a count otherwise)'),
      mode: checkMode.default(mode),
    })
    .prefault({ max, mode });

export const QUALITY_CHECKS = [
  'file_set',
  'schema',
  'row_count',
  'not_null',
  'structural_nulls',
  'domains',
  'payload',
  'email_malformed_rate',
  'phone_unnormalizable_rate',
  'duplicate_suspected_rate',
  'dirt_present',
] as const;
export type QualityCheckName = (typeof QUALITY_CHECKS)[number];

const s3Endpoint = z.strictObject({
  endpoint: z.url().describe('S3 endpoint URL, e.g. http://garage.lakebench.svc:3900'),
  region: z.string().min(1).default('us-east-1'),
  pathStyle: z.boolean().default(true),
});

export const resultsBucketSchema = s3Endpoint.extend({
  bucket: z.string().min(3).max(63),
  prefix: z.string().default(''),
});

/** A stage's pod sizes when the seed's profile does not suit the cluster; absent fields keep the profile. */
const stageResources = z.strictObject({
  executorCores: z.number().int().min(1).optional(),
  executorHeapGb: z.number().int().min(1).optional().describe('spark.executor.memory, GiB'),
  executorOverheadGb: z.number().int().min(1).optional().describe('spark.executor.memoryOverhead, GiB'),
  driverCores: z.number().int().min(1).optional(),
  driverMemoryGb: z.number().int().min(1).optional().describe('spark.driver.memory, GiB (overhead: 10%, at least 1 GiB)'),
  scratchGi: z.number().int().min(1).optional().describe('scratch PVC per executor, GiB'),
  // Small clusters: a pod may request less CPU than Spark's task slots (spark.kubernetes.*.request.cores).
  executorCoreRequest: z.number().positive().max(1024).optional().describe('CPU one executor pod requests, in cores (0.25 = 250m); default executorCores'),
  driverCoreRequest: z.number().positive().max(1024).optional().describe('CPU the driver pod requests, in cores; default driverCores'),
});

/**
 * Continuous mode (docs/pipeline.md §8): how long, how fast files land, the three jobs' triggers and
 * the in-stream rounds. Seconds may be small so a test runs in a minute or two.
 */
const continuousSchema = z
  .strictObject({
    durationSeconds: z.number().int().min(60, 'a continuous run lasts at least 60 s').max(MAX_TIMEOUT_SECONDS).default(1800),
    landing: z
      .strictObject({
        filesPerMinute: z.number().positive().max(6000).optional().describe('extra bronze files landed per minute'),
        mbPerSecond: z.number().positive().max(100_000).optional().describe('bytes landed per second, in MB (files of datagen.fileSizeMb)'),
      })
      .refine((l) => !(l.filesPerMinute !== undefined && l.mbPerSecond !== undefined), { message: 'give filesPerMinute or mbPerSecond, not both' })
      .prefault({}),
    triggers: z
      .strictObject({
        bronzeSeconds: z.number().positive().max(MAX_TIMEOUT_SECONDS).default(30).describe('bronze-ingest trigger interval'),
        silverSeconds: z.number().positive().max(MAX_TIMEOUT_SECONDS).default(60).describe('silver-stream trigger interval'),
        goldRefreshSeconds: z.number().positive().max(MAX_TIMEOUT_SECONDS).default(300).describe('gold-refresh period (a refresh longer than this is warned about)'),
      })
      .prefault({}),
    maxFilesPerTrigger: z.number().int().min(1).max(100_000).default(50),
    checkpointBase: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/, 'a relative key prefix (letters, digits, . _ - and /; no leading /, no ..)')
      .refine((v) => !v.split('/').includes('..'), { message: 'no .. segments' })
      .default('checkpoints')
      .describe('checkpoints at <checkpointBase>/<run-id>/<job>/ in the job writer bucket'),
    rounds: z
      .strictObject({
        schedule: z
          .string()
          .refine((v) => cron.validate(v), { message: 'not a node-cron expression (5 fields, or 6 with seconds first), e.g. "*/5 * * * *"' })
          .default('*/5 * * * *'),
        warmupSeconds: z.number().nonnegative().max(MAX_TIMEOUT_SECONDS).default(300).describe('no round before this many seconds into the run'),
        q9RetryWaitSeconds: z.number().nonnegative().max(3600).default(30).describe('wait before retrying Q9 after a commit-contention error (docs/benchmark.md §12)'),
        q9MaxAttempts: z.number().int().min(1).max(10).default(3),
      })
      .prefault({}),
    saturationRatio: z.number().gt(0).max(1).default(DEFAULT_SATURATION_RATIO).describe('ingest ratio (ingested ÷ landed) below this ⇒ pipeline_saturated'),
    // docs/pipeline.md §8.3: Iceberg retention and compaction while the jobs stream (cluster only;
    // the embedded run records them as skipped). The bounds are the spec's.
    maintenance: z
      .strictObject({
        retentionIntervalSeconds: z.number().int().min(300).max(7200).default(1800).describe('every this many seconds: expire snapshots and remove orphan files on bronze_raw, silver and gold'),
        retentionThresholdSeconds: z.number().int().min(60).max(604_800).default(1800).describe('only snapshots and orphan files older than this go (Spark Thrift: orphans older than 25 h at the least)'),
        compactionIntervalSeconds: z
          .number()
          .int()
          .max(14_400)
          .refine((v) => v === 0 || v >= 300, { message: '0 (twice retentionIntervalSeconds) or at least 300' })
          .default(0)
          .describe('every this many seconds: rewrite the data files of silver and gold; 0 = 2 × retentionIntervalSeconds'),
      })
      .prefault({}),
  })
  .prefault({});

export type ContinuousConfig = z.infer<typeof continuousSchema>;

/** Files per minute when continuous.landing names no rate. */
export const DEFAULT_LANDING_FILES_PER_MINUTE = 2;

export const configSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lower-case letters, digits and dashes (a Kubernetes name)').max(40).default('lakebench'),
  scale: z.number().min(MIN_SCALE, `scale must be at least ${MIN_SCALE}`).max(MAX_SCALE, `scale must be at most ${MAX_SCALE}`).default(DEFAULT_SCALE),
  seed: z.number().int().nonnegative().default(42),
  platform: z.enum(['auto', 'embedded', 'kubernetes']).default('auto'),
  output: z.string().min(1).default('lakebench-output'),
  asOfDate: isoDate.optional().describe('reference date for recency; default: the last event date in bronze'),

  datagen: z
    .strictObject({
      window: z
        .strictObject({ start: isoDate.default('2024-01-01'), end: isoDate.default('2025-12-31') })
        .refine(
          (w) => {
            const [start, end] = [instantMs(w.start), instantMs(w.end)];
            return start === null || end === null || end > start;
          },
          { message: 'the window is half-open [start, end): end must be after start' },
        )
        .prefault({}),
      fileSizeMb: z.number().int().min(1).max(4096).optional().describe('nominal file size; default 16 MB embedded, 512 MB in a cluster'),
      dirtyRatio: z.number().min(0).max(1).default(0.08),
      workers: z.number().int().min(1).max(256).optional().describe('parallel generator workers; default: CPU count'),
      customers: z
        .strictObject({ s: z.number().positive().default(1.0), q: z.number().nonnegative().default(10) }).prefault({}),
      parallelism: z.number().int().min(1).max(1000).optional().describe('cluster: datagen Job pods; default from the sizing model'),
      pod: z
        .strictObject({ cpu: z.number().positive(), memoryGb: z.number().min(1) })
        .optional()
        .describe('cluster: requests of one datagen pod; default 4 CPU / 4 GiB (docs/data.md §7)'),
    }).prefault({}),

  benchmark: z
    .strictObject({
      engine: z.enum(['duckdb', 'trino', 'spark-thrift']).optional().describe('default: duckdb embedded, trino in a cluster'),
      mode: z.enum(['power', 'throughput', 'composite']).default('power'),
      iterations: z.number().int().min(1).max(100).default(1),
      streams: z.number().int().min(1).max(64).default(4),
      cache: z.enum(['hot', 'cold']).default('hot'),
      timeoutSeconds: z.number().positive().max(86400).default(300),
      seed: z.number().int().nonnegative().default(42),
    }).prefault({}),

  quality: z
    .strictObject({
      thresholds: z
        .strictObject({
          file_set: threshold(0),
          schema: threshold(0),
          row_count: threshold(0),
          not_null: threshold(0),
          structural_nulls: threshold(0),
          domains: threshold(0),
          payload: threshold(0),
          email_malformed_rate: threshold(undefined),
          phone_unnormalizable_rate: threshold(undefined),
          duplicate_suspected_rate: threshold(0.05),
          dirt_present: threshold(undefined, 'warn'),
        })
        .prefault({}),
    }).prefault({}),

  pipeline: z
    .strictObject({
      mode: z.enum(['batch', 'continuous']).default('batch').describe('batch: one pass of the stages, then the benchmark; continuous: streaming bronze → silver → gold while files keep landing, with in-stream rounds (continuous.*)'),
      preBenchmarkMaintenance: removedKey('pre-benchmark maintenance is not built (docs/pipeline.md §7) and the key never had an effect'),
      timeoutSeconds: z.number().positive().max(MAX_TIMEOUT_SECONDS).optional().describe('per-stage timeout; default max(3600, scale × 60)'),
    }).prefault({}),

  continuous: continuousSchema,

  silver: z
    .strictObject({
      strategy: z.enum(['auto', 'simple', 'streaming', 'chunked', 'salted']).default('auto'),
      distributionMode: z.enum(['hash', 'none', 'range']).default('hash'),
      targetFileSizeMb: z.number().int().min(1).default(128),
      simpleThresholdGb: z.number().positive().default(100),
      chunkedThresholdGb: z.number().positive().default(5120),
      chunkSizeGb: z.number().positive().default(1024),
      skewThreshold: z.number().positive().default(100),
      enableSalting: z.boolean().default(true),
      sizeGb: z.number().positive().optional().describe('skip profiling and use this size'),
    }).prefault({}),

  results: z
    .strictObject({
      bucket: resultsBucketSchema.optional().describe('upload results here; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY'),
    }).prefault({}),

  // Everything below is read only by the kubernetes platform; the chart renders it.
  cluster: z
    .strictObject({
      namespace: z.string().min(1).default('lakebench'),
      release: z.string().min(1).default('lakebench'),
      storage: s3Endpoint
        .extend({
          credentialsSecret: z
            .strictObject({
              name: z.string().min(1),
              accessKeyIdKey: z.string().min(1).default('AWS_ACCESS_KEY_ID'),
              secretAccessKeyKey: z.string().min(1).default('AWS_SECRET_ACCESS_KEY'),
            })
            .optional()
            .describe('Secret with the S3 keys, referenced by Spark and datagen pods; default <fullname>-garage-key (the in-chart Garage)'),
          buckets: z
            .strictObject({
              bronze: z.string().default('lakebench-bronze'),
              silver: z.string().default('lakebench-silver'),
              gold: z.string().default('lakebench-gold'),
            }).prefault({}),
        })
        .optional(),
      catalog: z
        .strictObject({
          type: z.enum(['hive', 'polaris']).default(DEFAULT_CATALOG_TYPE),
          name: z.string().default(DEFAULT_CATALOG_NAME),
          uri: z.string().min(1).describe('thrift://host:9083 for Hive, http://host:8181/api/catalog for Polaris'),
          warehouse: z.string().optional().describe('Polaris catalog (warehouse) name'),
          credentialsSecret: z
            .strictObject({
              name: z.string().min(1),
              clientIdKey: z.string().min(1).default('clientId'),
              clientSecretKey: z.string().min(1).default('clientSecret'),
            })
            .optional()
            .describe('Polaris: Secret with the OAuth2 client credentials; default <fullname>-polaris-client'),
        })
        .optional(),
      tableFormat: z.enum(['iceberg', 'delta']).default(DEFAULT_TABLE_FORMAT),
      queryEngine: z
        .strictObject({
          type: z
            .enum(['trino', 'spark-thrift'], {
              // Removed value: DuckDB in the runner pod would need its iceberg extension, which is not tested; it was always refused at run time.
              error: (issue) => (issue.input === 'duckdb' ? 'duckdb is not a cluster query engine (it runs only on the embedded platform, --local); use trino or spark-thrift' : undefined),
            })
            .default(DEFAULT_CLUSTER_QUERY_ENGINE.type),
          endpoint: z.string().min(1).optional().describe('http://trino:8080 or spark-thrift:10000'),
          workers: z.number().int().min(0).default(DEFAULT_CLUSTER_QUERY_ENGINE.workers),
          workerCpu: z.number().positive().default(DEFAULT_CLUSTER_QUERY_ENGINE.workerCpu),
          workerMemoryGb: z.number().positive().default(DEFAULT_CLUSTER_QUERY_ENGINE.workerMemoryGb),
        })
        .refine((q) => Boolean(q.endpoint), { message: 'endpoint is required for trino and spark-thrift', path: ['endpoint'] })
        .optional(),
      spark: z
        .strictObject({
          image: z.string().min(1).default('apache/spark:4.0.1-python3'),
          serviceAccount: z.string().default('lakebench-spark-runner'),
          version: z.enum(['3', '4']).default('4'),
          scratchStorageClass: z.string().optional(),
          executors: z
            .strictObject({
              'bronze-verify': z.number().int().min(1).optional(),
              'silver-build': z.number().int().min(1).optional(),
              'gold-finalize': z.number().int().min(1).optional(),
              'bronze-ingest': z.number().int().min(1).optional(),
              'silver-stream': z.number().int().min(1).optional(),
              'gold-refresh': z.number().int().min(1).optional(),
            }).prefault({}),
          resources: z
            .strictObject({
              'bronze-verify': stageResources.optional(),
              'silver-build': stageResources.optional(),
              'gold-finalize': stageResources.optional(),
              'bronze-ingest': stageResources.optional(),
              'silver-stream': stageResources.optional(),
              'gold-refresh': stageResources.optional(),
            })
            .prefault({})
            .describe('per-stage pod sizes replacing the profile of docs/pipeline.md §9.1 (small clusters)'),
          allowOverCeiling: z.boolean().default(false).describe('acknowledge executor overrides above 28'),
          prometheusMetrics: z.boolean().default(false).describe("serve the drivers' PrometheusServlet and executor metrics on the UI port (turns the Spark UI on)"),
          packages: z.array(z.string().regex(/^[\w.-]+:[\w.-]+:[\w.-]+$/, 'group:artifact:version')).optional().describe('Maven packages of the jobs; default: Iceberg, S3A (and Delta) for the Spark version'),
          mavenRepository: z
            .url()
            .refine((u) => /^https?:\/\//.test(u), { message: 'an http(s) URL of a Maven repository (Maven Central layout)' })
            .optional()
            .describe('Maven repository the drivers resolve packages from instead of Maven Central (air-gapped clusters): DEFAULT_ARTIFACT_REPOSITORY in the driver pods'),
        }).prefault({}),
      runnerImage: z.string().optional(),
      nodes: z
        .strictObject({ count: z.number().int().min(1), cpu: z.number().positive(), memoryGb: z.number().positive() })
        .optional()
        .describe('declared node size, used by the capacity preflight without a cluster'),
    })
    .optional(),
});

export type LakebenchConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ResultsBucket = z.infer<typeof resultsBucketSchema>;
