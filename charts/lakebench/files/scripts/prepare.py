"""Init step: wait for TCP services and S3 buckets, optionally fetch a checksummed file.

  prepare.py --wait host:port ... --buckets b1,b2 --fetch URL --sha256 HEX --dest PATH
"""
import argparse
import hashlib
import os
import time
import urllib.request

from common import die, log, wait_tcp
import s3


def fetch(url, sha256, dest):
    if os.path.exists(dest) and _sha256(dest) == sha256:
        log(f"{dest} already present")
        return
    tmp = dest + ".part"
    for attempt in range(1, 6):
        try:
            with urllib.request.urlopen(url, timeout=60) as response, open(tmp, "wb") as out:
                while chunk := response.read(1 << 16):
                    out.write(chunk)
            break
        except OSError as e:
            if attempt == 5:
                die(f"cannot download {url}: {e}")
            time.sleep(5 * attempt)
    actual = _sha256(tmp)
    if actual != sha256:
        os.remove(tmp)
        die(f"checksum mismatch for {url}: expected {sha256}, got {actual}")
    os.replace(tmp, dest)
    log(f"fetched {url} -> {dest}")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()


def wait_buckets(names, timeout_s):
    client = s3.from_env(os.environ)
    deadline = time.monotonic() + timeout_s
    pending = list(names)
    while pending:
        try:
            pending = [b for b in pending if not client.bucket_exists(b)]
        except (OSError, s3.S3Error) as e:
            log(f"S3 not ready: {e}")
        if not pending:
            break
        if time.monotonic() > deadline:
            die(f"buckets missing after {timeout_s}s: {', '.join(pending)}")
        time.sleep(5)
    log(f"buckets present: {', '.join(names)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wait", action="append", default=[], help="host:port to wait for")
    parser.add_argument("--buckets", default="", help="comma-separated buckets that must exist")
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--fetch")
    parser.add_argument("--sha256")
    parser.add_argument("--dest")
    args = parser.parse_args()
    for target in args.wait:
        host, _, port = target.rpartition(":")
        if not host or not port.isdigit():
            die(f"--wait expects host:port, got {target!r}")
        wait_tcp(host, port, args.timeout)
    if args.buckets:
        wait_buckets([b for b in args.buckets.split(",") if b], args.timeout)
    if args.fetch:
        if not (args.sha256 and args.dest):
            die("--fetch needs --sha256 and --dest")
        fetch(args.fetch, args.sha256.lower(), args.dest)


if __name__ == "__main__":
    main()
