"""Writing a layer table, Iceberg (through the catalog) or Delta (path-based), and reading back what
the commit did: files, bytes, rows, commit time, and the per-partition bytes of docs/pipeline.md §4.3.

Iceberg distributes rows itself from `write.distribution-mode`; Delta has no such property, so its
rows are shuffled here by the partition column before the write (the §4.3 write lesson).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 - the PySpark convention

from lakebench_common import first_row, hadoop_path
from lakebench_config import JobConfig, Table

WRITE_VIEW = "lakebench_write_source"
DELTA_USER_METADATA = "spark.databricks.delta.commitInfo.userMetadata"


@dataclass(frozen=True)
class WriteResult:
    files: int
    bytes: int
    rows: int
    commit_seconds: float | None
    write_seconds: float
    snapshot: str


def _sql_string(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def ensure_namespace(spark: SparkSession, cfg: JobConfig, table: Table) -> None:
    if cfg.table_format == "iceberg":
        spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {table.ident.rsplit('.', 1)[0]}")


def table_exists(spark: SparkSession, cfg: JobConfig, table: Table) -> bool:
    if cfg.table_format == "iceberg":
        return bool(spark.catalog.tableExists(table.ident))
    fs, path = hadoop_path(spark, f"{table.location}/_delta_log")
    return bool(fs.exists(path))


def write_table(
    spark: SparkSession,
    cfg: JobConfig,
    table: Table,
    df: DataFrame,
    *,
    replace: bool,
    partition_by: str | None,
    distribution: str,
    props: dict[str, str],
    commit_props: dict[str, str],
) -> WriteResult:
    """Create-or-replace (or append to) `table` with `df` in one commit."""
    if cfg.table_format == "iceberg":
        return _write_iceberg(spark, table, df, replace, partition_by, props, commit_props)
    if partition_by and distribution == "hash":
        df = df.repartition(F.col(partition_by))
    elif partition_by and distribution == "range":
        df = df.repartitionByRange(F.col(partition_by))
    # Delta OSS has no target-file-size property (delta.targetFileSize is Databricks-only and
    # rejected); the Iceberg write.* keys mean nothing to it. Only our own keys carry over.
    delta_props = {k: v for k, v in props.items() if k.startswith("lakebench.")}
    return _write_delta(spark, table, df, replace, partition_by, delta_props, commit_props)


def _write_iceberg(
    spark: SparkSession, table: Table, df: DataFrame, replace: bool, partition_by: str | None, props: dict[str, str], commit_props: dict[str, str]
) -> WriteResult:
    w = df.writeTo(table.ident).using("iceberg")
    for k, v in commit_props.items():
        w = w.option(f"snapshot-property.{k}", v)
    t0 = time.time()
    if replace:
        if partition_by:
            w = w.partitionedBy(F.col(partition_by))
        for k, v in props.items():
            w = w.tableProperty(k, v)
        w.createOrReplace()
    else:
        w.append()
    t1 = time.time()
    snap = first_row(
        spark.sql(f"SELECT snapshot_id, unix_millis(committed_at) AS committed_ms, summary FROM {table.ident}.snapshots ORDER BY committed_at DESC LIMIT 1")
    )
    summary: dict[str, str] = snap["summary"] or {}
    # The snapshot is stamped when the commit begins (manifests written); the call returns once the
    # catalog accepted it. Same driver clock for both.
    commit = max(0.0, t1 - int(snap["committed_ms"]) / 1000)
    return WriteResult(
        files=int(summary.get("added-data-files", 0)),
        bytes=int(summary.get("added-files-size", 0)),
        rows=int(summary.get("added-records", 0)),
        commit_seconds=round(commit, 3),
        write_seconds=round(t1 - t0, 3),
        snapshot=str(snap["snapshot_id"]),
    )


def _write_delta(
    spark: SparkSession, table: Table, df: DataFrame, replace: bool, partition_by: str | None, props: dict[str, str], commit_props: dict[str, str]
) -> WriteResult:
    df.createOrReplaceTempView(WRITE_VIEW)
    spark.conf.set(DELTA_USER_METADATA, json.dumps(commit_props, sort_keys=True))
    t0 = time.time()
    try:
        if replace:
            parts = f"PARTITIONED BY ({partition_by})" if partition_by else ""
            tblprops = ", ".join(f"{_sql_string(k)} = {_sql_string(v)}" for k, v in props.items())
            spark.sql(f"CREATE OR REPLACE TABLE {table.ident} USING delta {parts} TBLPROPERTIES ({tblprops}) AS SELECT * FROM {WRITE_VIEW}")
        else:
            spark.sql(f"INSERT INTO {table.ident} SELECT * FROM {WRITE_VIEW}")
    finally:
        spark.conf.unset(DELTA_USER_METADATA)
        spark.catalog.dropTempView(WRITE_VIEW)
    t1 = time.time()
    h = first_row(spark.sql(f"DESCRIBE HISTORY {table.ident} LIMIT 1").select("version", F.unix_millis("timestamp").alias("ms"), "operationMetrics"))
    m: dict[str, str] = h["operationMetrics"] or {}
    return WriteResult(
        files=int(m.get("numFiles", m.get("numAddedFiles", 0))),
        bytes=int(m.get("numOutputBytes", m.get("numAddedBytes", 0))),
        rows=int(m.get("numOutputRows", 0)),
        commit_seconds=round(max(0.0, t1 - int(h["ms"]) / 1000), 3),
        write_seconds=round(t1 - t0, 3),
        snapshot=f"version {h['version']}",
    )


def committed_chunks(spark: SparkSession, cfg: JobConfig, table: Table) -> set[int]:
    """Chunk indexes this run already committed to the table's current state (chunked restarts)."""
    return {int(v) for v in committed_values(spark, cfg, table, "lakebench.chunk-index")}


