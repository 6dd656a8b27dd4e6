"""gold-refresh (docs/pipeline.md §8.2): every `trigger_seconds`, gold rebuilt from all of silver.

A rate source only paces the refreshes (its rows are ignored), so refreshes run on Spark's trigger
clock and stop like the other streaming jobs. Each refresh pins one silver snapshot (Iceberg) or
version (Delta), registers it as the view the gold SELECT reads, and replaces gold with gold-finalize's
own SELECT and write (lakebench_gold). The commit records the newest silver_processing_timestamp
of that snapshot under `lakebench.source-max-processing-ts` (ISO-8601 UTC, microseconds): an Iceberg
snapshot summary property (write option `snapshot-property.<key>`), in Delta the commit's user metadata.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 - the PySpark convention
from pyspark.sql.streaming.query import StreamingQuery

from lakebench_common import first_row
from lakebench_config import JobConfig
from lakebench_gold import CACHE_MAX_BYTES, gold_rows, table_size, write_gold
from lakebench_streaming import Clock, StreamReport, batch_entry, batch_tags, guarded, log, run_stream, streaming, wait_for
from lakebench_tables import table_exists

SOURCE_MAX_PROCESSING_TS = "lakebench.source-max-processing-ts"
SOURCE_SNAPSHOT = "lakebench.source-snapshot"


def pin_silver(spark: SparkSession, cfg: JobConfig) -> tuple[DataFrame, str] | None:
    """Silver as of its current snapshot or version, and which one; None while it has none."""
    t = cfg.silver_table
    if cfg.table_format == "iceberg":
        rows = spark.sql(f"SELECT snapshot_id FROM {t.ident}.history WHERE is_current_ancestor ORDER BY made_current_at DESC LIMIT 1").collect()
        if not rows:
            return None
        sid = str(rows[0]["snapshot_id"])
        return spark.read.format("iceberg").option("snapshot-id", sid).load(t.ident), sid
    version = str(first_row(spark.sql(f"DESCRIBE HISTORY {t.ident} LIMIT 1").select("version"))["version"])
    return spark.read.format("delta").option("versionAsOf", version).load(t.location), f"version {version}"


def start(spark: SparkSession, cfg: JobConfig, report: StreamReport, clock: Clock) -> StreamingQuery | None:
    s = streaming(cfg)
    view = s.silver_view
    if view is None:
        raise ValueError("gold-refresh: the document names no silver view")  # parse_config requires it
    if not wait_for(cfg, clock, lambda: table_exists(spark, cfg, cfg.silver_table), f"table {cfg.silver_table.ident}"):
        return None

    def refresh(_ticks: DataFrame, batch_id: int) -> None:
        started = datetime.now(UTC)
        session = _ticks.sparkSession
        pinned = pin_silver(session, cfg)
        if pinned is None:
            log(cfg.stage, f"refresh {batch_id} skipped: silver has no snapshot yet")
            return
        silver, snapshot = pinned
        # Two scans of silver (its newest processing time, then gold): one, when it is small enough to cache.
        cached = table_size(session, cfg, cfg.silver_table.ident)[1] <= CACHE_MAX_BYTES
        if cached:
            silver = silver.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            covered = first_row(silver.agg(F.max("silver_processing_timestamp").alias("ts")))["ts"]
            if covered is None:
                log(cfg.stage, f"refresh {batch_id} skipped: silver snapshot {snapshot} is empty")
                return
            silver.createOrReplaceTempView(view)
            tags = {**batch_tags(cfg, batch_id), SOURCE_MAX_PROCESSING_TS: str(covered), SOURCE_SNAPSHOT: snapshot}
            res = write_gold(session, cfg, gold_rows(session, cfg), commit_props=tags)
        finally:
            session.catalog.dropTempView(view)
            if cached:
                silver.unpersist()
        report.add(session, batch_entry(batch_id, started, res.rows))
        log(cfg.stage, f"refresh {batch_id}: {res.rows} rows from silver snapshot {snapshot}, covered up to {covered}")

    ticks = spark.readStream.format("rate").option("rowsPerSecond", 1).option("numPartitions", 1).load()
    return (
        ticks.writeStream.foreachBatch(guarded(clock, refresh))
        .option("checkpointLocation", s.checkpoint_uri)
        .trigger(processingTime=f"{s.trigger_seconds:g} seconds")
        .queryName(cfg.stage)
        .start()
    )


if __name__ == "__main__":
    run_stream("gold-refresh", start)
