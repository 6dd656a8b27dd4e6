"""Helpers shared by the chart's script containers (Python standard library only)."""
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def log(message):
    print(message, flush=True)


def die(message, code=1):
    print(f"error: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == "":
        die(f"environment variable {name} is not set")
    return value


def wait_tcp(host, port, timeout_s=600):
    """Waits until host:port accepts TCP connections."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((host, int(port)), timeout=5):
                log(f"{host}:{port} is reachable")
                return
        except OSError as e:
            if time.monotonic() > deadline:
                die(f"{host}:{port} not reachable after {timeout_s}s: {e}")
            time.sleep(3)


def http(method, url, body=None, headers=None, form=False, timeout=30, context=None):
    """Returns (status, parsed JSON or text). HTTP errors are returned, not raised."""
    data = None
    headers = dict(headers or {})
    if body is not None:
        if form:
            data = urllib.parse.urlencode(body).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        else:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            return response.status, _decode(response.read())
    except urllib.error.HTTPError as e:
        return e.code, _decode(e.read())


def _decode(raw):
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def wait_http_ok(url, timeout_s=600, headers=None):
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            status, _ = http("GET", url, headers=headers, timeout=10)
            if status == 200:
                log(f"{url} is ready")
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            die(f"{url} not ready after {timeout_s}s")
        time.sleep(3)

