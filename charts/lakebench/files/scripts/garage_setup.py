"""Idempotent setup of the in-chart Garage: single-node layout, the chart's access key, the
Lakebench buckets and the key's permissions on them (Garage admin API v1)."""
import time

from common import die, env, http, log


class Garage:
    def __init__(self):
        self.base = env("GARAGE_ADMIN_URL").rstrip("/")
        self.headers = {"Authorization": f"Bearer {env('GARAGE_ADMIN_TOKEN')}"}

    def call(self, method, path, body=None, ok=(200,)):
        status, payload = http(method, f"{self.base}{path}", body, headers=self.headers)
        if status not in ok:
            die(f"Garage {method} {path}: HTTP {status}: {str(payload)[:300]}")
        return status, payload


def wait_ready(garage, timeout_s=600):
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            status, body = http("GET", f"{garage.base}/v1/status", headers=garage.headers, timeout=10)
            if status == 200:
                return body
        except OSError:
            pass
        if time.monotonic() > deadline:
            die(f"Garage admin API not ready after {timeout_s}s")
        time.sleep(3)


def ensure_layout(garage, status):
    node = status["node"]
    _, layout = garage.call("GET", "/v1/layout")
    if any(role.get("id") == node for role in layout.get("roles", [])):
        log("layout: node already has a role")
        return
    capacity = int(env("GARAGE_CAPACITY_GB")) * 1_000_000_000
    garage.call("POST", "/v1/layout", [{"id": node, "zone": "lakebench", "capacity": capacity, "tags": []}])
    garage.call("POST", "/v1/layout/apply", {"version": layout["version"] + 1})
    log(f"layout: node {node[:16]} assigned {capacity} bytes")


def ensure_key(garage, key_id, secret):
    status, _ = garage.call("GET", f"/v1/key?id={key_id}", ok=(200, 400, 404))
    if status == 200:
        log("key: exists")
        return
    garage.call("POST", "/v1/key/import", {"accessKeyId": key_id, "secretAccessKey": secret, "name": "lakebench"})
    log("key: imported")


def ensure_bucket(garage, name, key_id):
    status, bucket = garage.call("GET", f"/v1/bucket?globalAlias={name}", ok=(200, 400, 404))
    if status != 200:
        _, bucket = garage.call("POST", "/v1/bucket", {"globalAlias": name})
        log(f"bucket {name}: created")
    else:
        log(f"bucket {name}: exists")
    granted = [k for k in bucket.get("keys", []) if k.get("accessKeyId") == key_id]
    perms = granted[0].get("permissions", {}) if granted else {}
    if not (perms.get("read") and perms.get("write") and perms.get("owner")):
        garage.call(
            "POST",
            "/v1/bucket/allow",
            {"bucketId": bucket["id"], "accessKeyId": key_id, "permissions": {"read": True, "write": True, "owner": True}},
        )
        log(f"bucket {name}: read/write/owner granted")


def main():
    garage = Garage()
    status = wait_ready(garage)
    ensure_layout(garage, status)
    key_id, secret = env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")
    ensure_key(garage, key_id, secret)
    for name in [b for b in env("BUCKETS").split(",") if b]:
        ensure_bucket(garage, name, key_id)
    log("Garage setup complete")


if __name__ == "__main__":
    main()
