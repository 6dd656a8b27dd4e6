"""Idempotent Polaris configuration, after the admin tool has bootstrapped the realm: the catalog with
its S3 storage configuration, the principal, its roles and grants, and a Secret with the principal's
OAuth2 client credentials. Request bodies follow Polaris 1.7.0's spec/polaris-management-service.yml.

  polaris_bootstrap.py configure          creates whatever is missing; a second run changes nothing
"""
import base64
import json
import ssl
import sys

from common import die, env, http, log, wait_http_ok

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
CATALOG_PRIVILEGE = "CATALOG_MANAGE_CONTENT"


class Polaris:
    def __init__(self):
        self.base = env("POLARIS_URL").rstrip("/")
        self.realm = env("POLARIS_REALM")
        self.token = None

    def get_token(self, client_id, client_secret):
        status, body = http(
            "POST",
            f"{self.base}/api/catalog/v1/oauth/tokens",
            {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret, "scope": "PRINCIPAL_ROLE:ALL"},
            headers={"Polaris-Realm": self.realm},
            form=True,
        )
        if status == 200 and isinstance(body, dict) and body.get("access_token"):
            return body["access_token"]
        return None

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        status, payload = http(
            method,
            f"{self.base}/api/management/v1{path}",
            body,
            headers={"Authorization": f"Bearer {self.token}", "Polaris-Realm": self.realm},
        )
        if status not in ok:
            die(f"Polaris {method} {path}: HTTP {status}: {json.dumps(payload)[:500]}")
        return status, payload

    def exists(self, path):
        status, _ = self.call("GET", path, ok=(200, 404))
        return status == 200


class Kubernetes:
    """Just enough of the API to read and write one Secret, with the pod's ServiceAccount."""

    def __init__(self):
        with open(f"{SA_DIR}/token") as f:
            self.token = f.read().strip()
        self.context = ssl.create_default_context(cafile=f"{SA_DIR}/ca.crt")
        self.namespace = env("POD_NAMESPACE")
        self.base = f"https://kubernetes.default.svc/api/v1/namespaces/{self.namespace}/secrets"

    def _call(self, method, url, body=None):
        return http(method, url, body, headers={"Authorization": f"Bearer {self.token}"}, context=self.context)

    def read_secret(self, name):
        status, body = self._call("GET", f"{self.base}/{name}")
        if status == 404:
            return None
        if status != 200:
            die(f"reading Secret {name}: HTTP {status}")
        return {k: base64.b64decode(v).decode() for k, v in (body.get("data") or {}).items()}

    def write_secret(self, name, data, labels):
        manifest = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": name, "namespace": self.namespace, "labels": labels},
            "type": "Opaque",
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()},
        }
        status, _ = self._call("PUT", f"{self.base}/{name}", manifest)
        if status == 404:
            status, _ = self._call("POST", self.base, manifest)
        if status not in (200, 201):
            die(f"writing Secret {name}: HTTP {status}")


def storage_config():
    buckets = [b for b in env("S3_BUCKETS").split(",") if b]
    return {
        "storageType": "S3",
        "allowedLocations": [f"s3://{b}/" for b in buckets],
        "endpoint": env("S3_ENDPOINT"),
        "region": env("S3_REGION"),
        "pathStyleAccess": env("S3_PATH_STYLE") == "true",
        # S3-compatible stores have no STS: Polaris vends no credentials, clients use their own.
        "stsUnavailable": True,
    }


# Request bodies of the management API (CreateCatalogRequest, CreatePrincipalRequest, ...).
def create_catalog_request(catalog, base_location):
    return {"catalog": {"type": "INTERNAL", "name": catalog, "properties": {"default-base-location": base_location}, "storageConfigInfo": storage_config()}}


def create_principal_request(principal):
    return {"principal": {"name": principal}, "credentialRotationRequired": False}


def principal_role_request(name):
    """CreatePrincipalRoleRequest and GrantPrincipalRoleRequest."""
    return {"principalRole": {"name": name}}


def catalog_role_request(name):
    """CreateCatalogRoleRequest and GrantCatalogRoleRequest."""
    return {"catalogRole": {"name": name}}


def add_grant_request(privilege):
    return {"grant": {"type": "catalog", "privilege": privilege}}


