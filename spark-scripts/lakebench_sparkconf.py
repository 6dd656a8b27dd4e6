"""Spark configuration from the job document: catalog, storage and the fixed tuning (docs/pipeline.md §9.4).

Pure functions (no Spark session), so `--print-spark-conf` can show and a test can check what a job
would run with, for every catalog kind, without starting a JVM.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lakebench_config import Catalog, ConfigError, JobConfig

MB = 1024 * 1024
ICEBERG_EXT = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"
DELTA_EXT = "io.delta.sql.DeltaSparkSessionExtension"
# Spark's default redaction misses "credential" (the REST catalog's OAuth2 client secret).
REDACTION_REGEX = "(?i)secret|password|token|access[.]key|credential"
SECRET_KEY = re.compile(REDACTION_REGEX)


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def _env(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name)
    if not value:
        raise ConfigError(f"environment variable {name} ({what}) is not set")
    return value


def catalog_conf(c: Catalog, cfg: JobConfig, env: Mapping[str, str]) -> dict[str, str]:
    """An Iceberg SparkCatalog of the configured kind, reading and writing S3 with S3FileIO."""
    p = f"spark.sql.catalog.{c.name}"
    conf = {p: "org.apache.iceberg.spark.SparkCatalog", f"{p}.type": c.kind, f"{p}.uri": c.uri}
    if c.warehouse:
        conf[f"{p}.warehouse"] = c.warehouse
    if c.kind == "rest" and c.credential_env:
        # Client credentials for Polaris: the client exchanges them for a token and refreshes it.
        conf[f"{p}.credential"] = _env(env, c.credential_env, "REST catalog client_id:client_secret")
        if ":" not in conf[f"{p}.credential"]:
            raise ConfigError(f"environment variable {c.credential_env} must be client_id:client_secret")
        if c.oauth2_server_uri:
            conf[f"{p}.oauth2-server-uri"] = c.oauth2_server_uri
        if c.scope:
            conf[f"{p}.scope"] = c.scope
    if c.kind == "jdbc":
        if c.user_env:
            conf[f"{p}.jdbc.user"] = _env(env, c.user_env, "JDBC catalog user")
        if c.password_env:
            conf[f"{p}.jdbc.password"] = _env(env, c.password_env, "JDBC catalog password")
    if cfg.streaming is not None:
        # A streaming job lives for the whole run: the catalog's table cache (refreshed only on
        # expiry after the last access) would keep serving the tables as they were when first read.
        conf[f"{p}.cache-enabled"] = "false"
    conf.update({
        f"{p}.io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
        f"{p}.s3.endpoint": cfg.endpoint,
        f"{p}.s3.path-style-access": str(cfg.path_style).lower(),
        f"{p}.client.region": cfg.region,
        f"{p}.s3.multipart.size": str(256 * MB),
        f"{p}.s3.multipart.num-threads": "32",
    })
    return conf


def storage_conf(cfg: JobConfig) -> dict[str, str]:
    """s3a for plain Parquet (bronze) and Delta; credentials come from the AWS_* environment."""
    h = "spark.hadoop.fs.s3a"
    return {
        f"{h}.endpoint": cfg.endpoint,
        # Without a region S3A signs for a default one and region-strict stores answer HTTP 400.
        f"{h}.endpoint.region": cfg.region,
        f"{h}.path.style.access": str(cfg.path_style).lower(),
        f"{h}.connection.ssl.enabled": str(cfg.endpoint.startswith("https:")).lower(),
        f"{h}.connection.maximum": "200",
        f"{h}.threads.max": "100",
        f"{h}.multipart.threshold": "256M",
        f"{h}.multipart.size": "256M",
        f"{h}.block.size": "256M",
        f"{h}.connection.timeout": "60s",
    }


def static_defaults(cfg: JobConfig) -> dict[str, str]:
    """Settings fixed at context start; a value the submission already set is kept."""
    extensions = ICEBERG_EXT + (f",{DELTA_EXT}" if cfg.table_format == "delta" else "")
    conf = {
        "spark.ui.enabled": "false",
        "spark.ui.retainedJobs": "100",
        "spark.ui.retainedStages": "100",
        "spark.ui.retainedTasks": "1000",
        "spark.sql.ui.retainedExecutions": "50",
        "spark.dynamicAllocation.enabled": "false",
        "spark.network.timeout": "600s",
        "spark.executor.heartbeatInterval": "30s",
        "spark.task.maxFailures": "4",
        "spark.executor.extraJavaOptions": "-XX:+UseG1GC",
        "spark.driver.maxResultSize": f"{int(min(16, max(8, cfg.executors / 2)))}g",
        "spark.redaction.regex": REDACTION_REGEX,
        "spark.sql.extensions": extensions,
    }
    if cfg.table_format == "delta":
        conf["spark.sql.catalog.spark_catalog"] = "org.apache.spark.sql.delta.catalog.DeltaCatalog"
    return conf


def tuning_conf(cfg: JobConfig, size_bytes: float | None = None, skew: float | None = None) -> dict[str, str]:
    """Runtime SQL settings: §9.4 for every job, plus silver-build's dynamic ones (§4.2)."""
    # Streaming jobs take the partitions of the batch stage of their layer.
    small = {"bronze-verify": 32, "silver-build": 64, "gold-finalize": 32, "bronze-ingest": 32, "silver-stream": 64, "gold-refresh": 32}
    shuffle = small[cfg.stage] if cfg.scale <= 10 else cfg.executors * cfg.cores * 2
    if cfg.stage == "silver-build" and size_bytes is not None and cfg.scale > 10:
        shuffle = int(clamp(size_bytes / MB / 256, 200, 10000))
    conf = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.adaptive.enabled": "true",
        "spark.sql.adaptive.coalescePartitions.enabled": "true",
        "spark.sql.adaptive.skewJoin.enabled": "true",
        "spark.sql.adaptive.advisoryPartitionSizeInBytes": "256m",
        # About 2,000 input tasks at any scale.
        "spark.sql.files.maxPartitionBytes": f"{int(clamp(cfg.scale * 10 * 1024 / 2000, 256, 2048))}m",
        "spark.sql.shuffle.partitions": str(shuffle),
    }
    if size_bytes is not None and size_bytes > 1024**4:
        conf["spark.sql.adaptive.coalescePartitions.minPartitionSize"] = "64m"
    if skew is not None and skew > 10:
        conf["spark.sql.adaptive.skewJoin.skewedPartitionFactor"] = "5"
    return conf


def job_conf(cfg: JobConfig, env: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(defaults a submission may override, settings the contract decides)."""
    decided = {**catalog_conf(cfg.catalog, cfg, env), **storage_conf(cfg), **tuning_conf(cfg), **cfg.spark_conf}
    return static_defaults(cfg), decided


def redacted(conf: Mapping[str, str]) -> dict[str, str]:
    return {k: ("*****" if SECRET_KEY.search(k) else v) for k, v in sorted(conf.items())}
