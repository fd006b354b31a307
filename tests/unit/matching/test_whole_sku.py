"""The whole-SKU rule: an accepted match is the seller's SKU in print, language, condition,
finish and grade, or it is not accepted (a small in-memory index, no database)."""

from __future__ import annotations

import pytest

from matching.decisions import (
    AUTO,
    NONE,
    REVIEW,
    Reason,
    SkuFacts,
    Thresholds,
    whole_sku_reason,
)
from matching.match_result import split_reason
from matching.parsing import ParsedListing, parse_title
from matching.reasons import REASON_CODES, capped
from matching.service import Matcher
from models.sku import Grade, parse_sku
from tests.factories.matching import IndexBuilder

LOOSE = Thresholds(auto=0.9, review=0.3)


@pytest.fixture(scope="module")
def built():
    b = IndexBuilder()
    b.set("M10", "Magic 2010").set("FUT", "Future Sight").set("ELD", "Throne of Eldraine")
    b.set("WWK", "Worldwake").set("THS", "Theros").set("LEA", "Limited Edition Alpha")
    b.set("BASE1", "Base", game="POKEMON", printed_total=102)
    b.set("OP05", "Awakening of the New Era", game="OPTCG")
    ids = {
        "bolt": b.print_("Lightning Bolt", "M10", "146"),
        "bolt_jp": b.print_("Lightning Bolt", "M10", "146", language="JP"),
        "goyf": b.print_("Tarmogoyf", "FUT", "153"),
        "oko": b.print_("Oko, Thief of Crowns", "ELD", "197"),
        "jace": b.print_("Jace, the Mind Sculptor", "WWK", "31"),
        "seize": b.print_("Thoughtseize", "THS", "107"),
        "lotus": b.print_("Black Lotus", "LEA", "232", finishes=("NORMAL",)),
        "zard": b.print_(
            "Charizard", "BASE1", "4", game="POKEMON", finishes=("1ST_HOLO", "UNLIMITED_HOLO")
        ),
        "luffy_jp": b.print_("Monkey.D.Luffy", "OP05", "OP05-119", game="OPTCG", language="JP"),
    }
    return b.build(), ids


@pytest.fixture(scope="module")
def matcher(built) -> Matcher:
    return Matcher(built[0])


def _row(**kw) -> ParsedListing:
    return ParsedListing(raw=dict(kw), **kw)


def _bolt(**kw) -> ParsedListing:
    return _row(game="MTG", name="Lightning Bolt", set_code="M10", number="146", **kw)


# -- language -------------------------------------------------------------------------------------


def test_a_language_the_catalog_lacks_is_never_another_languages_sku(matcher) -> None:
    listing = _row(game="MTG", name="Tarmogoyf", set_code="FUT", number="153", language="DE")
    result = matcher.match(listing, thresholds=LOOSE)
    assert result.decision == NONE
    assert result.reason_code == "language_not_in_catalog"
    assert result.best is None  # no catalog SKU is the seller's
    assert "German" in result.reason and "English" in result.reason
    assert result.candidates[0].sku == "MTG-FUT-153-EN-NM-NORMAL"  # shown, not accepted


def test_a_language_the_catalog_has_gives_that_languages_sku(matcher) -> None:
    jp = matcher.match(_bolt(language="JP"), thresholds=LOOSE)
    assert jp.decision == AUTO and jp.reason_code is None
    assert jp.best.sku == "MTG-M10-146-JP-NM-NORMAL"
    de = matcher.match(_bolt(language="DE"), thresholds=LOOSE)
    assert de.decision == NONE and de.reason_code == "language_not_in_catalog"
    assert "English and Japanese" in de.reason


def test_a_listing_without_a_language_is_english_and_says_so(matcher) -> None:
    plain = matcher.match(_bolt(condition="LP"), thresholds=LOOSE)
    assert plain.decision == AUTO and plain.best.sku == "MTG-M10-146-EN-LP-NORMAL"
    assert plain.assumed == {"language": "EN", "finish": "NORMAL"}


def test_a_silent_listing_of_a_card_printed_only_in_another_language_waits_for_review(
    matcher,
) -> None:
    listing = _row(game="OPTCG", name="Monkey.D.Luffy", number="OP05-119")
    result = matcher.match(listing, thresholds=LOOSE)
    assert result.decision == REVIEW and result.reason_code == "language_unstated"
    assert parse_sku(result.best.sku).language == "JP"


def test_an_unreadable_language_is_not_guessed(matcher) -> None:
    listing = _bolt()
    listing.mark_unread("language", "Klingon")
    result = matcher.match(listing, thresholds=LOOSE)
    assert result.decision == REVIEW and result.reason_code == "language_unreadable"
    assert "Klingon" in result.reason and "language" not in result.assumed


# -- condition and finish -----------------------------------------------------------------------


def test_an_unreadable_condition_is_not_guessed_into_auto(matcher) -> None:
    listing = _bolt()
    listing.mark_unread("condition", "Sparkly")
    result = matcher.match(listing, thresholds=LOOSE)
    assert result.decision == REVIEW and result.reason_code == "condition_unreadable"
    assert "Sparkly" in result.reason
    assert "condition" not in result.assumed
    silent = matcher.match(_bolt(), thresholds=LOOSE)
    assert silent.decision == AUTO and silent.assumed["condition"] == "NM"


