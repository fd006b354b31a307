"""Honest non-matches: a `none` names no SKU (its candidates are suggestions) and says why in
the seller's terms, with a reason declared in `matching/reasons.py` (a small in-memory index)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matching.decisions import AUTO, NONE, Thresholds
from matching.parsing import ParsedListing, parse_title
from matching.reasons import BY_CODE, REASON_CODES, REASONS
from matching.service import Matcher
from tests.factories.matching import IndexBuilder

LOOSE = Thresholds(auto=0.9, review=0.3)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    b = IndexBuilder()
    b.set("M10", "Magic 2010").set("FUT", "Future Sight").set("LCI", "The Lost Caverns of Ixalan")
    b.set("BASE1", "Base", game="POKEMON", printed_total=102)
    b.print_("Lightning Bolt", "M10", "146")
    b.print_("Tarmogoyf", "FUT", "153")
    b.print_("Charizard", "BASE1", "4", game="POKEMON", finishes=("UNLIMITED_HOLO",))
    # LCI is listed without any of its cards (a set newer than the catalog's cards)
    return Matcher(b.build())


def _row(**kw) -> ParsedListing:
    return ParsedListing(raw=dict(kw), **kw)


@pytest.mark.parametrize(
    ("listing", "code", "words"),
    [
        # a set the catalog does not have, by code or by name
        (
            _row(game="MTG", name="Abuelo's Awakening", set_code="XYZ", number="1"),
            "set_not_in_catalog",
            "XYZ",
        ),
        (
            _row(game="MTG", name="Lightning Bolt", set_name="Dominaria Remastered"),
            "set_not_in_catalog",
            "Dominaria Remastered",
        ),
        # a set the catalog lists but has no cards of
        (
            _row(
                game="MTG",
                name="Abuelo's Awakening",
                set_name="The Lost Caverns of Ixalan",
                number="1",
            ),
            "set_not_in_catalog",
            "Lost Caverns",
        ),
        (
            _row(game="MTG", name="Zzyzx Quorblat", set_code="M10"),
            "card_not_in_catalog",
            "Zzyzx Quorblat",
        ),
        (
            _row(game="MTG", name="Tarmogoyf", set_code="M10", number="999"),
            "print_not_in_catalog",
            "Magic 2010",
        ),
        (_row(game="MTG", name="Tarmogoyf", language="KO"), "language_not_in_catalog", "Korean"),
        (
            _row(game="POKEMON", name="Base Booster Box", set_name="Base"),
            "not_single_card",
            "sealed",
        ),
        (
            _row(game="POKEMON", name="Ultra Pro Charizard Sleeves 65ct"),
            "not_single_card",
            "accessory",
        ),
    ],
)
def test_a_none_says_why_in_the_sellers_terms(matcher, listing, code: str, words: str) -> None:
    result = matcher.match(listing, thresholds=LOOSE)
    assert (result.decision, result.reason_code) == (NONE, code), result.reason
    assert words in result.reason
    assert result.best is None  # a none names no SKU


def test_a_none_keeps_its_candidates_as_suggestions_only(matcher) -> None:
    result = matcher.match(
        _row(game="MTG", name="Tarmogoyf", set_code="M10", number="999"), thresholds=LOOSE
    )
    assert result.decision == NONE and result.best is None
    assert result.candidates and result.candidates[0].name == "Tarmogoyf"
    assert result.as_dict()["best"] is None and result.as_dict()["candidates"]


def test_the_same_card_in_the_catalog_is_still_accepted(matcher) -> None:
    result = matcher.match(
        _row(game="MTG", name="Tarmogoyf", set_code="FUT", number="153"), thresholds=LOOSE
    )
    assert (result.decision, result.reason_code, result.best.name) == (AUTO, None, "Tarmogoyf")
    # a card name that only contains an accessory-like word stays a card
    title = matcher.match(parse_title("Charizard Base Set 4/102 Holo"), thresholds=LOOSE)
    assert title.decision == AUTO


def test_reasons_are_declared_once_with_a_label_and_message() -> None:
    assert len(BY_CODE) == len(REASONS)
    for reason in REASONS:
        assert re.fullmatch(r"[a-z_]+", reason.code)
        assert reason.label and reason.message.endswith(".")
        assert REASON_CODES[reason.code] == reason.cap


def test_every_reason_the_matching_code_gives_is_declared() -> None:
    """Codes are literals in a few modules: each one written there is a declared reason."""
    root = Path(__file__).resolve().parents[3] / "matching"
    written: set[str] = set()
    for path in [root / "service.py", root / "decisions.py", root / "none_reasons.py"]:
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'(?:Reason|answer)\(\s*"([a-z_]+)"', text))
        written |= set(re.findall(r'code = "([a-z_]+)"', text))
        written |= set(re.findall(r'f"\{component\}(_[a-z]+)"', text)) and {
            f"{c}_unreadable" for c in ("language", "finish", "condition")
        }
    assert written and written <= set(BY_CODE), written - set(BY_CODE)
