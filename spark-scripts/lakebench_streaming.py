"""What the three continuous-mode jobs share (docs/pipeline.md §8.1): the command line, the job report,
waiting for the job's input, how a micro-batch is recorded, and how the query is stopped.

A streaming job runs one Structured Streaming query whose micro-batches go through `foreachBatch`, so
each batch is written by the same batch code as the stage of its layer. It stops by itself once
`streaming.duration_seconds` have passed since it started, or on SIGTERM/SIGINT: it lets the running
micro-batch finish (at most STOP_GRACE_SECONDS), stops the query, and writes its report with
`stopped_by` "duration" or "signal"; a query that fails ends the job with "failed" and exit 1.

The job report (`metrics_uri`, `<checkpointBase>/<run-id>/<job>/report.json` in the job's writer bucket)
is rewritten after every batch, so a killed job still leaves its progress (with `stopped_by` null); a
job restarted on the same checkpoint keeps the batches already reported and appends its own.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import FrameType
from typing import Any, NoReturn

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.streaming.query import StreamingQuery

from lakebench_common import Fields, JobError, build_session, error_fields, iso, load_job_document, read_text, write_metrics
from lakebench_config import JobConfig, StreamingSettings, Table
from lakebench_tables import committed_values

# A running micro-batch gets this long to finish after the duration or a signal; then the query is
# stopped anyway (an interrupted batch is not committed, or is skipped as a replay on restart).
STOP_GRACE_SECONDS = 120.0
STOPPING_MARKER = "LAKEBENCH_STOPPING"
BATCH_ID_KEY = "lakebench.stream-batch-id"
JOB_KEY = "lakebench.stream-job"


def streaming(cfg: JobConfig) -> StreamingSettings:
    if cfg.streaming is None:
        raise ValueError(f"{cfg.stage}: the document has no streaming settings")  # parse_config fills them for streaming jobs
    return cfg.streaming


def log(job: str, message: str) -> None:
    print(f"lakebench {job}: {message}", flush=True)


@dataclass
class StreamReport:
    """The job report of the continuous-mode contract, kept in memory and rewritten whole."""

    job: str
    run_id: str
    uri: str
    batches: list[Fields] = field(default_factory=list)
    stopped_by: str | None = None
    error: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def resume(spark: SparkSession, cfg: JobConfig) -> StreamReport:
        """This run's report as an earlier attempt of the job left it, or an empty one."""
        report = StreamReport(cfg.stage, cfg.run_id, cfg.metrics_uri)
        try:
            text = read_text(spark, cfg.metrics_uri)
            old: Any = json.loads(text) if text is not None else None
        except Exception as e:  # an unreadable report only costs the earlier batches' entries
            log(cfg.stage, f"ignoring the unreadable report at {cfg.metrics_uri}: {e}")
            old = None
        if isinstance(old, dict) and old.get("job") == cfg.stage and old.get("run_id") == cfg.run_id and isinstance(old.get("batches"), list):
            report.batches = [b for b in old["batches"] if isinstance(b, dict)]
        return report

    def document(self) -> Fields:
        doc: Fields = {"job": self.job, "run_id": self.run_id, "batches": list(self.batches), "stopped_by": self.stopped_by}
        if self.error is not None:
            doc["error"] = self.error
        return doc

    def add(self, spark: SparkSession, batch: Fields) -> None:
        with self._lock:
            self.batches = [b for b in self.batches if b.get("batch_id") != batch["batch_id"]] + [batch]
            write_metrics(spark, self.uri, self.document())

    def write(self, spark: SparkSession | None) -> None:
        with self._lock:
            write_metrics(spark, self.uri, self.document())


class StopRequest:
    """SIGTERM and SIGINT ask the job to stop cleanly; the main loop polls `signalled`."""

    def __init__(self) -> None:
        self.signalled = False
        for s in (signal.SIGTERM, signal.SIGINT):
            signal.signal(s, self._handle)

    def _handle(self, _signum: int, _frame: FrameType | None) -> None:
        self.signalled = True


class Stopping(RuntimeError):  # noqa: N818 - a state, not a failure: the query ends on purpose
    """Raised by a micro-batch that would start after the stop request: the query ends before the
    batch writes anything or is marked done in the checkpoint, so a restart runs it again."""


@dataclass
class Clock:
    """When the job must stop, and whether a micro-batch is writing right now."""

    deadline: float
    stop: StopRequest
    in_batch: bool = False

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def reason(self) -> str | None:
        if self.stop.signalled:
            return "signal"
        return "duration" if self.remaining() <= 0 else None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Wraps a micro-batch's work: none starts once the job is stopping."""
        if self.reason():
            raise Stopping(f"{STOPPING_MARKER}: no new batch once the job is stopping")
        self.in_batch = True
        try:
            yield
        finally:
            self.in_batch = False


def wait_for(cfg: JobConfig, clock: Clock, ready: Callable[[], bool], what: str) -> bool:
    """Polls `ready` every poll_seconds; False when the run ends first, JobError after wait_seconds."""
    s = streaming(cfg)
    give_up = time.monotonic() + s.wait_seconds
    while not ready():
        if clock.reason():
            return False
        if time.monotonic() >= give_up:
            raise JobError("INPUT_MISSING", f"no {what} after waiting {s.wait_seconds:g} s")
        log(cfg.stage, f"waiting for {what}")
        time.sleep(min(s.poll_seconds, max(0.05, clock.remaining())))
    return True


