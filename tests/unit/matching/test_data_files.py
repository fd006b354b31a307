"""The reviewable data files of the matcher index: set-name aliases and rarity synonyms (their
validation, and what they do to the index and the scores)."""

from __future__ import annotations

import pytest

from matching.candidates import CandidateGenerator
from matching.data_files import RaritySynonym, SetAlias, load_rarity_synonyms, load_set_aliases
from matching.index_build import catalog_name_key
from matching.parsing import ParsedListing
from matching.query import query_from_listing
from matching.scoring import rarity_key, score_candidates
from models.games import GAME_IDS
from models.text import listing_key
from tests.factories.matching import IndexBuilder


def test_the_shipped_set_aliases_say_where_each_came_from() -> None:
    aliases = load_set_aliases()
    assert len(aliases) >= 40
    for alias in aliases:
        assert alias.game in GAME_IDS and alias.set_codes and alias.source and alias.comment
        assert all(code == code.upper() for code in alias.set_codes)
    names = {(a.game, a.alias): a.set_codes for a in aliases}
    # the names issue 12 quotes
    assert names[("YUGIOH", "2004 Collectors Tin")] == ("CT1",)
    assert names[("YUGIOH", "2010 Collectors Tins")] == ("CT07",)
    assert set(names[("YUGIOH", "2014 Mega-Tins")]) == {"CT11", "MP14"}
    assert names[("POKEMON", "SV03: Obsidian Flames")] == ("SV3",)
    assert names[("POKEMON", "SV: Scarlet & Violet 151")] == ("SV3PT5",)


def test_the_shipped_rarity_synonyms_say_where_each_came_from() -> None:
    synonyms = load_rarity_synonyms()
    pairs = {(s.game, s.rarity, s.catalog_rarity): s for s in synonyms}
    assert ("YUGIOH", "Common", "Short Print") in pairs
    early = pairs[("YUGIOH", "Secret Rare", "Prismatic Secret Rare")]
    assert "DOD" in early.sets and "MP19" not in early.sets  # early sets only
    assert (
        "YUGIOH",
        "Duel Terminal Technology Ultra Rare",
        "Duel Terminal Ultra Parallel Rare",
    ) in pairs
    assert all(s.source and s.comment for s in synonyms)


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        ("game,alias,set_codes,source,comment", "CHESS,Foo,ABC,me,why", "unknown game"),
        ("game,alias,set_codes,source,comment", "MTG,Foo,ABC,,", "where it came from"),
        ("game,alias,set_codes,source,comment", "MTG,Foo,,me,why", "set codes"),
        ("game,alias,source,comment", "MTG,Foo,me,why", "missing columns set_codes"),
    ],
)
def test_a_bad_alias_file_names_the_problem(tmp_path, header, row, message) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_set_aliases(path)


def test_a_synonym_that_is_already_the_same_name_is_refused(tmp_path) -> None:
    path = tmp_path / "synonyms.csv"
    path.write_text(
        "game,rarity,catalog_rarity,sets,source,comment\nYUGIOH,Secret-Rare,SECRET RARE,,me,why\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"synonyms.csv:2: .*already the same name"):
        load_rarity_synonyms(path)


def _index(aliases: list[SetAlias], synonyms: list[RaritySynonym]):
    b = IndexBuilder()
    b.set("CT1", "Collectible Tins 2004", game="YUGIOH")
    b.set("DOD", "Yu-Gi-Oh! The Dawn of Destiny promotional cards", game="YUGIOH")
    b.set("MP19", "2019 Gold Sarcophagus Tin Mega Pack", game="YUGIOH")

    def ygo(name: str, code: str, number: str, rarity: str, finish: str) -> int:
        return b.print_(name, code, number, game="YUGIOH", rarity=rarity, finishes=(finish,))

    ids = {
        "tin": ygo("Dark Magician", "CT1", "CT1-EN001", "Secret Rare", "LIMITED"),
        "dod": ygo("Blue-Eyes White Dragon", "DOD", "DOD-001", "Prismatic Secret Rare", "LIMITED"),
        "mp19": ygo("Blue-Eyes White Dragon", "MP19", "MP19-EN001", "Prismatic Secret Rare", "1ST"),
    }
    index = b.index.finish(set_aliases=aliases, rarity_synonyms=synonyms)
    return index, ids


ALIAS = SetAlias("YUGIOH", "2004 Collectors Tin", ("CT1",), "TCGplayer", "test")
EARLY_SECRET = RaritySynonym(
    "YUGIOH", "Secret Rare", "Prismatic Secret Rare", frozenset({"DOD"}), "TCGplayer", "test"
)


def test_an_alias_resolves_like_the_sets_own_name() -> None:
    index, ids = _index([ALIAS], [])
    generator = CandidateGenerator(index)
    listing = ParsedListing(game="YUGIOH", name="Dark Magician", set_name="2004 Collectors Tin")
    found = generator.generate(query_from_listing(listing))
    assert ids["tin"] in found.prints
    assert found.sets[index.prints[ids["tin"]].set_id] == 1.0
    without, _ = _index([], [])
    assert not CandidateGenerator(without).generate(query_from_listing(listing)).sets


def test_a_rarity_synonym_applies_in_its_sets_only() -> None:
    index, ids = _index([], [EARLY_SECRET])
    assert index.prints[ids["dod"]].rarity_synonyms == (rarity_key("Secret Rare"),)
    assert index.prints[ids["mp19"]].rarity_synonyms == ()
    listing = ParsedListing(game="YUGIOH", name="Blue-Eyes White Dragon", rarity="Secret Rare")
    query = query_from_listing(listing)
    found = CandidateGenerator(index).generate(query)
    scored = {s.print_id: s.fields["rarity"] for s in score_candidates(query, found, index)}
    assert scored == {ids["dod"]: 1.0, ids["mp19"]: 0.0}


def test_html_entities_in_catalog_names_are_decoded() -> None:
    # the catalog stores YGOPRODeck's `Legendary 5D&apos;s Decks`; sellers write 5D's
    assert catalog_name_key("Legendary 5D&apos;s Decks") == listing_key("Legendary 5D's Decks")
    assert catalog_name_key("Ash Blossom & Joyous Spring") == "ash blossom and joyous spring"
