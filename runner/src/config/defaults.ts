// The defaults and ranges of the configuration that more than the schema needs: the schema applies
// them, and code that must fill in a value the config may leave out (a cluster section that is
// absent, a file size left to the platform) takes them from here, so each has one home.

/** Scale factor range and default (docs/data.md §2: 1 ≈ 10 GiB of bronze). */
export const MIN_SCALE = 0.01;
export const MAX_SCALE = 10000;
export const DEFAULT_SCALE = 0.1;

/** Nominal bronze file size when `datagen.fileSizeMb` is not set (docs/data.md §2). */
export const EMBEDDED_FILE_SIZE_MB = 16;
export const CLUSTER_FILE_SIZE_MB = 512;

/** The query engine of a cluster run when the config names none: one Trino worker of 2 CPU / 8 GiB. */
export const DEFAULT_CLUSTER_QUERY_ENGINE = { type: 'trino', workers: 1, workerCpu: 2, workerMemoryGb: 8 } as const;

/** Table format and catalog of a cluster run when the config names none. */
export const DEFAULT_TABLE_FORMAT = 'iceberg';
export const DEFAULT_CATALOG_TYPE = 'hive';
/** The catalog the layer tables live in, as Spark and the query engines name it. */
export const DEFAULT_CATALOG_NAME = 'lakehouse';

/** Continuous mode: an ingest ratio (ingested ÷ landed) below this marks the pipeline saturated (docs/pipeline.md §8.6). */
export const DEFAULT_SATURATION_RATIO = 0.95;
