"""The whole-SKU rule end to end: REAL exports with German and Japanese rows uploaded as bulk
jobs through the API, and seller titles through `/match`. No accepted row may carry a SKU of
another language, condition or finish than the row's own (docs/matching.md)."""

from __future__ import annotations

import collections
import io
from itertools import islice
from pathlib import Path

import pytest

from matching.formats import read_inventory
from matching.scoring import FINISH_FALLBACK
from models.sku import parse_sku
from tests.integration.matching.catalog_subset import ROWS_PER_EXPORT, non_english_rows
from tests.integration.matching.conftest import bearer, wait_for_job

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]

#: Real exports with rows in other languages; at least how many of their rows the matching
#: catalog subset (catalog_subset.py: the 2019 Scryfall snapshot's printings of the cards of
#: these rows, nearly all English) must refuse for want of the row's language, and at least how
#: many English rows it accepts (most English rows of the collections are newer cards).
EXPORTS = [
    # 11 languages of one Lightning Bolt (M11) and ~30 English cards, from each tool
    ("mtgcsvhelper/Tests/manabox-real-export.csv", 5, 10),
    ("mtgcsvhelper/Tests/moxfield-real-export.csv", 5, 10),
    ("mtgcsvhelper/Tests/dragonshield-real-export.csv", 5, 10),
    ("mtgcsvhelper/Tests/tcgplayer-real-export.csv", 5, 10),
    # whole collections: German (Dragon Shield, Moxfield) and Italian (Dragon Shield) copies
    ("mtgcsvhelper/Collection/dragonshield-collection.csv", 20, 1),
    ("mtgcsvhelper/Collection/moxfield-haves.csv", 15, 2),
    ("dragonshield-acquadrod/all-folders.csv", 30, 10),
]


def _sample(path: Path) -> bytes:
    """The export's header, its first records and its first records in another language
    (those catalog_subset.py takes the cards of), byte for byte as the tool wrote them."""
    inventory = read_inventory(path)
    lines = path.read_bytes().splitlines(keepends=True)
    picked = {row.line_number for row in islice(inventory, ROWS_PER_EXPORT)}
    picked |= {row.line_number for row in non_english_rows(inventory)}
    first = min(picked)
    return b"".join(lines[: first - 1] + [lines[n - 1] for n in sorted(picked)])


def _all_results(client, key: str, job_id: int) -> list[dict]:
    response = client.get(
        f"/api/matching/jobs/{job_id}/results", params={"limit": 10_000}, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.mark.parametrize(("export", "refused", "english"), EXPORTS)
def test_real_export_job_accepts_only_the_rows_own_sku(
    client, keys, shared_data, export, refused, english
) -> None:
    content = _sample(shared_data / "seller-exports" / export)
    listings = [row.listing for row in read_inventory(io.BytesIO(content))]
    created = client.post(
        "/api/matching/jobs",
        files={"file": (Path(export).name, content, "text/csv")},
        headers=bearer(keys.vendor),
    )
    assert created.status_code == 202, created.text
    job = wait_for_job(client, keys.vendor, created.json()["id"])
    assert job["status"] == "succeeded", job
    rows = _all_results(client, keys.vendor, job["id"])
    assert len(rows) == len(listings)

    counts: collections.Counter[str] = collections.Counter()
    for row, listing in zip(rows, listings, strict=True):
        language = listing.language or "EN"
        counts[f"{language}:{row['status']}"] += 1
        if row["status"] == "auto":
            sku = parse_sku(row["sku"])
            assert sku.language == language, (row["line_number"], row["sku"], row["input"])
            assert sku.condition == (listing.condition or "NM"), row
            assert sku.finish in FINISH_FALLBACK.get(listing.finish, (listing.finish,)), row
            assert row["reason_code"] is None
        else:
            assert row["reason_code"] and row["reason"], row
        if row["reason_code"] == "language_not_in_catalog":
            assert language != "EN" and row["sku"] is None, row
            assert row["candidates"], row  # the print in the catalog's language is shown
            counts["language_not_in_catalog"] += 1
    # copies in a language the catalog lacks are refused with the reason, while the English
    # copies of the same file are accepted
    assert counts["language_not_in_catalog"] >= refused, counts
    assert counts["EN:auto"] >= english, counts
    non_english_auto = sum(n for k, n in counts.items() if k.endswith(":auto") and k != "EN:auto")
    assert non_english_auto <= 2, counts  # only where the catalog has that language's print


@pytest.mark.parametrize(
    ("title", "decision", "code", "sku_language"),
    [
        ("Lightning Bolt Magic 2010 146 German NM", "none", "language_not_in_catalog", None),
        ("Lightning Bolt Magic 2010 146 Japanese", "none", "language_not_in_catalog", None),
        ("Lightning Bolt Magic 2010 146 NM", "auto", None, "EN"),
        ("Charizard Base Set 4/102 Holo Japanese", "none", "language_not_in_catalog", None),
    ],
)
def test_titles_in_another_language_through_the_api(
    client, keys, title, decision, code, sku_language
) -> None:
    response = client.post(
        "/api/matching/match", json={"title": title}, headers=bearer(keys.vendor)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["decision"], body["reason_code"]) == (decision, code), body
    if sku_language:
        assert parse_sku(body["best"]["sku"]).language == sku_language
        assert body["assumed"] == {"language": "EN", "finish": "NORMAL"}
    else:
        assert body["best"] is None and body["candidates"]
        assert "printing" in body["reason"]


def test_an_unreadable_condition_waits_for_review(client, keys) -> None:
    response = client.post(
        "/api/matching/match",
        json={
            "fields": {
                "game": "MTG",
                "name": "Lightning Bolt",
                "set_code": "M10",
                "number": "146",
                "condition": "Sparkly",
            }
        },
        headers=bearer(keys.vendor),
    )
    body = response.json()
    assert body["decision"] == "review" and body["reason_code"] == "condition_unreadable"
    assert "Sparkly" in body["reason"]
