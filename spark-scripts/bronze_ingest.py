"""bronze-ingest (docs/pipeline.md §8.1): Parquet files landing under the bronze prefix → `bronze_raw`.

A file-source stream with the declared 41-column bronze schema (from the document, never inferred
from a file), at most `max_files_per_trigger` new files per micro-batch, one append per batch. At the
run's start (no commit of this run in the table yet) bronze_raw is created, or replaced by an empty
table of that schema, at its explicit location in the bronze bucket; so a new run never ingests on
top of an older run's rows, while a restarted job appends where it stopped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import unquote

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812 - the PySpark convention
from pyspark.sql.streaming.query import StreamingQuery

from lakebench_common import list_objects
from lakebench_config import JobConfig, Table
from lakebench_streaming import BatchLedger, Clock, StreamReport, batch_entry, batch_tags, guarded, log, run_stream, streaming, wait_for
from lakebench_tables import ensure_namespace, table_exists, write_table

FILE_COLUMN = "_lakebench_file"


def _sql_string(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def landed(spark: SparkSession, cfg: JobConfig) -> list[str]:
    """Data files under the landing prefix (Spark's file source skips names starting with _ or .)."""
    return [k for k, _ in list_objects(spark, cfg.bronze_uri) if k.endswith(".parquet") and not k.rsplit("/", 1)[-1].startswith(("_", "."))]


def prepare_table(spark: SparkSession, cfg: JobConfig, table: Table, ledger: BatchLedger) -> None:
    """bronze_raw with the declared schema, emptied at the run's start, kept as it is on a restart."""
    if table_exists(spark, cfg, table) and ledger.look_up(spark, cfg):
        return
    s = streaming(cfg)
    location = f" LOCATION {_sql_string(table.location)}" if table.location and cfg.table_format == "iceberg" else ""
    props = "TBLPROPERTIES ('write.format.default' = 'parquet', 'write.parquet.compression-codec' = 'snappy')" if cfg.table_format == "iceberg" else ""
    ensure_namespace(spark, cfg, table)
    spark.sql(f"CREATE OR REPLACE TABLE {table.ident} ({s.bronze_schema}) USING {cfg.table_format}{location} {props}")


def start(spark: SparkSession, cfg: JobConfig, report: StreamReport, clock: Clock) -> StreamingQuery | None:
    s = streaming(cfg)
    schema = s.bronze_schema
    if schema is None:
        raise ValueError("bronze-ingest: the document has no bronze schema")  # parse_config requires it
    if not wait_for(cfg, clock, lambda: bool(landed(spark, cfg)), f"landed bronze file under {cfg.bronze_uri}"):
        return None
    table = s.bronze_raw
    ledger = BatchLedger(table)
    prepare_table(spark, cfg, table, ledger)
    prefix = cfg.bronze_uri

    def ingest(df: DataFrame, batch_id: int) -> None:
        started = datetime.now(UTC)
        session = df.sparkSession
        if str(batch_id) in ledger.look_up(session, cfg):
            log(cfg.stage, f"batch {batch_id} skipped: already committed to {table.ident} (a replay)")
            return
        # The file each row came from (the file source's _metadata column): reading it scans no data column.
        paths = [str(r[FILE_COLUMN]) for r in df.select(FILE_COLUMN).distinct().collect()]
        files = sorted(unquote(f).removeprefix(prefix) for f in paths)
        res = write_table(
            session, cfg, table, df.drop(FILE_COLUMN), replace=False, partition_by=None, distribution="none", props={},
            commit_props=batch_tags(cfg, batch_id),
        )
        ledger.look_up(session, cfg).add(str(batch_id))
        report.add(session, batch_entry(batch_id, started, res.rows, files))
        log(cfg.stage, f"batch {batch_id}: {len(files)} files, {res.rows} rows")

    landing = spark.readStream.schema(schema).option("maxFilesPerTrigger", s.max_files_per_trigger).parquet(prefix)
    source = landing.withColumn(FILE_COLUMN, F.col("_metadata.file_path"))
    return (
        source.writeStream.foreachBatch(guarded(clock, ingest))
        .option("checkpointLocation", s.checkpoint_uri)
        .trigger(processingTime=f"{s.trigger_seconds:g} seconds")
        .queryName(cfg.stage)
        .start()
    )


if __name__ == "__main__":
    run_stream("bronze-ingest", start)
