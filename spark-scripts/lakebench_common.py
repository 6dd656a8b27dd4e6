"""What every Lakebench Spark job shares: the command line, the session, timing, error capture and the
stage metrics document (docs/results.md §3.4, runner/src/pipeline/stage-report.ts).

A job is a function from (session, config) to the report fields it measured. `run_job` wraps it:
a failure anywhere becomes a document with status "failed" and the error, and a non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn

from pyspark import SparkConf, SparkContext
from pyspark.sql import DataFrame, SparkSession

from lakebench_config import ConfigError, JobConfig, ManifestMismatchError, load_config, manifest_files, metrics_uri_hint
from lakebench_sparkconf import job_conf, redacted

Fields = dict[str, Any]
ERROR_MESSAGE_CHARS = 2000


class JobError(Exception):
    """A failure whose cause the job knows; `reason` goes into the report's error."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Timer:
    """Wall-clock laps of a job's steps, reported under extras.timings (seconds)."""

    start: float = field(default_factory=time.monotonic)
    laps: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.monotonic)

    def lap(self, name: str) -> float:
        now = time.monotonic()
        self.laps[name] = round(now - self._last, 3)
        self._last = now
        return self.laps[name]


def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def report(stage: str, run_id: str, start: datetime, fields: Fields) -> Fields:
    """A complete stage report: every field of stageReportSchema, the measured ones filled in."""
    end = datetime.now(UTC)
    doc: Fields = {
        "stage": stage, "run_id": run_id, "status": "succeeded", "engine": "spark",
        "start_time": iso(start), "end_time": iso(end), "engine_elapsed_seconds": round((end - start).total_seconds(), 3),
        "input_bytes": None, "output_bytes": None, "input_rows": None, "output_rows": None,
        "files_read": None, "files_written": None, "commit_seconds": None, "strategy": None, "skew_factor": None,
        "reference_date": None, "validation": None, "self_checks": None, "extras": {}, "error": None,
    }
    doc.update(fields)
    return doc


def error_fields(e: BaseException) -> Fields:
    reason = e.reason if isinstance(e, JobError) else ("CONFIG" if isinstance(e, ConfigError) else "ERROR")
    # Java exceptions arrive with their whole stack trace; the head says what went wrong.
    lines = [ln for ln in str(e).strip().splitlines() if ln.strip() and not ln.lstrip().startswith("at ")]
    message = "\n".join(lines[:8])[:ERROR_MESSAGE_CHARS] or type(e).__name__
    return {"status": "failed", "error": {"message": message, "reason": reason}}


def build_session(cfg: JobConfig) -> SparkSession:
    defaults, decided = job_conf(cfg, os.environ)
    # setIfMissing below must see what the submission set (the SparkApplication's sparkConf). A
    # SparkConf made before the JVM gateway exists is an empty Python dict that SparkContext then
    # applies over the submitted configuration (pyspark/core/context.py, _do_init), so every default
    # here won: spark.ui.enabled=false switched off the drivers' PrometheusServlet. With the gateway up
    # (spark-submit started it), SparkConf() loads the submitted properties from the JVM.
    SparkContext._ensure_initialized()
    conf = SparkConf()
    for k, v in defaults.items():
        conf.setIfMissing(k, v)
    for k, v in decided.items():
        conf.set(k, v)
    spark = SparkSession.builder.appName(f"lakebench-{cfg.stage}").config(conf=conf).getOrCreate()
    # Runtime SQL settings of an already running session are not taken from the builder.
    for k, v in decided.items():
        if k.startswith("spark.sql.") and not k.startswith("spark.sql.catalog.") and k != "spark.sql.extensions":
            spark.conf.set(k, v)
    if spark.conf.get("spark.sql.session.timeZone") != "UTC":
        raise JobError("CONFIG", "the Spark session time zone must be UTC (docs/pipeline.md §2.1)")
    return spark


def hadoop_path(spark: SparkSession, uri: str) -> tuple[Any, Any]:
    """(FileSystem, Path) of a URI through the session's Hadoop configuration (s3a, file)."""
    jvm: Any = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def list_objects(spark: SparkSession, uri: str) -> list[tuple[str, int]]:
    """Every object under a folder URI (recursively), as (key relative to the folder, bytes); [] if none."""
    fs, path = hadoop_path(spark, uri)
    if not fs.exists(path):
        return []
    out: list[tuple[str, int]] = []
    it = fs.listFiles(path, True)
    base = uri.rstrip("/") + "/"
    while it.hasNext():
        status = it.next()
        full = str(status.getPath().toString())
        key = full[len(base):] if full.startswith(base) else full.rsplit("/", 1)[-1]
        out.append((key, int(status.getLen())))
    return sorted(out)


def read_text(spark: SparkSession, uri: str) -> str | None:
    """A whole file as UTF-8 text through Spark's Hadoop file systems (s3a, file); None when it does not exist."""
    fs, path = hadoop_path(spark, uri)
    if not fs.exists(path):
        return None
    if not fs.getFileStatus(path).isFile():
        raise JobError("CONFIG", f"{uri} is a folder, not a file")
    rows = spark.read.text(uri, wholetext=True).collect()
    if len(rows) != 1:
        raise JobError("STORAGE", f"reading {uri} gave {len(rows)} texts instead of one")
    return str(rows[0]["value"])


