"""Where mirrored images live: a small interface with two implementations.

* `FolderStore` (the embedded default): files under `SIDEDECKED_IMAGES_DIR` (var/images),
  served by the API at /media.
* `S3Store` (production): any S3-compatible server (SeaweedFS from `make services`, MinIO in
  docker-compose), over httpx with SigV4 signing (`images.sigv4`).

Keys are content addresses (`images.renditions.content_key`): an existing key already holds the
right bytes, so `put` is skipped for it (`exists` first), and objects are immutable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import httpx

from images import sigv4
from models.settings import Settings, get_settings

log = logging.getLogger(__name__)

IMMUTABLE = "public, max-age=31536000, immutable"


class StoreError(RuntimeError):
    """The store refused or failed a write."""


class ImageStore(Protocol):
    """A content-addressed object store with public URLs."""

    name: str
    #: Objects written by this process (for the sync's counts and the tests).
    uploads: int

    def exists(self, key: str) -> bool: ...

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes | None: ...

    def url(self, key: str) -> str: ...

    def close(self) -> None: ...


class FolderStore:
    """Objects as files under `root`; written to a temporary name, then renamed into place, so a
    killed writer never leaves a partial object under a real key."""

    name = "folder"

    def __init__(self, root: Path, base_url: str = "/media") -> None:
        self.root = root
        self.base_url = base_url.rstrip("/")
        self.uploads = 0
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        if ".." in key.split("/") or key.startswith("/"):
            raise ValueError(f"bad key {key!r}")
        return self.root / key

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            Path(tmp).chmod(0o644)
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        with self._lock:
            self.uploads += 1

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    def url(self, key: str) -> str:
        return f"{self.base_url}/{key}"

    def close(self) -> None:
        pass


class S3Store:
    """Objects in one bucket of an S3-compatible server (path-style URLs)."""

    name = "s3"

    def __init__(
        self,
        endpoint: str,
        bucket: str,
        *,
        access_key: str,
        secret_key: str,
        region: str = "us-east-1",
        public_url: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.bucket = bucket
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.public_url = (public_url or f"{self.endpoint}/{bucket}").rstrip("/")
        self.uploads = 0
        self._lock = threading.Lock()
        self._client = httpx.Client(timeout=timeout)

    def _object_url(self, key: str = "") -> str:
        return f"{self.endpoint}/{quote(self.bucket)}/{quote(key, safe='/')}".rstrip("/")

    def _request(
        self, method: str, url: str, data: bytes = b"", headers: dict[str, str] | None = None
    ) -> httpx.Response:
        signed = sigv4.sign(
            method,
            url,
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=self.region,
            payload_sha256=hashlib.sha256(data).hexdigest(),
            headers=headers,
        )
        return self._client.request(method, url, content=data or None, headers=signed)

    def ensure_bucket(self, *, public_read: bool = False) -> None:
        """Create the bucket when it is missing (an existing one is left as it is); a new one
        gets a policy letting anyone GET its objects when `public_read`: the recorded URLs are
        public (straight at the bucket, or a CDN's origin). MinIO needs the policy; SeaweedFS
        is told in its identities too."""
        head = self._request("HEAD", self._object_url())
        if head.status_code == 200:
            return
        resp = self._request("PUT", self._object_url())
        if resp.status_code not in (200, 409):
            raise StoreError(f"creating bucket {self.bucket}: {resp.status_code} {resp.text[:200]}")
        if public_read:
            policy = json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "PublicReadImages",
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": ["s3:GetObject"],
                            "Resource": [f"arn:aws:s3:::{self.bucket}/*"],
                        }
                    ],
                }
            ).encode()
            resp = self._request("PUT", f"{self._object_url()}?policy", policy)
            if resp.status_code not in (200, 204):
                log.warning(
                    "bucket %s: public-read policy refused (%s); make its objects readable, or "
                    "set SIDEDECKED_S3_PUBLIC_URL to where they are served",
                    self.bucket,
                    resp.status_code,
                )

    def exists(self, key: str) -> bool:
        resp = self._request("HEAD", self._object_url(key))
        if resp.status_code == 404:
            return False
        if resp.status_code != 200:
            raise StoreError(f"HEAD {key}: {resp.status_code}")
        return True

    def put(self, key: str, data: bytes, content_type: str) -> None:
        headers = {"content-type": content_type, "cache-control": IMMUTABLE}
        resp = self._request("PUT", self._object_url(key), data, headers)
        if resp.status_code != 200:
            raise StoreError(f"PUT {key}: {resp.status_code} {resp.text[:200]}")
        with self._lock:
            self.uploads += 1

    def get(self, key: str) -> bytes | None:
        resp = self._request("GET", self._object_url(key))
        if resp.status_code == 404:
            return None
        if resp.status_code != 200:
            raise StoreError(f"GET {key}: {resp.status_code}")
        return resp.content

    def url(self, key: str) -> str:
        return f"{self.public_url}/{key}"

    def close(self) -> None:
        self._client.close()


def make_store(settings: Settings | None = None) -> ImageStore:
    """The store the settings select: S3 when `SIDEDECKED_S3_ENDPOINT` is set, else the folder."""
    settings = settings or get_settings()
    if not settings.sidedecked_s3_endpoint:
        return FolderStore(settings.sidedecked_images_dir, settings.sidedecked_images_base_url)
    if not (settings.sidedecked_s3_access_key and settings.sidedecked_s3_secret_key):
        raise StoreError(
            "SIDEDECKED_S3_ENDPOINT is set without SIDEDECKED_S3_ACCESS_KEY/SECRET_KEY"
        )
    store = S3Store(
        settings.sidedecked_s3_endpoint,
        settings.sidedecked_s3_bucket,
        access_key=settings.sidedecked_s3_access_key,
        secret_key=settings.sidedecked_s3_secret_key,
        region=settings.sidedecked_s3_region,
        public_url=settings.sidedecked_s3_public_url,
    )
    store.ensure_bucket(public_read=True)
    return store
