"""The job configuration document (runner/src/spark-jobs/job-config.ts), validated again here.

The runner builds it with a zod schema; a job still checks every field it uses, so a document from
another runner version fails with the field's name instead of a KeyError deep inside a Spark job.
Bronze is named by reference: `bronze.manifest` points at the datagen manifest and says what it must
hold (file count, totals, fingerprint); the jobs that read bronze load it with
lakebench_common.bronze_files, which checks it against this reference.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal, cast

CONTRACT_VERSION = 2
STAGES = ("bronze-verify", "silver-build", "gold-finalize")
# The continuous-mode jobs (docs/pipeline.md §8); their documents add a `streaming` object.
STREAMING_STAGES = ("bronze-ingest", "silver-stream", "gold-refresh")
STRATEGIES = ("auto", "simple", "streaming", "chunked", "salted")


class ConfigError(ValueError):
    """The document is not a valid job configuration."""


class ManifestMismatchError(ValueError):
    """The datagen manifest is valid but not the one the runner planned the job with."""


class _Obj:
    """A JSON object with a path, so every error names the offending field."""

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: expected an object")
        self.d = cast(dict[str, Any], value)
        self.path = path

    def _get(self, key: str) -> object:
        if key not in self.d:
            raise ConfigError(f"{self.path}.{key}: missing")
        return self.d[key]

    def obj(self, key: str) -> _Obj:
        return _Obj(self._get(key), f"{self.path}.{key}")

    def opt_obj(self, key: str) -> _Obj | None:
        v = self._get(key)
        return None if v is None else _Obj(v, f"{self.path}.{key}")

    def text(self, key: str, pattern: str | None = None) -> str:
        v = self._get(key)
        if not isinstance(v, str) or not v or (pattern and not re.search(pattern, v)):
            raise ConfigError(f"{self.path}.{key}: expected a string{f' matching {pattern}' if pattern else ''}")
        return v

    def opt_text(self, key: str) -> str | None:
        return None if self.d.get(key) is None else self.text(key)

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        v = self.text(key)
        if v not in options:
            raise ConfigError(f"{self.path}.{key}: expected one of {', '.join(options)}, got {v}")
        return v

    def number(self, key: str, minimum: float = 0) -> float:
        v = self._get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < minimum:
            raise ConfigError(f"{self.path}.{key}: expected a number >= {minimum}")
        return float(v)

    def integer(self, key: str, minimum: int = 0) -> int:
        v = self._get(key)
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise ConfigError(f"{self.path}.{key}: expected an integer >= {minimum}")
        return v

    def flag(self, key: str) -> bool:
        v = self._get(key)
        if not isinstance(v, bool):
            raise ConfigError(f"{self.path}.{key}: expected true or false")
        return v

    def items(self, key: str) -> list[object]:
        v = self._get(key)
        if not isinstance(v, list):
            raise ConfigError(f"{self.path}.{key}: expected a list")
        return cast(list[object], v)


ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"


@dataclass(frozen=True)
class Catalog:
    kind: Literal["rest", "hive", "jdbc"]
    name: str
    uri: str
    warehouse: str | None
    credential_env: str | None = None
    oauth2_server_uri: str | None = None
    scope: str | None = None
    user_env: str | None = None
    password_env: str | None = None


@dataclass(frozen=True)
class Table:
    ident: str
    location: str | None


@dataclass(frozen=True)
class SilverSettings:
    strategy: str
    distribution_mode: str
    target_file_size_bytes: int
    simple_threshold_bytes: float
    chunked_threshold_bytes: float
    chunk_size_bytes: float
    skew_threshold: float
    enable_salting: bool
    size_bytes_override: float | None
    sample_step: int


@dataclass(frozen=True)
class ManifestRef:
    """Where the datagen manifest is and what the runner planned with: the job refuses any other."""

    uri: str
    files: int
    total_rows: int
    total_bytes: int
    fingerprint: str | None


@dataclass(frozen=True)
class StreamingSettings:
    """A streaming job's own settings: trigger, how long it runs, where its checkpoint is."""

    trigger_seconds: float
    duration_seconds: float
    checkpoint_uri: str
    # Waiting for the job's input (the first landed file, bronze_raw, silver): poll period and bound.
    poll_seconds: float
    wait_seconds: float
    bronze_raw: Table
    # bronze-ingest: files per micro-batch and the declared bronze schema (Spark DDL), never inferred.
    max_files_per_trigger: int | None
    bronze_schema: str | None
    # gold-refresh: the view its gold SELECT reads, registered over one pinned silver snapshot.
    silver_view: str | None