def committed_values(spark: SparkSession, cfg: JobConfig, table: Table, key: str) -> set[str]:
    """Values of the commit property `key` in this run's commits to the table's current state."""
    if not table_exists(spark, cfg, table):
        return set()
    done: set[str] = set()
    if cfg.table_format == "iceberg":
        rows = spark.sql(
            f"SELECT s.summary[{_sql_string(key)}] AS v FROM {table.ident}.snapshots s "
            f"JOIN {table.ident}.history h ON s.snapshot_id = h.snapshot_id "
            f"WHERE h.is_current_ancestor AND s.summary['lakebench.run-id'] = {_sql_string(cfg.run_id)}"
        ).collect()
        done = {str(r["v"]) for r in rows if r["v"] is not None}
    else:
        for r in spark.sql(f"DESCRIBE HISTORY {table.ident}").select("userMetadata").collect():
            meta: Any = json.loads(r["userMetadata"]) if r["userMetadata"] else {}
            if isinstance(meta, dict) and meta.get("lakebench.run-id") == cfg.run_id and key in meta:
                done.add(str(meta[key]))
    return done


def partition_bytes(spark: SparkSession, cfg: JobConfig, table: Table, partition_by: str) -> list[tuple[str, int, int]]:
    """(partition value, bytes, files) of the table's current data files."""
    if cfg.table_format == "iceberg":
        df = spark.sql(f"SELECT CAST(partition.{partition_by} AS STRING) AS p, file_size_in_bytes AS b, file_path AS f FROM {table.ident}.files")
    else:
        df = spark.sql(f"SELECT CAST({partition_by} AS STRING) AS p, _metadata.file_size AS b, _metadata.file_path AS f FROM {table.ident}").distinct()
    rows = df.groupBy("p").agg(F.sum("b").alias("b"), F.countDistinct("f").alias("n")).collect()
    return [(str(r["p"]), int(r["b"]), int(r["n"])) for r in rows]


def files_bound(parts: list[tuple[str, int, int]], target_bytes: int) -> dict[str, Any]:
    """docs/pipeline.md §4.3: expected = Σ ceil(partition bytes ÷ target); a WARNING above max(2 x expected, expected + 1,000)."""
    expected = sum(max(1, math.ceil(b / target_bytes)) for _, b, _ in parts)
    actual = sum(n for _, _, n in parts)
    limit = max(2 * expected, expected + 1000)
    return {"partitions": len(parts), "expected_files": expected, "table_files": actual, "files_limit": limit, "files_bound_exceeded": actual > limit}
