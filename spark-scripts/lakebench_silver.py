"""What silver-build and silver-stream share: the silver table's layout and the write of the runner's
silver SELECT (docs/pipeline.md §4, §8.1). Both jobs run `cfg.sql["silver_select"]` over the bronze view
and write through `write_silver`, so a silver table built in one pass or micro-batch by micro-batch
has the same rows, partitioning and properties.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession

from lakebench_config import JobConfig, SilverSettings
from lakebench_tables import WriteResult, write_table

PARTITION = "interaction_date"


def silver_settings(cfg: JobConfig) -> SilverSettings:
    if cfg.silver is None:
        raise ValueError(f"{cfg.stage}: the document has no silver settings")  # parse_config fills them for silver jobs
    return cfg.silver


def silver_table_props(cfg: JobConfig) -> dict[str, str]:
    s = silver_settings(cfg)
    return {
        "write.format.default": "parquet",
        "write.parquet.compression-codec": "snappy",
        "write.target-file-size-bytes": str(s.target_file_size_bytes),
        "write.distribution-mode": s.distribution_mode,
        # Iceberg's default fan-out writer keeps one open Parquet file per date a task meets; when AQE
        # packs many dates into one task (small data) that exhausts the heap. Sorting by the partition
        # within each task keeps one file open at a time, at any scale.
        "write.spark.fanout.enabled": "false",
        "lakebench.reference-date": cfg.reference_date,
        "lakebench.run-id": cfg.run_id,
    }


def silver_rows(spark: SparkSession, cfg: JobConfig) -> DataFrame:
    """The runner's silver SELECT over whatever is registered as the bronze view."""
    return spark.sql(cfg.sql["silver_select"])


def write_silver(spark: SparkSession, cfg: JobConfig, df: DataFrame, *, replace: bool, commit_props: dict[str, str]) -> WriteResult:
    """Create-or-replace silver with `df`, or append it, in one commit, partitioned by interaction_date."""
    s = silver_settings(cfg)
    return write_table(
        spark, cfg, cfg.silver_table, df, replace=replace, partition_by=PARTITION, distribution=s.distribution_mode,
        props=silver_table_props(cfg), commit_props=commit_props,
    )
