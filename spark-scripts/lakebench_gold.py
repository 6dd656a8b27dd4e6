"""What gold-finalize and gold-refresh share: the runner's gold SELECT and how gold is written
(docs/pipeline.md §5, §8.2): one row per day, unpartitioned, one file in date order, replaced whole.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 - the PySpark convention

from lakebench_common import first_row
from lakebench_config import JobConfig
from lakebench_tables import WriteResult, ensure_namespace, write_table

GB = 1024**3
# Gold (and gold-finalize's self-checks) scan silver several times; below this size silver is cached
# once instead (memory, spilling to local disk). Above it a scan is cheaper than the scratch space a
# cache needs.
CACHE_MAX_BYTES = 8 * GB


def table_size(spark: SparkSession, cfg: JobConfig, ident: str) -> tuple[int, int]:
    """(data files, bytes) of a table's current state, from metadata."""
    if cfg.table_format == "iceberg":
        r = first_row(spark.sql(f"SELECT count(*) AS n, coalesce(sum(file_size_in_bytes), 0) AS b FROM {ident}.files"))
    else:
        r = first_row(spark.sql(f"DESCRIBE DETAIL {ident}").select(F.col("numFiles").alias("n"), F.col("sizeInBytes").alias("b")))
    return int(r["n"]), int(r["b"])


def gold_rows(spark: SparkSession, cfg: JobConfig) -> DataFrame:
    # ≈ 730 rows: one task, one file, in date order.
    return spark.sql(cfg.sql["gold_select"]).coalesce(1).sortWithinPartitions("interaction_date")


def gold_table_props(cfg: JobConfig) -> dict[str, str]:
    if cfg.gold_target_file_size_bytes is None:
        raise ValueError(f"{cfg.stage}: the document has no gold settings")  # parse_config fills them for gold jobs
    return {
        "write.format.default": "parquet",
        "write.parquet.compression-codec": "snappy",
        "write.target-file-size-bytes": str(cfg.gold_target_file_size_bytes),
        "write.distribution-mode": "none",
        "lakebench.run-id": cfg.run_id,
    }


def write_gold(spark: SparkSession, cfg: JobConfig, df: DataFrame, commit_props: dict[str, str]) -> WriteResult:
    """Replaces gold with `df` in one commit (create or replace)."""
    ensure_namespace(spark, cfg, cfg.gold_table)
    return write_table(
        spark, cfg, cfg.gold_table, df, replace=True, partition_by=None, distribution="none",
        props=gold_table_props(cfg), commit_props=commit_props,
    )