@dataclass(frozen=True)
class JobConfig:
    stage: str
    run_id: str
    scale: float
    reference_date: str
    metrics_uri: str
    table_format: Literal["iceberg", "delta"]
    endpoint: str
    region: str
    path_style: bool
    catalog: Catalog
    silver_table: Table
    gold_table: Table
    bronze_uri: str
    bronze_view: str
    bronze_manifest: ManifestRef
    executors: int
    cores: int
    spark_conf: dict[str, str]
    sql: dict[str, str]
    self_checks: list[tuple[str, str, str]]
    silver: SilverSettings | None
    gold_target_file_size_bytes: int | None
    streaming: StreamingSettings | None = None

    @property
    def bronze_total_rows(self) -> int:
        return self.bronze_manifest.total_rows

    @property
    def bronze_total_bytes(self) -> int:
        return self.bronze_manifest.total_bytes


def _catalog(o: _Obj) -> Catalog:
    kind = o.choice("kind", ("rest", "hive", "jdbc"))
    name = o.text("name", r"^[A-Za-z_][A-Za-z0-9_]*$")
    if kind == "rest":
        oauth = o.opt_obj("oauth2")
        return Catalog(
            "rest", name, o.text("uri", r"^https?://"), o.opt_text("warehouse"),
            credential_env=oauth.text("credential_env", ENV_NAME) if oauth else None,
            oauth2_server_uri=oauth.opt_text("server_uri") if oauth else None,
            scope=oauth.opt_text("scope") if oauth else None,
        )
    if kind == "hive":
        return Catalog("hive", name, o.text("uri", r"^thrift://"), o.text("warehouse"))
    user = o.opt_text("user_env")
    password = o.opt_text("password_env")
    for field, v in (("user_env", user), ("password_env", password)):
        if v is not None and not re.match(ENV_NAME, v):
            raise ConfigError(f"{o.path}.{field}: expected an environment variable name")
    return Catalog("jdbc", name, o.text("uri", r"^jdbc:"), o.text("warehouse"), user_env=user, password_env=password)


def _silver(o: _Obj) -> SilverSettings:
    return SilverSettings(
        strategy=o.choice("strategy", STRATEGIES),
        distribution_mode=o.choice("distribution_mode", ("hash", "none", "range")),
        target_file_size_bytes=o.integer("target_file_size_bytes", 1),
        simple_threshold_bytes=o.number("simple_threshold_bytes"),
        chunked_threshold_bytes=o.number("chunked_threshold_bytes"),
        chunk_size_bytes=o.number("chunk_size_bytes", 1),
        skew_threshold=o.number("skew_threshold"),
        enable_salting=o.flag("enable_salting"),
        size_bytes_override=None if o.d.get("size_bytes_override") is None else o.number("size_bytes_override", 1),
        sample_step=o.integer("sample_step", 1),
    )


SQL_KEYS = {
    "bronze-verify": ("observations", "counts_by_interaction_type", "counts_by_channel"),
    "silver-build": ("silver_select",),
    "gold-finalize": ("gold_select",),
}
STREAMING_SQL_KEYS = {
    "bronze-ingest": (),
    "silver-stream": ("silver_select",),
    "gold-refresh": ("gold_select",),
}


