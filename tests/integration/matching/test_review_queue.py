"""The review queue at scale on PostgreSQL: filters (game, seller, job, set, confidence, reason),
sorts and keyset pages, groups of identical proposals and their verification with a stale
member, and undo restoring the exact previous state."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories.matching import match_row
from tests.integration.matching.conftest import bearer

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

QUEUE = "/api/matching/review"


def _skus(session, count: int) -> list[tuple[str, int, str, str]]:
    """(sku, print_id, game, set code) of catalog SKUs in `count` different sets."""
    from models.catalog import CatalogSku

    rows = session.execute(
        sa.select(CatalogSku.sku, CatalogSku.print_id, CatalogSku.game_code, CatalogSku.set_code)
        .order_by(CatalogSku.set_code, CatalogSku.sku)
        .limit(2000)
    ).all()
    firsts = {r.set_code: tuple(r) for r in reversed(rows)}  # the first SKU of each set
    assert len(firsts) >= count
    return [firsts[code] for code in sorted(firsts)[:count]]


@pytest.fixture
def seeded(keys, matching_engine):
    """Twelve pending matches of the test's seller (and one of the other seller) with known
    confidences, ages, sets, a job and reasons; returns {name: id} and the SKUs used."""
    from matching.models import MatchJob, MatchJobRow
    from models.base import utcnow
    from models.db import session_factory

    session = session_factory(matching_engine)()
    try:
        skus = _skus(session, 3)
        job = MatchJob(seller_id=keys.seller, status="succeeded", total_rows=2)
        session.add(job)
        session.flush()
        start = utcnow() - timedelta(hours=1)
        ids: dict[str, int] = {}
        for i in range(12):
            sku, print_id, game, _set = skus[i % 3]
            row = match_row(
                session,
                seller_id=keys.seller,
                catalog_sku=sku,
                print_id=print_id,
                game=game,
                source_key=f"key-{i % 3}",
                source_text=f"text {i}",
                confidence_score=round(0.3 + 0.05 * i, 2),
                created_at=start + timedelta(minutes=12 - i),  # newest first by index
                job_id=job.id if i < 2 else None,
            )
            ids[f"m{i}"] = row.id
        other = match_row(
            session, seller_id=keys.other_seller, catalog_sku=skus[0][0], print_id=skus[0][1]
        )
        ids["other"] = other.id
        for index, (name, reason) in enumerate(
            (("m0", "language_unstated"), ("m1", "condition_unreadable"))
        ):
            session.add(
                MatchJobRow(
                    job_id=job.id,
                    row_index=index,
                    line_number=index + 2,
                    status="review",
                    reason=f"{reason}: a sentence",
                    match_id=ids[name],
                )
            )
        session.commit()
        yield ids, skus, job.id
    finally:
        session.close()


def _queue(client, keys, **params) -> dict:
    response = client.get(
        QUEUE, params={"seller_id": keys.seller, **params}, headers=bearer(keys.admin)
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_filters_narrow_the_queue(client, keys, seeded) -> None:
    ids, skus, job_id = seeded
    assert _queue(client, keys)["total"] == 12
    assert _queue(client, keys, job_id=job_id)["total"] == 2
    first_set = skus[0][3]
    in_set = _queue(client, keys, set=first_set.lower())
    assert {item["id"] for item in in_set["items"]} == {ids[f"m{i}"] for i in (0, 3, 6, 9)}
    ranged = _queue(client, keys, min_confidence=0.5, max_confidence=0.6)
    assert sorted(item["confidence_score"] for item in ranged["items"]) == [0.5, 0.55, 0.6]
    assert _queue(client, keys, game=skus[0][2])["total"] == sum(
        1 for i in range(12) if skus[i % 3][2] == skus[0][2]
    )
    reason = _queue(client, keys, reason="condition_unreadable")
    assert [item["id"] for item in reason["items"]] == [ids["m1"]]
    assert {"code": "language_unstated", "label": "Language not stated"} in reason["reasons"]
    # without a seller filter the set holds the other seller's match too
    everyone = client.get(
        QUEUE, params={"set": first_set, "limit": 500}, headers=bearer(keys.admin)
    ).json()
    assert {ids["other"], ids["m0"]} <= {i["id"] for i in everyone["items"]}
    assert ids["other"] not in {i["id"] for i in in_set["items"]}
    for bad in ({"reason": "below_review"}, {"sort": "name"}, {"cursor": "garbage"}):
        refused = client.get(
            QUEUE, params={"seller_id": keys.seller, **bad}, headers=bearer(keys.admin)
        )
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["code"] in {"unknown_reason", "unknown_sort", "invalid_cursor"}


@pytest.mark.parametrize(
    ("sort", "key", "reverse", "first"),
    [
        ("confidence_asc", "confidence_score", False, "m0"),
        ("confidence_desc", "confidence_score", True, "m11"),
        ("oldest", "created_at", False, "m11"),
        ("newest", "created_at", True, "m0"),
    ],
)
def test_sorted_keyset_pages_walk_every_item_once(client, keys, seeded, sort, key, reverse, first):
    ids, _skus_used, _job = seeded
    seen: list[dict] = []
    cursor = None
    pages = 0
    while True:
        params = {"sort": sort, "limit": 5, **({"cursor": cursor} if cursor else {})}
        page = _queue(client, keys, **params)
        assert page["total"] == 12
        seen += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == 12 and len({item["id"] for item in seen}) == 12
    values = [item[key] for item in seen]
    assert values == sorted(values, reverse=reverse)
    assert seen[0]["id"] == ids[first]
    # offset pages agree with the cursor pages
    second = _queue(client, keys, sort=sort, limit=5, offset=5)
    assert [item["id"] for item in second["items"]] == [item["id"] for item in seen[5:10]]


def test_groups_and_group_verify_report_a_stale_member_then_undo(
    client, keys, seeded, matching_engine
) -> None:
    from matching.models import LearnedAlias, ProductCatalogMatch

    ids, skus, _job = seeded
    groups = client.get(
        f"{QUEUE}/groups", params={"seller_id": keys.seller}, headers=bearer(keys.admin)
    ).json()
    assert groups["total"] == 3
    assert [g["count"] for g in groups["groups"]] == [4, 4, 4]
    group = next(g for g in groups["groups"] if g["source_key"] == "key-0")
    assert group["catalog_sku"] == skus[0][0]
    assert {m["id"] for m in group["members"]} == {ids[f"m{i}"] for i in (0, 3, 6, 9)}
    assert group["min_confidence"] == 0.3 and group["max_confidence"] == 0.75
    narrowed = client.get(
        f"{QUEUE}/groups",
        params={"seller_id": keys.seller, "min_confidence": 0.6},
        headers=bearer(keys.admin),
    ).json()
    assert sum(g["count"] for g in narrowed["groups"]) == 6  # 0.6 .. 0.85, min size 2

    def states() -> dict[int, tuple]:
        with matching_engine.connect() as conn:
            rows = conn.execute(
                sa.select(ProductCatalogMatch).where(
                    ProductCatalogMatch.id.in_([m["id"] for m in group["members"]])
                )
            ).all()
        return {row.id: tuple(row) for row in rows}

    # another admin verifies one member first: the group verification reports it, not overwrites
    taken = ids["m3"]
    first = client.post(f"/api/matching/matches/{taken}/verify", headers=bearer(keys.admin2)).json()
    before = states()
    body = {
        "catalog_sku": group["catalog_sku"],
        "source_key": group["source_key"],
        "members": group["members"],
        "note": "same text, same card",
    }
    verified = client.post(f"{QUEUE}/groups/verify", json=body, headers=bearer(keys.admin))
    assert verified.status_code == 200, verified.text
    outcome = verified.json()
    assert outcome["verified"] == 3
    assert [c["id"] for c in outcome["conflicts"]] == [taken]
    assert outcome["conflicts"][0]["status"] == "verified"
    assert outcome["conflicts"][0]["verified_by"].startswith("admin two")
    after = {
        m["id"]: client.get(f"/api/matching/matches/{m['id']}", headers=bearer(keys.admin)).json()
        for m in group["members"]
    }
    assert all(a["status"] == "verified" for a in after.values())
    assert after[taken]["verified_by"].startswith("admin two")  # not overwritten
    assert after[taken]["version"] == first["version"]
    assert {a["verified_by"] for i, a in after.items() if i != taken} == {
        after[ids["m0"]]["verified_by"]
    }
    assert _queue(client, keys)["total"] == 8

    # a member that is not of the group refuses the whole request
    stray = _queue(client, keys, sort="oldest")["items"][0]
    assert stray["id"] == ids["m11"] and stray["source_key"] != group["source_key"]
    mixed = {**body, "members": [{"id": stray["id"], "version": stray["version"]}]}
    refused = client.post(f"{QUEUE}/groups/verify", json=mixed, headers=bearer(keys.admin))
    assert refused.status_code == 422 and refused.json()["code"] == "not_in_group"
    assert (
        client.get(f"/api/matching/matches/{stray['id']}", headers=bearer(keys.admin)).json()[
            "status"
        ]
        == "pending"
    )

    # undo: the three verified members are back exactly as they were, the alias is forgotten
    last = client.get(f"{QUEUE}/actions/last", headers=bearer(keys.admin)).json()["action"]
    assert last["id"] == outcome["action_id"] and last["kind"] == "group_verify"
    assert last["match_count"] == 3
    undone = client.post(f"{QUEUE}/actions/{outcome['action_id']}/undo", headers=bearer(keys.admin))
    assert undone.status_code == 200, undone.text
    assert undone.json()["undone"] == 3
    assert states() == before
    assert _queue(client, keys)["total"] == 11
    with matching_engine.connect() as conn:
        alias = conn.execute(
            sa.select(LearnedAlias.match_id).where(
                LearnedAlias.seller_id == keys.seller, LearnedAlias.source_key == "key-0"
            )
        ).scalar()
    assert alias == taken  # admin two's own verification still teaches it
    again = client.post(f"{QUEUE}/actions/{outcome['action_id']}/undo", headers=bearer(keys.admin))
    assert again.status_code == 409 and again.json()["code"] == "already_undone"
    assert client.get(f"{QUEUE}/actions/last", headers=bearer(keys.admin)).json()["action"] is None


def test_undo_of_verify_reassign_and_reject(client, keys, seeded, matching_engine) -> None:
    from matching.models import LearnedAlias, ProductCatalogMatch

    ids, skus, _job = seeded
    url = "/api/matching/matches/{}/{}"

    def row(match_id: int) -> dict:
        return client.get(f"/api/matching/matches/{match_id}", headers=bearer(keys.admin)).json()

    def alias(source_key: str):
        with matching_engine.connect() as conn:
            return conn.execute(
                sa.select(LearnedAlias.catalog_sku).where(
                    LearnedAlias.seller_id == keys.seller, LearnedAlias.source_key == source_key
                )
            ).scalar()

    for name, action, payload, kind in (
        ("m4", "verify", {}, "verify"),
        ("m5", "verify", {"sku": skus[0][0]}, "reassign"),
        ("m6", "reject", {"note": "wrong"}, "reject"),
    ):
        match_id = ids[name]
        before = row(match_id)
        done = client.post(
            url.format(match_id, action),
            json={**payload, "version": before["version"]},
            headers=bearer(keys.admin),
        )
        assert done.status_code == 200, done.text
        assert done.json()["status"] != "pending"
        if kind != "reject":
            assert alias(before["source_key"]) == done.json()["catalog_sku"]
        last = client.get(f"{QUEUE}/actions/last", headers=bearer(keys.admin)).json()["action"]
        assert last == {**last, "id": done.json()["action_id"], "kind": kind}
        assert last["match_ids"] == [match_id]
        # another admin's last action is their own
        assert client.get(f"{QUEUE}/actions/last", headers=bearer(keys.admin2)).json() == {
            "action": None
        }
        undone = client.post(f"{QUEUE}/actions/{last['id']}/undo", headers=bearer(keys.admin))
        assert undone.status_code == 200, undone.text
        assert row(match_id) == before
        assert alias(before["source_key"]) is None

    # a match changed after the action (another writer): the undo restores nothing, says which
    match_id = ids["m7"]
    done = client.post(url.format(match_id, "reject"), headers=bearer(keys.admin)).json()
    with matching_engine.begin() as conn:
        conn.execute(
            sa.update(ProductCatalogMatch)
            .where(ProductCatalogMatch.id == match_id)
            .values(version=ProductCatalogMatch.version + 1, review_note="edited elsewhere")
        )
    refused = client.post(f"{QUEUE}/actions/{done['action_id']}/undo", headers=bearer(keys.admin))
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "undo_conflict"
    assert refused.json()["details"]["changed_ids"] == [match_id]
    assert row(match_id)["status"] == "rejected"
    missing = client.post(f"{QUEUE}/actions/999999999/undo", headers=bearer(keys.admin))
    assert missing.status_code == 404
    assert client.post(f"{QUEUE}/actions/1/undo", headers=bearer(keys.vendor)).status_code == 403
