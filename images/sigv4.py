"""AWS Signature Version 4 for the few S3 calls the image store makes (PUT, HEAD, GET object,
PUT bucket), over httpx. Written out (about 60 lines) rather than pulling in botocore for
four requests: the signing is a published, stable algorithm, and the tests run it against a
real S3 server (SeaweedFS), which rejects a wrong signature."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

UNSIGNED = "UNSIGNED-PAYLOAD"


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret: str, day: str, region: str, service: str = "s3") -> bytes:
    key = _hmac(f"AWS4{secret}".encode(), day)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def sign(
    method: str,
    url: str,
    *,
    access_key: str,
    secret_key: str,
    region: str,
    payload_sha256: str,
    headers: dict[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """The headers to send with the request (the given ones plus the signature's)."""
    now = now or datetime.now(UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    parts = urlsplit(url)
    out = {k.lower(): v.strip() for k, v in (headers or {}).items()}
    out["host"] = parts.netloc
    out["x-amz-date"] = stamp
    out["x-amz-content-sha256"] = payload_sha256
    names = sorted(out)
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
        for k, v in sorted([*p.split("=", 1), ""][:2] for p in parts.query.split("&") if p)
    )
    canonical = "\n".join(
        [
            method.upper(),
            quote(parts.path or "/", safe="/-_.~"),
            canonical_query,
            "".join(f"{n}:{out[n]}\n" for n in names),
            ";".join(names),
            payload_sha256,
        ]
    )
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    signature = hmac.new(
        signing_key(secret_key, day, region), to_sign.encode(), hashlib.sha256
    ).hexdigest()
    out["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    out.pop("host")  # httpx sends it
    return out