def _streaming(o: _Obj, stage: str) -> StreamingSettings:
    raw = o.obj("bronze_raw")
    return StreamingSettings(
        trigger_seconds=o.number("trigger_seconds", 0.001),
        duration_seconds=o.number("duration_seconds", 1),
        checkpoint_uri=o.text("checkpoint_uri", r"/$"),
        poll_seconds=o.number("poll_seconds", 0.1),
        wait_seconds=o.number("wait_seconds"),
        bronze_raw=Table(raw.text("ident"), raw.opt_text("location")),
        max_files_per_trigger=o.integer("max_files_per_trigger", 1) if stage == "bronze-ingest" else None,
        bronze_schema=o.text("bronze_schema") if stage == "bronze-ingest" else None,
        silver_view=o.text("silver_view", r"^[A-Za-z_][A-Za-z0-9_]*$") if stage == "gold-refresh" else None,
    )


def parse_config(raw: object, expected_stage: str) -> JobConfig:
    o = _Obj(raw, "config")
    if o.d.get("contract_version") != CONTRACT_VERSION:
        raise ConfigError(f"config.contract_version: expected {CONTRACT_VERSION}, got {o.d.get('contract_version')!r}")
    stage = o.choice("stage", STAGES + STREAMING_STAGES)
    if stage != expected_stage:
        raise ConfigError(f"config.stage: this job runs {expected_stage}, the document is for {stage}")
    storage, bronze, tables, res, sql = o.obj("storage"), o.obj("bronze"), o.obj("tables"), o.obj("resources"), o.obj("sql")
    mo = bronze.obj("manifest")
    manifest = ManifestRef(
        uri=mo.text("uri", r"[^/]$"),
        files=mo.integer("files"),
        total_rows=mo.integer("total_rows"),
        total_bytes=mo.integer("total_bytes"),
        fingerprint=mo.opt_text("fingerprint"),
    )
    spark_conf = o.obj("spark_conf")
    for k, v in spark_conf.d.items():
        if not isinstance(v, str):
            raise ConfigError(f"config.spark_conf.{k}: expected a string")
    checks: list[tuple[str, str, str]] = []
    if stage == "gold-finalize":  # gold-refresh runs no self-checks: silver keeps growing under it
        for i, c in enumerate(sql.items("self_checks")):
            co = _Obj(c, f"config.sql.self_checks[{i}]")
            checks.append((co.text("name"), co.text("gold"), co.text("silver")))

    def table(key: str) -> Table:
        t = tables.obj(key)
        return Table(t.text("ident"), t.opt_text("location"))

    table_format = o.choice("table_format", ("iceberg", "delta"))
    silver_t, gold_t = table("silver"), table("gold")
    if table_format == "delta" and (silver_t.location is None or gold_t.location is None):
        raise ConfigError("config.tables: Delta tables need a location")
    streaming = _streaming(o.obj("streaming"), stage) if stage in STREAMING_STAGES else None
    if streaming and table_format == "delta" and streaming.bronze_raw.location is None:
        raise ConfigError("config.streaming.bronze_raw: Delta tables need a location")
    sql_keys = STREAMING_SQL_KEYS[stage] if stage in STREAMING_STAGES else SQL_KEYS[stage]
    return JobConfig(
        stage=stage,
        run_id=o.text("run_id"),
        scale=o.number("scale"),
        reference_date=o.text("reference_date", r"^\d{4}-\d{2}-\d{2}$"),
        metrics_uri=o.text("metrics_uri"),
        table_format=cast(Literal["iceberg", "delta"], table_format),
        endpoint=storage.text("endpoint", r"^https?://"),
        region=storage.text("region"),
        path_style=storage.flag("path_style"),
        catalog=_catalog(o.obj("catalog")),
        silver_table=silver_t,
        gold_table=gold_t,
        bronze_uri=bronze.text("uri", r"/$"),
        bronze_view=bronze.text("view", r"^[A-Za-z_][A-Za-z0-9_]*$"),
        bronze_manifest=manifest,
        executors=res.integer("executors", 1),
        cores=res.integer("cores", 1),
        spark_conf={k: str(v) for k, v in spark_conf.d.items()},
        sql={k: sql.text(k) for k in sql_keys},
        self_checks=checks,
        silver=_silver(o.obj("silver")) if stage in ("silver-build", "silver-stream") else None,
        gold_target_file_size_bytes=o.obj("gold").integer("target_file_size_bytes", 1) if stage in ("gold-finalize", "gold-refresh") else None,
        streaming=streaming,
    )