def ensure_catalog(polaris, catalog):
    if polaris.exists(f"/catalogs/{catalog}"):
        log(f"catalog {catalog}: exists")
        return
    base = env("DEFAULT_BASE_LOCATION")
    polaris.call("POST", "/catalogs", create_catalog_request(catalog, base))
    log(f"catalog {catalog}: created at {base}")


def ensure_roles(polaris, catalog, principal):
    principal_role, catalog_role = f"{principal}_role", f"{catalog}_{principal}_role"
    if not polaris.exists(f"/principal-roles/{principal_role}"):
        polaris.call("POST", "/principal-roles", principal_role_request(principal_role))
        log(f"principal role {principal_role}: created")
    _, assigned = polaris.call("GET", f"/principals/{principal}/principal-roles")
    if principal_role not in [r.get("name") for r in (assigned or {}).get("roles", [])]:
        polaris.call("PUT", f"/principals/{principal}/principal-roles", principal_role_request(principal_role))
        log(f"principal role {principal_role}: assigned to {principal}")
    if not polaris.exists(f"/catalogs/{catalog}/catalog-roles/{catalog_role}"):
        polaris.call("POST", f"/catalogs/{catalog}/catalog-roles", catalog_role_request(catalog_role))
        log(f"catalog role {catalog_role}: created")
    _, granted = polaris.call("GET", f"/principal-roles/{principal_role}/catalog-roles/{catalog}")
    if catalog_role not in [r.get("name") for r in (granted or {}).get("roles", [])]:
        polaris.call("PUT", f"/principal-roles/{principal_role}/catalog-roles/{catalog}", catalog_role_request(catalog_role))
        log(f"catalog role {catalog_role}: granted to {principal_role}")
    _, grants = polaris.call("GET", f"/catalogs/{catalog}/catalog-roles/{catalog_role}/grants")
    if CATALOG_PRIVILEGE not in [g.get("privilege") for g in (grants or {}).get("grants", [])]:
        polaris.call("PUT", f"/catalogs/{catalog}/catalog-roles/{catalog_role}/grants", add_grant_request(CATALOG_PRIVILEGE))
        log(f"privilege {CATALOG_PRIVILEGE}: granted to {catalog_role}")


def ensure_principal(polaris, kube, principal, secret_name, labels):
    """The principal's credentials live only in the Secret; rotate them only if the Secret is lost or stale."""
    stored = kube.read_secret(secret_name)
    if polaris.exists(f"/principals/{principal}"):
        if stored and polaris.get_token(stored.get("clientId", ""), stored.get("clientSecret", "")):
            log(f"principal {principal}: exists, Secret {secret_name} holds working credentials")
            return
        _, body = polaris.call("POST", f"/principals/{principal}/rotate")
        log(f"principal {principal}: credentials rotated (Secret {secret_name} was missing or stale)")
    else:
        _, body = polaris.call("POST", "/principals", create_principal_request(principal))
        log(f"principal {principal}: created")
    credentials = (body or {}).get("credentials") or {}
    if not credentials.get("clientId") or not credentials.get("clientSecret"):
        die(f"Polaris returned no credentials for principal {principal}")
    kube.write_secret(secret_name, {"clientId": credentials["clientId"], "clientSecret": credentials["clientSecret"]}, labels)
    log(f"Secret {secret_name}: written")


def configure():
    polaris = Polaris()
    wait_http_ok(env("POLARIS_HEALTH_URL"))
    polaris.token = polaris.get_token(env("ROOT_CLIENT_ID"), env("ROOT_CLIENT_SECRET"))
    if not polaris.token:
        die(f"the root credentials are rejected by realm {polaris.realm}: was it bootstrapped with another Secret?")
    catalog, principal = env("POLARIS_CATALOG"), env("POLARIS_PRINCIPAL")
    ensure_catalog(polaris, catalog)
    ensure_principal(polaris, Kubernetes(), principal, env("CLIENT_SECRET_NAME"), json.loads(env("SECRET_LABELS")))
    ensure_roles(polaris, catalog, principal)
    log("Polaris bootstrap complete")


def main(argv):
    if argv == ["configure"]:
        configure()
    else:
        die("usage: polaris_bootstrap.py configure")


if __name__ == "__main__":
    main(sys.argv[1:])
