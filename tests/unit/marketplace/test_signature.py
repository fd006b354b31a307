import hashlib
import hmac

from search_api.marketplace.routes import sign, verify


def test_signature_is_hmac_sha256_of_the_raw_body():
    body = b'{"events":[]}'
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign(body, "s3cret") == f"sha256={expected}"
    assert verify(body, f"sha256={expected}", "s3cret")
    assert not verify(body + b" ", f"sha256={expected}", "s3cret")
    assert not verify(body, expected, "s3cret")
    assert not verify(body, None, "s3cret")
    assert not verify(body, f"sha256={expected}", "other")
