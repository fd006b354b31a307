"""The pure image work: renditions, content keys, blurhash, srcset and SigV4 signing."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import blurhash
import pytest
from PIL import Image

from images import sigv4
from images.renditions import (
    RENDITIONS,
    ImageError,
    content_key,
    process,
    sha256_hex,
    srcset,
)
from tests.integration.images.upstream import card_image


def test_process_makes_the_original_and_webp_renditions_under_content_keys():
    data = card_image(7)
    out = process(data)
    assert out.sha256 == sha256_hex(data)
    assert (out.width, out.height) == (672, 936)
    original, *renditions = out.blobs
    assert original.name == "original"
    assert original.data == data
    assert original.key == content_key(out.sha256, "jpg")
    assert original.key.startswith(f"{out.sha256[:2]}/{out.sha256[2:4]}/")
    assert [r.name for r in renditions] == list(RENDITIONS)
    for blob in renditions:
        with Image.open(io.BytesIO(blob.data)) as image:
            assert image.format == "WEBP"
            assert image.width == RENDITIONS[blob.name] == blob.width
            assert abs(image.height / image.width - 936 / 672) < 0.01
        assert blob.key == content_key(sha256_hex(blob.data), "webp")
        assert blob.content_type == "image/webp"


def test_the_same_bytes_give_the_same_keys_and_other_bytes_other_keys():
    first, again, other = process(card_image(1)), process(card_image(1)), process(card_image(2))
    assert [b.key for b in first.blobs] == [b.key for b in again.blobs]
    assert not {b.key for b in first.blobs} & {b.key for b in other.blobs}


def test_a_small_original_is_never_upscaled_and_png_keeps_its_extension():
    out = process(card_image(3, fmt="PNG", size=(150, 210)))
    assert out.blobs[0].key.endswith(".png")
    assert {b.width for b in out.blobs} == {150}


def test_the_blurhash_decodes_to_the_images_colours():
    data = card_image(11, size=(300, 420))
    out = process(data)
    assert len(out.blurhash) == 4 + 2 * 3 * 4  # 3x4 components
    pixels = blurhash.decode(out.blurhash, 3, 4)
    with Image.open(io.BytesIO(data)) as image:
        corner = image.convert("RGB").getpixel((2, 2))
    got = pixels[0][0]
    assert all(abs(int(a) - int(b)) < 90 for a, b in zip(got[:3], corner, strict=True))


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n broken"])
def test_bytes_that_are_no_image_are_refused(data):
    with pytest.raises(ImageError):
        process(data)


def test_srcset_lists_the_renditions_narrowest_first():
    assert srcset({400: "/m/b.webp", 176: "/m/a.webp"}) == "/m/a.webp 176w, /m/b.webp 400w"


def test_sigv4_matches_the_published_example():
    """AWS's documented example (GET /test.txt with a Range header, 2013-05-24)."""
    headers = sigv4.sign(
        "GET",
        "https://examplebucket.s3.amazonaws.com/test.txt",
        access_key="AKIAIOSFODNN7EXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        payload_sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        headers={"Range": "bytes=0-9"},
        now=datetime(2013, 5, 24, tzinfo=UTC),
    )
    assert headers["authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )
