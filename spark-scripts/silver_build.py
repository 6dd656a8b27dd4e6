"""silver-build (docs/pipeline.md §4): profile bronze, choose a strategy, run the runner's silver SELECT and
write `silver.customer_interactions_enriched`, partitioned by interaction_date, hash-distributed.

The transform is the SQL in the job document (runner/src/sql/silver.ts adapted to Spark); this file
only decides how the rows reach the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 - the PySpark convention

from lakebench_common import Fields, JobError, Timer, bronze_files, first_row, manifest_extras, run_job
from lakebench_config import JobConfig, SilverSettings
from lakebench_silver import PARTITION, silver_rows, silver_settings, write_silver
from lakebench_sparkconf import MB, clamp, tuning_conf
from lakebench_tables import WriteResult, committed_chunks, ensure_namespace, files_bound, partition_bytes


@dataclass(frozen=True)
class Profile:
    skew_factor: float
    sample_rows: int
    max_rows: int
    mean_rows: float


def register_bronze(spark: SparkSession, cfg: JobConfig, keys: list[str]) -> DataFrame:
    try:
        df = spark.read.parquet(*[cfg.bronze_uri + k for k in keys])
    except Exception as e:
        raise JobError("BRONZE_MISSING", f"cannot read bronze under {cfg.bronze_uri}: {e}") from e
    df.createOrReplaceTempView(cfg.bronze_view)
    return df


def profile(bronze: DataFrame, s: SilverSettings) -> tuple[Profile, DataFrame]:
    """Skew on every k-th row id (docs/pipeline.md §4.1): deterministic, whatever the file split."""
    counts = bronze.where(F.col("id") % s.sample_step == 0).groupBy("customer_id").count().cache()
    r = first_row(counts.agg(F.max("count").alias("mx"), F.avg("count").alias("mean"), F.sum("count").alias("n")))
    if not r["n"]:
        raise JobError("BRONZE_EMPTY", "the skew sample is empty: bronze has no rows")
    return Profile(float(r["mx"]) / float(r["mean"]), int(r["n"]), int(r["mx"]), float(r["mean"])), counts


def choose_strategy(s: SilverSettings, size: float, skew: float | None) -> str:
    """docs/pipeline.md §4.2, in this order: size before skew."""
    if s.strategy != "auto":
        return s.strategy
    if size >= s.chunked_threshold_bytes:
        return "chunked"
    if size >= s.simple_threshold_bytes:
        return "streaming"
    if skew is not None and skew > s.skew_threshold and s.enable_salting:
        return "salted"
    return "simple"


def chunks(files: list[tuple[str, int]], limit: float) -> list[list[str]]:
    """Consecutive runs of bronze files of at most `limit` bytes (a larger file is a chunk alone)."""
    out: list[list[str]] = []
    size = 0
    for key, n in files:
        if not out or size + n > limit:
            out.append([])
            size = 0
        out[-1].append(key)
        size += n
    return out


def salted(df: DataFrame, counts: DataFrame, p: Profile, size: float, distribution: str) -> tuple[DataFrame, Fields]:
    """Spread hot customers' rows over S salts, repartition by (customer_id, salt) (docs/pipeline.md §4.2).

    Only when the write keeps the rows where they are (distribution mode `none`). With `hash` or `range`
    the write shuffles every row again by interaction_date (Iceberg's required distribution, or the Delta
    path's repartition), so the salted layout never reaches the files and its shuffle of the payload-heavy
    rows is pure cost: the event log of bench/spark-vs-reference.ts showed two full shuffles instead of one.
    """
    hot = [int(r["customer_id"]) for r in counts.where(F.col("count") > 10 * p.mean_rows).select("customer_id").collect()]
    buckets = int(clamp(math.ceil(p.max_rows / (10 * p.mean_rows)), 2, 64))
    parts = int(clamp(size / MB * 0.3 / 256, 10, 5000))
    info: Fields = {"hot_customers": len(hot), "salt_buckets": buckets, "salt_partitions": parts, "salt_repartition": distribution == "none"}
    if distribution != "none":
        return df, info
    salt = F.when(F.col("customer_id").isin(hot), F.pmod(F.col("id"), F.lit(buckets))).otherwise(F.lit(0))
    return df.withColumn("_lakebench_salt", salt).repartition(parts, "customer_id", "_lakebench_salt").drop("_lakebench_salt"), info


def job(spark: SparkSession, cfg: JobConfig, timer: Timer) -> Fields:
    s = silver_settings(cfg)
    files = bronze_files(spark, cfg)
    all_keys = [k for k, _ in files]
    bronze = register_bronze(spark, cfg, all_keys)
    size = s.size_bytes_override if s.size_bytes_override is not None else float(cfg.bronze_total_bytes)
    prof, counts = (None, None) if s.size_bytes_override is not None else profile(bronze, s)
    timer.lap("profile")
    strategy = choose_strategy(s, size, prof.skew_factor if prof else None)
    for k, v in {**tuning_conf(cfg, size, prof.skew_factor if prof else None), **cfg.spark_conf}.items():
        spark.conf.set(k, v)

    target = cfg.silver_table
    ensure_namespace(spark, cfg, target)
    commit = {"lakebench.run-id": cfg.run_id, "lakebench.strategy": strategy}
    extras: Fields = {
        "table": target.ident, "table_format": cfg.table_format, "shuffle_partitions": spark.conf.get("spark.sql.shuffle.partitions"),
        "manifest": manifest_extras(cfg),
    }

    def write(df: DataFrame, replace: bool, extra_commit: dict[str, str] | None = None) -> WriteResult:
        return write_silver(spark, cfg, df, replace=replace, commit_props={**commit, **(extra_commit or {})})

    input_rows: int = cfg.bronze_total_rows
    results: list[WriteResult] = []
    if strategy == "chunked":
        plan = chunks(files, s.chunk_size_bytes)
        done = committed_chunks(spark, cfg, target)
        for i, keys in enumerate(plan):
            if i in done:
                continue
            register_bronze(spark, cfg, keys)
            meta = {"lakebench.chunk-index": str(i), "lakebench.chunk-count": str(len(plan))}
            results.append(write(silver_rows(spark, cfg), replace=not done and not results, extra_commit=meta))
        extras.update({"chunks": len(plan), "chunks_skipped": sorted(done)})
    else:
        df = silver_rows(spark, cfg)
        if strategy == "simple":
            input_rows = bronze.count()  # simple records both counts; streaming counts nothing up front
        elif strategy == "salted":
            if counts is None or prof is None:
                raise JobError("CONFIG", "the salted strategy needs the skew profile, which silver.sizeGb skips")
            df, salt_info = salted(df, counts, prof, size, s.distribution_mode)
            extras.update(salt_info)
        results.append(write(df, replace=True))
    timer.lap("write")

    bound = files_bound(partition_bytes(spark, cfg, target, PARTITION), s.target_file_size_bytes)
    files_written = sum(r.files for r in results)
    if bound["files_bound_exceeded"]:
        extras["warnings"] = [f"{files_written} files written, more than the bound {bound['files_limit']} (expected {bound['expected_files']})"]
    timer.lap("table_stats")
    if counts is not None:
        counts.unpersist()
    profile_fields: dict[str, Any] = {"sample_rows": prof.sample_rows if prof else None, "sample_step": s.sample_step}
    return {
        "input_bytes": cfg.bronze_total_bytes,
        "input_rows": input_rows,
        "output_bytes": sum(r.bytes for r in results),
        "output_rows": sum(r.rows for r in results),
        "files_read": len(all_keys),
        "files_written": files_written,
        "commit_seconds": round(sum(r.commit_seconds or 0 for r in results), 3) if results else None,
        "strategy": strategy,
        "skew_factor": prof.skew_factor if prof else None,
        "reference_date": cfg.reference_date,
        "extras": {
            **extras, **profile_fields, **bound,
            "write_seconds": round(sum(r.write_seconds for r in results), 3),
            "snapshots": [r.snapshot for r in results],
        },
    }


if __name__ == "__main__":
    run_job("silver-build", job)
