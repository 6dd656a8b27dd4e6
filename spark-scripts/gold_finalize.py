"""gold-finalize (docs/pipeline.md §5): the runner's gold SELECT over silver, one row per day, written as
`gold.customer_executive_dashboard` (unpartitioned, one file, create or replace), then the
self-checks against the silver it was built from.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import SparkSession

from lakebench_common import Fields, JobError, Timer, first_row, run_job
from lakebench_config import JobConfig
from lakebench_gold import CACHE_MAX_BYTES, GB, gold_rows, table_size, write_gold

MISSING_MARKERS = ("TABLE_OR_VIEW_NOT_FOUND", "PATH_NOT_FOUND", "is not a Delta table", "DELTA_TABLE_NOT_FOUND", "DELTA_MISSING_DELTA_TABLE")


def open_silver(spark: SparkSession, cfg: JobConfig) -> tuple[int, int, int, bool]:
    """(rows, data files, bytes, cached) of silver; fails when it is missing or empty (docs/pipeline.md §5)."""
    ident = cfg.silver_table.ident
    try:
        files, size = table_size(spark, cfg, ident)
        cached = size <= CACHE_MAX_BYTES
        if cached:
            spark.sql(f"CACHE TABLE {ident}")  # eager: this scan also serves the count below
        n = int(first_row(spark.sql(f"SELECT count(*) AS n FROM {ident}"))["n"])
    except Exception as e:
        if any(m in str(e) for m in MISSING_MARKERS):
            raise JobError("SILVER_MISSING", f"silver {ident} is missing: {e}") from e
        raise JobError("CATALOG" if cfg.table_format == "iceberg" else "STORAGE", f"cannot read silver {ident}: {e}") from e
    if n == 0:
        raise JobError("SILVER_EMPTY", f"silver {ident} is empty")
    return n, files, size, cached


def scalar(spark: SparkSession, sql: str) -> int | float | None:
    v: Any = first_row(spark.sql(sql))["v"]
    return None if v is None else (int(v) if float(v).is_integer() else float(v))


def job(spark: SparkSession, cfg: JobConfig, timer: Timer) -> Fields:
    rows_in, files_in, bytes_in, cached = open_silver(spark, cfg)
    timer.lap("read_silver")
    target = cfg.gold_table
    res = write_gold(spark, cfg, gold_rows(spark, cfg), commit_props={"lakebench.run-id": cfg.run_id})
    timer.lap("write")
    rows_out = int(first_row(spark.sql(f"SELECT count(*) AS n FROM {target.ident}"))["n"])
    checks: list[Fields] = []
    for name, gold_sql, silver_sql in cfg.self_checks:
        g, s = scalar(spark, gold_sql), scalar(spark, silver_sql)
        checks.append({"name": name, "passed": g is not None and g == s, "expected": s, "observed": g})
    timer.lap("self_checks")
    if cached:
        spark.sql(f"UNCACHE TABLE IF EXISTS {cfg.silver_table.ident}")
    failed = [c for c in checks if not c["passed"]]
    return {
        "status": "failed" if failed else "succeeded",
        "input_bytes": bytes_in,
        "input_rows": rows_in,
        "output_bytes": res.bytes,
        "output_rows": rows_out,
        "files_read": files_in,
        "files_written": res.files,
        "commit_seconds": res.commit_seconds,
        # two_phase_agg (docs/pipeline.md §5) is not implemented: Spark's AQE plans the aggregation.
        "strategy": "simple_agg",
        "self_checks": checks,
        "error": {
            "message": "gold self-checks failed: " + "; ".join(f"{c['name']} (gold {c['observed']}, silver {c['expected']})" for c in failed),
            "reason": "SELF_CHECK",
        } if failed else None,
        "extras": {
            "table": target.ident,
            "table_format": cfg.table_format,
            "silver_bytes_gb": round(bytes_in / GB, 3),
            "silver_cached": cached,
            "write_seconds": res.write_seconds,
            "snapshot": res.snapshot,
        },
    }


if __name__ == "__main__":
    run_job("gold-finalize", job)