def test_a_finish_the_print_lacks_is_not_accepted(matcher) -> None:
    listing = _row(game="MTG", name="Black Lotus", set_code="LEA", number="232", finish="FOIL")
    foil = matcher.match(listing, thresholds=LOOSE)
    assert foil.decision == NONE and foil.reason_code == "finish_not_in_catalog"
    assert "foil" in foil.reason and "non-foil" in foil.reason
    foil_bolt = matcher.match(_bolt(finish="FOIL"), thresholds=LOOSE)
    assert foil_bolt.decision == AUTO and foil_bolt.best.sku.endswith("-FOIL")


# -- grades -------------------------------------------------------------------------------------


def test_a_graded_listing_gets_the_graded_sku(matcher) -> None:
    graded = matcher.match(_bolt(grade=Grade("PSA", "10")), thresholds=LOOSE)
    assert graded.decision == AUTO
    assert graded.best.sku == "MTG-M10-146-EN-NM-NORMAL-PSA10"
    assert parse_sku(graded.best.sku).grade == Grade("PSA", "10")
    assert all(c.sku.endswith("-PSA10") for c in graded.candidates)
    zard = matcher.match(parse_title("Charizard Base Set 4/102 Holo BGS 9.5"), thresholds=LOOSE)
    assert zard.best.sku == "POKEMON-BASE1-004-EN-NM-UNLIMITED_HOLO-BGS9.5"


def test_a_grader_the_sku_cannot_carry_has_no_sku(matcher) -> None:
    result = matcher.match(parse_title("Charizard Base Set 4/102 Holo SGC 9"), thresholds=LOOSE)
    assert result.decision == NONE and result.reason_code == "grade_not_supported"
    assert result.best is None and "SGC 9" in result.reason


# -- titles ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "sku"),
    [
        ("Oko, Thief of Crowns - Throne of Eldraine 197/269 - NM Foil", "MTG-ELD-197-EN-NM-FOIL"),
        ("Jace, the Mind Sculptor Worldwake 31 HP", "MTG-WWK-031-EN-HP-NORMAL"),
        ("Thoughtseize (Theros) EX", "MTG-THS-107-EN-LP-NORMAL"),
        ("Charizard Base Set 4/102 Holo PSA 9", "POKEMON-BASE1-004-EN-NM-UNLIMITED_HOLO-PSA9"),
    ],
)
def test_seller_titles_match_the_whole_sku(matcher, title: str, sku: str) -> None:
    result = matcher.match(parse_title(title), thresholds=LOOSE)
    assert (result.decision, result.best.sku) == (AUTO, sku)


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Lightning Bolt Magic 2010 146 German NM", "language_not_in_catalog"),
        ("Tarmogoyf Future Sight 153 Japanese", "language_not_in_catalog"),
        ("Lot of 50 Pokemon cards", "not_single_card"),
        ("Mixed bundle Yugioh cards 100", "not_single_card"),
        ("Magic The Gathering Throne of Eldraine Booster Box Sealed", "not_single_card"),
    ],
)
def test_titles_that_are_no_catalog_sku(matcher, title: str, code: str) -> None:
    result = matcher.match(parse_title(title), thresholds=LOOSE)
    assert (result.decision, result.reason_code, result.best) == (NONE, code, None)
    if code == "not_single_card":
        assert result.reason.startswith("not a single card")


# -- the rule itself ------------------------------------------------------------------------------


def _facts(**kw) -> SkuFacts:
    base = {
        "card": "Lightning Bolt (M10 #146)",
        "listing_language": "EN",
        "print_language": "EN",
        "catalog_languages": ("EN",),
        "listing_finish": "NORMAL",
        "finish_fits": True,
        "print_finishes": ("NORMAL", "FOIL"),
        "unread": {},
    }
    base.update(kw)
    return SkuFacts(**base)


def test_whole_sku_reason_order_and_caps() -> None:
    assert whole_sku_reason(_facts()) is None
    assert whole_sku_reason(_facts(listing_language=None)) is None
    order = [
        (_facts(unread={"grade": "SGC 9", "condition": "x"}), "grade_not_supported", NONE),
        (_facts(listing_language="DE", finish_fits=False), "language_not_in_catalog", NONE),
        (_facts(finish_fits=False, unread={"condition": "x"}), "finish_not_in_catalog", NONE),
        (_facts(unread={"language": "x", "condition": "y"}), "language_unreadable", REVIEW),
        (_facts(unread={"finish": "x"}), "finish_unreadable", REVIEW),
        (_facts(unread={"condition": "x"}), "condition_unreadable", REVIEW),
        (_facts(listing_language=None, print_language="JP"), "language_unstated", REVIEW),
    ]
    for facts, code, cap in order:
        reason = whole_sku_reason(facts)
        assert reason is not None and reason.code == code
        assert REASON_CODES[code] == cap
        assert capped(AUTO, reason) == cap and capped(NONE, reason) == NONE


def test_capped_never_raises_a_decision() -> None:
    review_only = Reason("condition_unreadable", "x")
    assert capped(REVIEW, review_only) == REVIEW
    assert capped(AUTO, None) == AUTO


def test_stored_reasons_split_back_into_code_and_sentence() -> None:
    assert split_reason("language_not_in_catalog: The catalog has no German printing") == (
        "language_not_in_catalog",
        "The catalog has no German printing",
    )
    assert split_reason("not a TCG card: sports card") == (None, "not a TCG card: sports card")
    assert split_reason(None) == (None, None)
