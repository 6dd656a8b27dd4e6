"""helm test: put, get, list and delete one object in every Lakebench bucket; exit non-zero on any failure."""
import os
import sys
import uuid

from common import die, log
import s3


def probe(client, bucket):
    key = f"_lakebench-probe/{uuid.uuid4()}"
    body = os.urandom(1024)
    client.put(bucket, key, body)
    if client.get(bucket, key) != body:
        raise RuntimeError(f"s3://{bucket}/{key}: the object read back differs from the one written")
    if key not in client.list_keys(bucket, "_lakebench-probe/"):
        raise RuntimeError(f"s3://{bucket}/{key}: the object is missing from the listing")
    client.delete(bucket, key)
    if key in client.list_keys(bucket, "_lakebench-probe/"):
        raise RuntimeError(f"s3://{bucket}/{key}: the object is still listed after delete")


def main(buckets):
    if not buckets:
        die("usage: s3_probe.py BUCKET...")
    try:
        client = s3.from_env(os.environ)
    except ValueError as e:
        die(str(e))
    failed = []
    for bucket in buckets:
        try:
            probe(client, bucket)
            log(f"ok   s3://{bucket}: put/get/list/delete")
        except (OSError, RuntimeError, s3.S3Error) as e:
            failed.append(bucket)
            log(f"FAIL s3://{bucket}: {e}")
    if failed:
        die(f"S3 probe failed for: {', '.join(failed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
