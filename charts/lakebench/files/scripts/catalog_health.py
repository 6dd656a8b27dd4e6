"""helm test: the catalog answers a real request.

  catalog_health.py hive HOST PORT       Thrift call get_all_databases() on the Hive Metastore
  catalog_health.py polaris              Iceberg REST /v1/config with the principal's OAuth2 token
"""
import socket
import struct
import sys

from common import die, env, http, log

THRIFT_VERSION_1 = 0x80010000
CALL, REPLY, EXCEPTION = 1, 2, 3


def _thrift_string(value):
    raw = value.encode()
    return struct.pack("!i", len(raw)) + raw


def _read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed by the metastore")
        data += chunk
    return data


def hive(host, port):
    """Binary-protocol call of ThriftHiveMetastore.get_all_databases (unframed, as the metastore expects)."""
    message = struct.pack("!I", THRIFT_VERSION_1 | CALL) + _thrift_string("get_all_databases") + struct.pack("!i", 1) + b"\x00"
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(message)
        header = struct.unpack("!I", _read_exact(sock, 4))[0]
        name = _read_exact(sock, struct.unpack("!i", _read_exact(sock, 4))[0]).decode()
        _read_exact(sock, 4)  # sequence id
        kind = header & 0xFF
        if kind != REPLY or name != "get_all_databases":
            die(f"Hive Metastore answered {name!r} with message type {kind} (expected a reply)")
        field_type, field_id = struct.unpack("!bh", _read_exact(sock, 3))
        if field_id != 0 or field_type != 15:  # field 0 = success, type 15 = list
            die(f"Hive Metastore returned an error field {field_id} instead of the database list")
        _, count = struct.unpack("!bi", _read_exact(sock, 5))
        databases = [_read_exact(sock, struct.unpack("!i", _read_exact(sock, 4))[0]).decode() for _ in range(count)]
    log(f"Hive Metastore {host}:{port} is healthy; databases: {', '.join(databases) or '(none)'}")


def polaris():
    base, realm, warehouse = env("POLARIS_URL").rstrip("/"), env("POLARIS_REALM"), env("POLARIS_CATALOG")
    status, body = http(
        "POST",
        f"{base}/api/catalog/v1/oauth/tokens",
        {"grant_type": "client_credentials", "client_id": env("POLARIS_CLIENT_ID"), "client_secret": env("POLARIS_CLIENT_SECRET"), "scope": "PRINCIPAL_ROLE:ALL"},
        headers={"Polaris-Realm": realm},
        form=True,
    )
    if status != 200 or not isinstance(body, dict) or "access_token" not in body:
        die(f"Polaris token request failed: HTTP {status}")
    status, config = http(
        "GET", f"{base}/api/catalog/v1/config?warehouse={warehouse}", headers={"Authorization": f"Bearer {body['access_token']}", "Polaris-Realm": realm}
    )
    if status != 200:
        die(f"Polaris /v1/config for warehouse {warehouse}: HTTP {status}: {str(config)[:300]}")
    log(f"Polaris is healthy; catalog {warehouse} config: {config}")


def main(argv):
    if len(argv) == 3 and argv[0] == "hive":
        try:
            hive(argv[1], argv[2])
        except (OSError, struct.error) as e:
            die(f"Hive Metastore {argv[1]}:{argv[2]}: {e}")
    elif argv == ["polaris"]:
        polaris()
    else:
        die("usage: catalog_health.py hive HOST PORT | polaris")


if __name__ == "__main__":
    main(sys.argv[1:])
