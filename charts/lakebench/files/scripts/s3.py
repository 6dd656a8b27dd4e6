"""A minimal S3 client with AWS Signature V4 (standard library only), enough for bucket checks
and the put/get/list/delete probe. Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY."""
import datetime
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET


class S3Error(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:300]}")
        self.status = status


class S3:
    def __init__(self, endpoint, region, access_key, secret_key, path_style=True):
        parsed = urllib.parse.urlsplit(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"S3 endpoint must be an http(s) URL, got {endpoint!r}")
        self.scheme, self.netloc = parsed.scheme, parsed.netloc
        self.region, self.access_key, self.secret_key = region, access_key, secret_key
        self.path_style = path_style

    def request(self, method, bucket, key="", query=None, body=b""):
        query = query or {}
        host = self.netloc if self.path_style else f"{bucket}.{self.netloc}"
        path = f"/{bucket}/{key}" if self.path_style else f"/{key}"
        path = urllib.parse.quote(path, safe="/-_.~")
        canonical_query = "&".join(
            f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(str(v), safe='-_.~')}" for k, v in sorted(query.items())
        )
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date, date = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        payload_hash = hashlib.sha256(body).hexdigest()
        headers = {"host": host, "x-amz-content-sha256": payload_hash, "x-amz-date": amz_date}
        signed = ";".join(sorted(headers))
        canonical = "\n".join(
            [method, path, canonical_query, "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload_hash]
        )
        scope = f"{date}/{self.region}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key_bytes = ("AWS4" + self.secret_key).encode()
        for part in (date, self.region, "s3", "aws4_request"):
            key_bytes = hmac.new(key_bytes, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key_bytes, to_sign.encode(), hashlib.sha256).hexdigest()
        headers["authorization"] = f"AWS4-HMAC-SHA256 Credential={self.access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"
        url = f"{self.scheme}://{host}{path}" + (f"?{canonical_query}" if canonical_query else "")
        req = urllib.request.Request(url, data=body if method in ("PUT", "POST") else None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            raise S3Error(e.code, e.read().decode("utf-8", "replace")) from None

    def bucket_exists(self, bucket):
        try:
            self.request("HEAD", bucket)
            return True
        except S3Error as e:
            if e.status == 404:
                return False
            raise

    def put(self, bucket, key, body):
        self.request("PUT", bucket, key, body=body)

    def get(self, bucket, key):
        return self.request("GET", bucket, key)[1]

    def delete(self, bucket, key):
        self.request("DELETE", bucket, key)

    def list_keys(self, bucket, prefix):
        _, body = self.request("GET", bucket, query={"list-type": "2", "prefix": prefix})
        root = ET.fromstring(body)
        return [el.text for el in root.iter() if el.tag.endswith("}Key") or el.tag == "Key"]


def from_env(environ):
    """Builds a client from LAKEBENCH_S3_ENDPOINT / _REGION / _PATH_STYLE and the AWS_* keys."""
    missing = [n for n in ("LAKEBENCH_S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") if not environ.get(n)]
    if missing:
        raise ValueError(f"environment variables not set: {', '.join(missing)}")
    return S3(
        environ["LAKEBENCH_S3_ENDPOINT"],
        environ.get("LAKEBENCH_S3_REGION") or "us-east-1",
        environ["AWS_ACCESS_KEY_ID"],
        environ["AWS_SECRET_ACCESS_KEY"],
        path_style=(environ.get("LAKEBENCH_S3_PATH_STYLE", "true").lower() == "true"),
    )
