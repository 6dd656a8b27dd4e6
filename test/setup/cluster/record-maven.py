#!/usr/bin/env python3
"""Regenerates maven-mirror.lock: a recording proxy in front of Maven Central on 127.0.0.1.

Run through it the very resolution a Spark driver does (spark-submit --packages with
DEFAULT_ARTIFACT_REPOSITORY pointing here), and it records every path Ivy fetched with its SHA-1
from Maven Central's own .sha1 file. Only for maintainers changing the package set
(runner/src/platforms/kubernetes/manifests/spark-packages.ts); 75-cluster-runner.sh reads the lock.

usage: record-maven.py <cache-dir> <port-file> <lock-out>   (stops on SIGTERM and writes the lock)
"""
import hashlib
import os
import signal
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CENTRAL = "https://repo1.maven.org/maven2"
cache_dir, port_file, lock_out = sys.argv[1:4]
recorded: dict[str, str] = {}
lock = threading.Lock()


def fetch(path: str) -> bytes | None:
    try:
        with urllib.request.urlopen(CENTRAL + path, timeout=120) as r:
            return r.read()
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


class Handler(BaseHTTPRequestHandler):
    def _body(self) -> bytes | None:
        path = self.path.split("?")[0]
        if ".." in path.split("/"):
            return None
        local = os.path.join(cache_dir, path.lstrip("/"))
        if os.path.isfile(local):
            with open(local, "rb") as f:
                return f.read()
        data = fetch(path)
        if data is None:
            return None
        if not path.endswith((".sha1", ".md5")):
            expected = (fetch(path + ".sha1") or b"").decode().split()[0:1]
            actual = hashlib.sha1(data).hexdigest()
            if expected != [actual]:
                raise RuntimeError(f"{path}: sha1 {actual}, central says {expected}")
            with lock:
                recorded[path] = actual
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with open(local + ".tmp", "wb") as f:
            f.write(data)
        os.replace(local + ".tmp", local)
        return data

    def _serve(self, head: bool) -> None:
        body = self._body()
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(True)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))


def stop(*_: object) -> None:
    with open(lock_out, "w") as f:
        f.write("# Maven Central files a Spark driver's Ivy fetches for the runner's packages (sha1 path).\n")
        f.write("# Regenerate with test/setup/cluster/record-maven.py (see its docstring).\n")
        for path in sorted(recorded):
            f.write(f"{recorded[path]} {path}\n")
    threading.Thread(target=server.shutdown).start()


signal.signal(signal.SIGTERM, stop)
server.serve_forever()
