"""silver-stream (docs/pipeline.md §8.1): `bronze_raw` as a streaming source → silver.

Each micro-batch (the rows bronze-ingest committed since the last one) is registered as the bronze
view and goes through silver-build's own SELECT and write (lakebench_silver): the same transforms,
partitioning and table properties as the batch stage. The run's first batch creates (or replaces)
silver; later batches append. `silver_processing_timestamp` is the batch's processing time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.streaming.query import StreamingQuery

from lakebench_config import JobConfig
from lakebench_silver import silver_rows, write_silver
from lakebench_streaming import BatchLedger, Clock, StreamReport, batch_entry, batch_tags, guarded, log, run_stream, streaming, wait_for
from lakebench_tables import ensure_namespace, table_exists


def start(spark: SparkSession, cfg: JobConfig, report: StreamReport, clock: Clock) -> StreamingQuery | None:
    s = streaming(cfg)
    bronze_raw = s.bronze_raw
    if not wait_for(cfg, clock, lambda: table_exists(spark, cfg, bronze_raw), f"table {bronze_raw.ident}"):
        return None
    ledger = BatchLedger(cfg.silver_table)
    ensure_namespace(spark, cfg, cfg.silver_table)

    def transform(df: DataFrame, batch_id: int) -> None:
        started = datetime.now(UTC)
        session = df.sparkSession
        done = ledger.look_up(session, cfg)
        if str(batch_id) in done:
            log(cfg.stage, f"batch {batch_id} skipped: already committed to {cfg.silver_table.ident} (a replay)")
            return
        df.createOrReplaceTempView(cfg.bronze_view)
        try:
            res = write_silver(session, cfg, silver_rows(session, cfg), replace=not done, commit_props=batch_tags(cfg, batch_id))
        finally:
            session.catalog.dropTempView(cfg.bronze_view)
        done.add(str(batch_id))
        report.add(session, batch_entry(batch_id, started, res.rows))
        log(cfg.stage, f"batch {batch_id}: {res.rows} rows")

    reader = spark.readStream.format(cfg.table_format)
    source = reader.load(bronze_raw.location) if cfg.table_format == "delta" and bronze_raw.location else reader.load(bronze_raw.ident)
    return (
        source.writeStream.foreachBatch(guarded(clock, transform))
        .option("checkpointLocation", s.checkpoint_uri)
        .trigger(processingTime=f"{s.trigger_seconds:g} seconds")
        .queryName(cfg.stage)
        .start()
    )


if __name__ == "__main__":
    run_stream("silver-stream", start)
