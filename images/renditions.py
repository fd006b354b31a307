"""Pure image work: decode the upstream bytes, make the WebP renditions the pages use and the
blurhash they show while an image loads. No I/O; unit-tested on images made by Pillow.

Object keys are content addresses: `<sha[:2]>/<sha[2:4]>/<sha256 of the bytes>.<ext>`, so an
object is never overwritten, an unchanged rendition is never stored twice, and any key can be
cached forever.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import blurhash
from PIL import Image, ImageOps

#: Rendition name -> width in pixels, from the pages' image frames at twice their CSS width:
#: the 88 px thumbnails of the review console (small), the ~190-200 px result grid cells
#: (normal), the card page's 280 px frame (large). Never wider than the original.
RENDITIONS: dict[str, int] = {"small": 176, "normal": 400, "large": 560}
#: The rendition search results and lookups show as `image`.
RESULT_RENDITION = "normal"
WEBP_QUALITY = 82
#: Blurhash components (x, y): cards are portrait, so more rows than columns.
BLURHASH_COMPONENTS = (3, 4)
#: Width of the thumbnail the blurhash is computed from (the hash keeps only 12 colours).
BLURHASH_SOURCE_WIDTH = 32
#: Largest decoded image accepted (pixels): a guard against decompression bombs.
MAX_PIXELS = 40_000_000

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}


class ImageError(ValueError):
    """The upstream bytes are not an image we can use."""


@dataclass(frozen=True)
class Blob:
    """One object to store: its content address and bytes."""

    name: str
    key: str
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    sha256: str
    width: int
    height: int
    blurhash: str
    blobs: list[Blob]  # the original first, then each rendition


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_key(sha: str, ext: str) -> str:
    return f"{sha[:2]}/{sha[2:4]}/{sha}.{ext}"


def process(data: bytes) -> Processed:
    """The original (as fetched) and its WebP renditions, with the blurhash."""
    sha = sha256_hex(data)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageError(f"image too large ({probe.width}x{probe.height})")
            probe.load()
            image = ImageOps.exif_transpose(probe).convert("RGBA" if _has_alpha(probe) else "RGB")
    except (OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ImageError(f"not a readable image: {exc}") from exc
    ext = EXTENSIONS.get(fmt)
    if ext is None:
        raise ImageError(f"unsupported image format {fmt or 'unknown'}")
    blobs = [Blob("original", content_key(sha, ext), data, CONTENT_TYPES[ext], *image.size)]
    for name, width in RENDITIONS.items():
        blobs.append(_rendition(name, image, width))
    return Processed(sha, image.width, image.height, blurhash_of(image), blobs)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _rendition(name: str, image: Image.Image, width: int) -> Blob:
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    data = out.getvalue()
    return Blob(name, content_key(sha256_hex(data), "webp"), data, "image/webp", *image.size)


def blurhash_of(image: Image.Image) -> str:
    width = min(BLURHASH_SOURCE_WIDTH, image.width)
    height = max(1, round(image.height * width / image.width))
    small = image.convert("RGB").resize((width, height), Image.Resampling.BILINEAR)
    rgb = small.tobytes()
    pixels = [
        [list(rgb[(y * width + x) * 3 : (y * width + x) * 3 + 3]) for x in range(width)]
        for y in range(height)
    ]
    x, y = BLURHASH_COMPONENTS
    return str(blurhash.encode(pixels, components_x=x, components_y=y))


def srcset(urls_by_width: dict[int, str]) -> str:
    """`url 176w, url 400w, ...` for an <img srcset>, narrowest first."""
    return ", ".join(f"{url} {width}w" for width, url in sorted(urls_by_width.items()))
