"""The review queue, verify / reassign / reject, 409 on conflicts (also two sessions racing on
PostgreSQL), seller settings and roles."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests.integration.matching.conftest import bearer

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

#: Listings of cards in the catalog subset.
REVIEW_LISTINGS = [
    {"name": "Lightning Bolt", "set_code": "M11"},
    {"name": "Counterspell", "set_code": "7ED"},
    {"name": "Sol Ring", "set_code": "C19", "number": "221"},
]


def _pending(client, keys, n: int = 3, seller_type: str = "business_vendor") -> list[dict]:
    """Record n matches in the vendor's review queue; returns their match views. The seller's
    thresholds send every fuzzy match to review (auto only at 0.999 or more)."""
    settings = client.put(
        f"/api/matching/sellers/{keys.seller}/settings",
        json={"auto_threshold": 0.999, "review_threshold": 0.0},
        headers=bearer(keys.admin),
    )
    assert settings.status_code == 200, settings.text
    out = []
    for i, fields in enumerate(REVIEW_LISTINGS[:n]):
        body = {"fields": fields, "product_ref": f"p-{i}", "seller_type": seller_type}
        response = client.post("/api/matching/match", json=body, headers=bearer(keys.vendor))
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["decision"] == "review", result
        out.append(result["match"])
    return out


def test_review_queue_lists_pending_with_candidates(client, keys) -> None:
    pending = _pending(client, keys)
    queue = client.get(
        "/api/matching/review", params={"seller_id": keys.seller}, headers=bearer(keys.admin)
    )
    assert queue.status_code == 200
    body = queue.json()
    assert body["total"] == 3
    assert {m["id"] for m in body["items"]} == {m["id"] for m in pending}
    for item in body["items"]:
        assert item["status"] == "pending" and item["is_verified"] is False
        assert 1 <= len(item["candidates"]) <= 5
        first = item["candidates"][0]
        assert {"sku", "confidence", "matched_fields", "name", "set_code", "number"} <= set(first)
        assert item["source_text"]
    # filters: game, confidence range, another seller
    assert (
        client.get(
            "/api/matching/review",
            params={"seller_id": keys.seller, "game": "POKEMON"},
            headers=bearer(keys.admin),
        ).json()["total"]
        == 0
    )
    confidences = sorted(m["confidence_score"] for m in pending)
    ranged = client.get(
        "/api/matching/review",
        params={"seller_id": keys.seller, "min_confidence": confidences[-1], "max_confidence": 1},
        headers=bearer(keys.admin),
    ).json()
    assert ranged["total"] == sum(1 for c in confidences if c >= confidences[-1])
    assert (
        client.get(
            "/api/matching/review",
            params={"seller_id": keys.other_seller},
            headers=bearer(keys.admin),
        ).json()["total"]
        == 0
    )


def test_review_and_verification_need_an_admin(client, keys) -> None:
    match = _pending(client, keys, 1)[0]
    assert client.get("/api/matching/review").status_code == 401
    assert client.get("/api/matching/review", headers=bearer(keys.vendor)).status_code == 403
    for action in ("verify", "reject"):
        url = f"/api/matching/matches/{match['id']}/{action}"
        assert client.post(url).status_code == 401
        assert client.post(url, headers=bearer(keys.vendor)).status_code == 403
    settings = f"/api/matching/sellers/{keys.seller}/settings"
    body = {"auto_threshold": 0.99}
    assert client.put(settings, json=body, headers=bearer(keys.vendor)).status_code == 403
    assert client.get(settings, headers=bearer(keys.other_vendor)).status_code == 403


def test_verify_reassign_reject_and_conflicts(client, keys) -> None:
    confirm, reassign, refuse = _pending(client, keys)
    url = "/api/matching/matches/{}/{}"

    ok = client.post(url.format(confirm["id"], "verify"), headers=bearer(keys.admin))
    assert ok.status_code == 200, ok.text
    verified = ok.json()
    assert verified["is_verified"] is True and verified["status"] == "verified"
    assert verified["verified_by"].startswith("admin one")
    assert verified["catalog_sku"] == confirm["catalog_sku"]
    assert verified["version"] == confirm["version"] + 1
    # the second admin acting on the same match loses
    late = client.post(url.format(confirm["id"], "reject"), headers=bearer(keys.admin2))
    assert late.status_code == 409
    assert late.json()["code"] == "conflict"
    assert late.json()["details"]["status"] == "verified"
    again = client.post(url.format(confirm["id"], "verify"), headers=bearer(keys.admin2))
    assert again.status_code == 409

    # reassign to another SKU: manual, confidence 1
    target = "MTG-M10-146-EN-LP-NORMAL"
    moved = client.post(
        url.format(reassign["id"], "verify"),
        json={"sku": target, "note": "right set"},
        headers=bearer(keys.admin),
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["catalog_sku"] == target
    assert moved.json()["match_method"] == "manual"
    assert moved.json()["confidence_score"] == 1.0
    unknown = client.post(
        url.format(refuse["id"], "verify"),
        json={"sku": "MTG-NOPE-1-EN-NM-NORMAL"},
        headers=bearer(keys.admin),
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_sku"
    malformed = client.post(
        url.format(refuse["id"], "verify"), json={"sku": "not a sku"}, headers=bearer(keys.admin)
    )
    assert malformed.status_code == 422 and malformed.json()["code"] == "invalid_sku"

    # stale version: 409; current version: rejected
    stale = client.post(
        url.format(refuse["id"], "reject"),
        json={"version": refuse["version"] + 5},
        headers=bearer(keys.admin),
    )
    assert stale.status_code == 409
    rejected = client.post(
        url.format(refuse["id"], "reject"),
        json={"version": refuse["version"], "note": "wrong"},
        headers=bearer(keys.admin2),
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected" and rejected.json()["is_verified"] is False
    assert (
        client.post(url.format(refuse["id"], "verify"), headers=bearer(keys.admin)).status_code
        == 409
    )
    assert (
        client.post(url.format(999_999_999, "verify"), headers=bearer(keys.admin)).status_code
        == 404
    )
    queue = client.get(
        "/api/matching/review", params={"seller_id": keys.seller}, headers=bearer(keys.admin)
    ).json()
    assert queue["total"] == 0

    # reassigning taught the matcher: the same seller text now matches the chosen SKU exactly
    relearned = client.post(
        "/api/matching/match", json={"fields": REVIEW_LISTINGS[1]}, headers=bearer(keys.vendor)
    ).json()
    assert relearned["decision"] == "auto"
    assert relearned["best"]["sku"] == "MTG-M10-146-EN-NM-NORMAL"  # the copy's own condition
    assert relearned["best"]["matched_fields"] == {"learned": 1.0}


def test_two_sessions_racing_one_wins(client, keys, matching_engine) -> None:
    """Admin A's verify holds the row (uncommitted) while admin B rejects: B blocks on the row
    lock, then finds the match already verified and gets a conflict (the API's 409)."""
    from matching import review
    from matching.models import ProductCatalogMatch
    from models.db import session_factory
    from models.errors import Conflict

    match_id = _pending(client, keys, 1)[0]["id"]
    a = session_factory(matching_engine)()
    outcome: dict[str, object] = {}
    try:
        a.execute(
            sa.update(ProductCatalogMatch)
            .where(ProductCatalogMatch.id == match_id, ProductCatalogMatch.is_verified.is_(False))
            .values(
                status="verified",
                is_verified=True,
                verified_by="admin A",
                version=ProductCatalogMatch.version + 1,
            )
        )

        def admin_b() -> None:
            b = session_factory(matching_engine)()
            try:
                review.reject(b, match_id, by="admin B")
                outcome["b"] = "won"
            except Conflict:
                outcome["b"] = "conflict"
            finally:
                b.close()

        thread = threading.Thread(target=admin_b)
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive(), "B must wait for A's row lock"
        a.commit()
        thread.join(timeout=10)
        assert outcome["b"] == "conflict"
    finally:
        a.close()
    with matching_engine.connect() as conn:
        row = conn.execute(
            sa.select(ProductCatalogMatch.status, ProductCatalogMatch.verified_by).where(
                ProductCatalogMatch.id == match_id
            )
        ).one()
    assert tuple(row) == ("verified", "admin A")


def test_parallel_api_calls_exactly_one_wins(client, keys) -> None:
    match_id = _pending(client, keys, 1)[0]["id"]
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def act(key: str, action: str) -> None:
        barrier.wait()
        response = client.post(f"/api/matching/matches/{match_id}/{action}", headers=bearer(key))
        codes.append(response.status_code)

    threads = [
        threading.Thread(target=act, args=(k, a))
        for k, a in (
            (keys.admin, "verify"),
            (keys.admin2, "reject"),
            (keys.admin, "reject"),
            (keys.admin2, "verify"),
        )
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409, 409, 409]


def test_seller_thresholds_change_decisions(client, keys) -> None:
    url = f"/api/matching/sellers/{keys.seller}/settings"
    default = client.get(url, headers=bearer(keys.vendor)).json()
    assert (
        default["custom"] is False and 0 < default["review_threshold"] <= default["auto_threshold"]
    )
    listing = {"fields": {"name": "Sol Rings", "set_code": "C19"}}  # a typo: not exact
    before = client.post("/api/matching/match", json=listing, headers=bearer(keys.vendor)).json()
    confidence = before["best"]["confidence"]
    assert before["best"]["sku"] == "MTG-C19-221-EN-NM-NORMAL"
    assert before["decision"] == ("auto" if confidence >= default["auto_threshold"] else "review")
    lowered = client.put(
        url,
        json={"auto_threshold": confidence, "review_threshold": 0.0},
        headers=bearer(keys.admin),
    )
    assert lowered.status_code == 200 and lowered.json()["custom"] is True
    after = client.post("/api/matching/match", json=listing, headers=bearer(keys.vendor)).json()
    assert after["decision"] == "auto"
    assert after["thresholds"] == {"auto": confidence, "review": 0.0}
    client.put(
        url, json={"auto_threshold": 1.0, "review_threshold": 1.0}, headers=bearer(keys.admin)
    )
    strict = client.post("/api/matching/match", json=listing, headers=bearer(keys.vendor)).json()
    assert strict["decision"] == "none"
    bad = client.put(
        url, json={"auto_threshold": 0.3, "review_threshold": 0.5}, headers=bearer(keys.admin)
    )
    assert bad.status_code == 422
    # other sellers keep the calibrated defaults
    other = client.get(
        f"/api/matching/sellers/{keys.other_seller}/settings", headers=bearer(keys.other_vendor)
    ).json()
    assert other["auto_threshold"] == default["auto_threshold"]