MANIFEST_VERSION = 1


def manifest_files(text: str, ref: ManifestRef) -> list[tuple[str, int]]:
    """Bronze's files (key relative to bronze.uri, bytes) from the datagen manifest's text.

    ConfigError when the text is not a valid manifest (runner/src/datagen/manifest.ts), naming the
    uri and the field; ManifestMismatchError when it is valid but its file count, totals or fingerprint
    differ from what the document says, naming each difference.
    """
    where = f"the datagen manifest {ref.uri}"
    try:
        raw: object = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(f"{where} is not JSON: {e}") from e
    try:
        o = _Obj(raw, "manifest")
        if o.d.get("manifest_version") != MANIFEST_VERSION:
            raise ConfigError(f"manifest.manifest_version: expected {MANIFEST_VERSION}, got {o.d.get('manifest_version')!r}")
        totals = o.obj("totals")
        file_count, total_rows, total_bytes = totals.integer("file_count"), totals.integer("total_rows"), totals.integer("total_bytes")
        fingerprint = o.text("data_fingerprint")
        files: list[tuple[str, int]] = []
        rows = 0
        seen: set[str] = set()
        for i, f in enumerate(o.items("files")):
            fo = _Obj(f, f"manifest.files[{i}]")
            key = fo.text("key", r"^[^/]")
            if ".." in key.split("/") or "://" in key:
                raise ConfigError(f"manifest.files[{i}].key: expected a key relative to the bronze folder, got {key}")
            if key in seen:
                raise ConfigError(f"manifest.files[{i}].key: {key} is listed twice")
            seen.add(key)
            files.append((key, fo.integer("bytes", 1)))
            rows += fo.integer("rows", 1)
        listed_bytes = sum(b for _, b in files)
        for field, listed, total in (("file_count", len(files), file_count), ("total_rows", rows, total_rows), ("total_bytes", listed_bytes, total_bytes)):
            if listed != total:
                raise ConfigError(f"manifest.totals.{field}: {total}, but the files listed add up to {listed}")
    except ConfigError as e:
        raise ConfigError(f"{where} is invalid: {e}") from e

    compared: list[tuple[str, object, object]] = [
        ("totals.file_count", file_count, ref.files),
        ("totals.total_rows", total_rows, ref.total_rows),
        ("totals.total_bytes", total_bytes, ref.total_bytes),
    ]
    if ref.fingerprint is not None:
        compared.append(("data_fingerprint", fingerprint, ref.fingerprint))
    differences = [f"{name} is {theirs} in the manifest but {ours} in the job document" for name, theirs, ours in compared if theirs != ours]
    if differences:
        raise ManifestMismatchError(f"{where} is not the dataset this job was planned for: {'; '.join(differences)}")
    return files


def load_config(path: str, expected_stage: str) -> JobConfig:
    try:
        with open(path, encoding="utf-8") as f:
            raw: object = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"cannot read the job configuration {path}: {e}") from e
    return parse_config(raw, expected_stage)


def metrics_uri_hint(path: str) -> str | None:
    """The metrics location of a document that failed validation, when it still names one."""
    try:
        with open(path, encoding="utf-8") as f:
            raw: object = json.load(f)
    except (OSError, json.JSONDecodeError):
        return None
    uri = raw.get("metrics_uri") if isinstance(raw, dict) else None
    return uri if isinstance(uri, str) and uri else None