def bronze_files(spark: SparkSession, cfg: JobConfig) -> list[tuple[str, int]]:
    """Bronze's files (key, bytes) from the datagen manifest the document points at, checked against it.

    BRONZE_MISSING when there is no manifest, MANIFEST_INVALID when it is not one, MANIFEST_MISMATCH
    when it describes another dataset than the runner planned with (file count, totals, fingerprint).
    """
    uri = cfg.bronze_manifest.uri
    try:
        text = read_text(spark, uri)
    except JobError:
        raise
    except Exception as e:
        raise JobError("STORAGE", f"cannot read the datagen manifest {uri}: {e}") from e
    if text is None:
        raise JobError("BRONZE_MISSING", f"no datagen manifest at {uri}: bronze was not generated there, or its generation did not finish")
    try:
        return manifest_files(text, cfg.bronze_manifest)
    except ManifestMismatchError as e:
        raise JobError("MANIFEST_MISMATCH", str(e)) from e
    except ConfigError as e:
        raise JobError("MANIFEST_INVALID", str(e)) from e


def manifest_extras(cfg: JobConfig) -> Fields:
    """Which manifest a job took bronze from, for its report's extras."""
    m = cfg.bronze_manifest
    return {"uri": m.uri, "files": m.files, "fingerprint": m.fingerprint}


def write_metrics(spark: SparkSession | None, uri: str, doc: Fields) -> None:
    body = (json.dumps(doc, indent=2) + "\n").encode("utf-8")
    if "://" not in uri or uri.startswith("file://"):
        local = uri.removeprefix("file://")
        os.makedirs(os.path.dirname(os.path.abspath(local)), exist_ok=True)
        tmp = f"{local}.tmp-{os.getpid()}"
        with open(tmp, "wb") as f:
            f.write(body)
        os.replace(tmp, local)  # a reader never sees half a document
        return
    if spark is None:
        raise RuntimeError(f"cannot write {uri}: Spark did not start")
    fs, path = hadoop_path(spark, uri)
    out = fs.create(path, True)
    try:
        out.write(bytearray(body))
    finally:
        out.close()


def first_row(df: DataFrame) -> dict[str, Any]:
    """A one-row result as a dict, timestamps as ISO-8601 UTC strings (the session is in UTC)."""
    from pyspark.sql import functions as F  # noqa: N812 - the PySpark convention
    from pyspark.sql.types import TimestampType

    cols = [
        F.date_format(F.col(f.name), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").alias(f.name) if isinstance(f.dataType, TimestampType) else F.col(f.name)
        for f in df.schema.fields
    ]
    rows = df.select(*cols).collect()
    if len(rows) != 1:
        raise JobError("ERROR", f"expected one row, got {len(rows)}")
    return rows[0].asDict()


def load_job_document(stage: str, doc_section: str, on_invalid: Callable[[str, ConfigError], None] | None = None) -> JobConfig:
    """A job's command line (`--config <document>`, `--print-spark-conf`) and its validated document.

    With `--print-spark-conf` the Spark settings (secrets redacted) are printed and the process exits 0.
    An invalid document exits 2 with the reason on stderr, after `on_invalid(config path, error)`.
    """
    parser = argparse.ArgumentParser(description=f"Lakebench {stage} ({doc_section})")
    parser.add_argument("--config", required=True, help="the job configuration document (JSON), a local path")
    parser.add_argument("--print-spark-conf", action="store_true", help="print the Spark settings (secrets redacted) and exit")
    args = parser.parse_args()
    try:
        cfg = load_config(args.config, stage)
        if args.print_spark_conf:
            defaults, decided = job_conf(cfg, os.environ)
            print(json.dumps({"defaults": redacted(defaults), "decided": redacted(decided)}, indent=2))
            sys.exit(0)
    except ConfigError as e:
        print(f"lakebench {stage}: invalid job configuration: {e}", file=sys.stderr)
        if on_invalid is not None:
            on_invalid(args.config, e)
        sys.exit(2)
    return cfg


Job = Callable[[SparkSession, JobConfig, Timer], Fields]


def run_job(stage: str, job: Job) -> NoReturn:
    start = datetime.now(UTC)

    def failed_document(config_path: str, e: ConfigError) -> None:
        # A local metrics location still named by the broken document gets the failure, for the runner.
        hint = metrics_uri_hint(config_path)
        if hint and "://" not in hint:
            write_metrics(None, hint, report(stage, "unknown", start, error_fields(e)))

    cfg = load_job_document(stage, "docs/pipeline.md", failed_document)
    spark: SparkSession | None = None
    timer = Timer()
    try:
        spark = build_session(cfg)
        timer.lap("session")
        fields = job(spark, cfg, timer)
        fields.setdefault("extras", {})["timings"] = timer.laps
        doc = report(stage, cfg.run_id, start, fields)
    except Exception as e:  # every failure must end up in the metrics document
        traceback.print_exc(file=sys.stderr)
        doc = report(stage, cfg.run_id, start, {**error_fields(e), "extras": {"timings": timer.laps}})
    try:
        write_metrics(spark, cfg.metrics_uri, doc)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        print(f"lakebench {stage}: could not write the metrics document to {cfg.metrics_uri}", file=sys.stderr)
        sys.exit(3)
    finally:
        if spark is not None:
            spark.stop()
    print(f"lakebench {stage}: {doc['status']} in {doc['engine_elapsed_seconds']} s; metrics at {cfg.metrics_uri}")
    sys.exit(0 if doc["status"] == "succeeded" else 1)
