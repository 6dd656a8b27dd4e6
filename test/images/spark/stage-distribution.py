"""Lays out Spark's binary distribution from the PySpark wheel, for the Spark stand-in image.

Usage: stage-distribution.py <site-packages/pyspark> <site-packages/py4j> <py4j version> <out dir>

The PySpark wheel bundles the distribution's jars, bin, sbin, data and Python examples inside the
pyspark package. The image wants them in the distribution's own places under /opt/spark, plus
python/pyspark (the package's sources) and python/lib/pyspark.zip and py4j-<version>-src.zip, which
spark-submit puts on a Python application's PYTHONPATH. Files are hard-linked where possible.
"""

import os
import re
import shutil
import sys
import zipfile

# Parts of the wheel's pyspark package that are the distribution's folders, not Python sources.
DIST_FOLDERS = ("jars", "bin", "sbin", "data", "examples")
NOT_SOURCES = set(DIST_FOLDERS) | {"licenses", "__pycache__"}


def link_tree(src: str, dst: str) -> None:
    shutil.copytree(src, dst, copy_function=link_or_copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def zip_package(package_dir: str, zip_path: str) -> None:
    root = os.path.dirname(package_dir)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder, dirs, files in os.walk(package_dir):
            rel_folder = os.path.relpath(folder, root)
            if rel_folder.split(os.sep)[1:2] and rel_folder.split(os.sep)[1] in NOT_SOURCES:
                dirs[:] = []
                continue
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if not name.endswith(".pyc"):
                    zf.write(os.path.join(folder, name), os.path.join(rel_folder, name))


def main() -> None:
    pyspark, py4j, py4j_version, out = sys.argv[1:5]
    with open(os.path.join(pyspark, "version.py")) as f:
        found = re.search(r'__version__[^"\']*["\']([^"\']+)', f.read())
    if not found:
        sys.exit(f"no __version__ in {pyspark}/version.py")
    spark_version = found.group(1)
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "python", "lib"))
    for folder in DIST_FOLDERS:
        link_tree(os.path.join(pyspark, folder), os.path.join(tmp, folder))
    os.makedirs(os.path.join(tmp, "work-dir"))
    # python/pyspark: the package's sources, without the distribution folders bundled into it.
    dst = os.path.join(tmp, "python", "pyspark")
    os.makedirs(dst)
    for entry in sorted(os.listdir(pyspark)):
        if entry in NOT_SOURCES:
            continue
        path = os.path.join(pyspark, entry)
        if os.path.isdir(path):
            link_tree(path, os.path.join(dst, entry))
        elif not entry.endswith(".pyc"):
            link_or_copy(path, os.path.join(dst, entry))
    zip_package(pyspark, os.path.join(tmp, "python", "lib", "pyspark.zip"))
    zip_package(py4j, os.path.join(tmp, "python", "lib", f"py4j-{py4j_version}-src.zip"))
    hadoop = sorted(j for j in os.listdir(os.path.join(pyspark, "jars")) if j.startswith("hadoop-client-api-"))
    hadoop_version = hadoop[0][len("hadoop-client-api-") : -len(".jar")] if hadoop else "unknown"
    with open(os.path.join(tmp, "RELEASE"), "w") as f:
        f.write(f"Spark {spark_version} built for Hadoop {hadoop_version}\n")
        f.write(f"(laid out from the PySpark {spark_version} wheel for the Lakebench test images)\n")
    os.rename(tmp, out)


if __name__ == "__main__":
    main()