@dataclass
class BatchLedger:
    """Which batch ids this run already committed to a table, looked up once per process.

    foreachBatch is at-least-once: a batch whose table commit landed but whose checkpoint commit did
    not is replayed after a restart. Only the first batch a process runs can be such a replay, and the
    table's commits (tagged with the run and the batch id) say whether it is.
    """

    table: Table
    committed: set[str] | None = None

    def look_up(self, spark: SparkSession, cfg: JobConfig) -> set[str]:
        if self.committed is None:
            self.committed = committed_values(spark, cfg, self.table, BATCH_ID_KEY)
        return self.committed


BatchFunction = Callable[[DataFrame, int], None]


def guarded(clock: Clock, fn: BatchFunction) -> BatchFunction:
    """`fn` as a foreachBatch function that starts no batch once the job is stopping."""

    def run(df: DataFrame, batch_id: int) -> None:
        with clock.batch():
            fn(df, batch_id)

    return run


def batch_tags(cfg: JobConfig, batch_id: int) -> dict[str, str]:
    return {"lakebench.run-id": cfg.run_id, JOB_KEY: cfg.stage, BATCH_ID_KEY: str(batch_id)}


def batch_entry(batch_id: int, started: datetime, rows: int, files: list[str] | None = None) -> Fields:
    entry: Fields = {"batch_id": batch_id, "started_at": iso(started), "committed_at": iso(datetime.now(UTC)), "rows": rows}
    if files is not None:
        entry["files"] = files
    return entry


def ended_within_a_second(query: StreamingQuery) -> bool:
    """Whether the query has ended, waiting at most a second. awaitTermination raises when the query
    ended with an exception; that is an end too, and query.exception() says which."""
    try:
        return bool(query.awaitTermination(1))  # whole seconds: PySpark's type
    except Exception:
        return True


def supervise(cfg: JobConfig, query: StreamingQuery, clock: Clock) -> str:
    """Waits until the duration is over or a signal came, then stops the query; raises if it failed.

    Stopping lets the running batch finish and be marked done in the checkpoint (the trigger stays
    active until then); a batch that would start meanwhile ends the query instead (Clock.batch).
    The stop can come while this loop waits on the query, and a batch can refuse to start at once,
    ending the query before the loop sees the stop: a query that ended is a failure only when no
    stop was asked for, or when its exception is not that refusal.
    """
    reason = clock.reason()
    while reason is None:
        ended = ended_within_a_second(query)
        reason = clock.reason()
        if ended and reason is None:
            failure = query.exception()
            raise JobError("STREAM_FAILED", f"the streaming query failed: {failure}" if failure else "the streaming query stopped by itself")
    log(cfg.stage, f"stopping ({reason}): letting the running batch finish")
    grace = time.monotonic() + STOP_GRACE_SECONDS
    while query.isActive and (clock.in_batch or bool(query.status.get("isTriggerActive"))) and time.monotonic() < grace:
        time.sleep(0.2)
    if query.isActive:
        query.stop()
    failure = query.exception()
    if failure is not None and STOPPING_MARKER not in str(failure):
        raise JobError("STREAM_FAILED", f"the streaming query failed: {failure}")
    return reason


StartQuery = Callable[[SparkSession, JobConfig, StreamReport, Clock], StreamingQuery | None]


def run_stream(stage: str, start: StartQuery) -> NoReturn:
    """The whole life of a streaming job: document, session, query, stop, report, exit code.

    `start` waits for the job's input and starts the query; None means the run ended before the input came.
    Exit 0 when the job stopped by duration or signal, 1 when it failed, 2 on an invalid document,
    3 when its report could not be written.
    """
    began = time.monotonic()
    cfg = load_job_document(stage, "docs/pipeline.md §8")

    clock = Clock(began + streaming(cfg).duration_seconds, StopRequest())
    spark: SparkSession | None = None
    report = StreamReport(stage, cfg.run_id, cfg.metrics_uri)
    try:
        spark = build_session(cfg)
        report = StreamReport.resume(spark, cfg)
        report.write(spark)  # the job is up (stopped_by null), before it waits for its input
        query = start(spark, cfg, report, clock)
        report.stopped_by = supervise(cfg, query, clock) if query is not None else (clock.reason() or "duration")
    except Exception as e:  # every failure must end up in the report
        traceback.print_exc(file=sys.stderr)
        report.stopped_by = "failed"
        err = error_fields(e)["error"]
        report.error = f"{err['reason']}: {err['message']}"
    try:
        report.write(spark)
    except Exception:
        traceback.print_exc(file=sys.stderr)
        log(stage, f"could not write the job report to {report.uri}")
        sys.exit(3)
    finally:
        if spark is not None:
            spark.stop()
    log(stage, f"stopped by {report.stopped_by} after {len(report.batches)} batches; report at {report.uri}")
    sys.exit(1 if report.stopped_by == "failed" else 0)
