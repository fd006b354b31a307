"""`/api/catalog/autocomplete` from the names index, on the real sample: once per engine, and
the two engines' answers compared for many prefixes."""

from __future__ import annotations

import pytest

from tests.integration.search_api.ranking.support import (
    SampleIndex,
    api,
    make_search_engine,
    rebuild_index,
    sample_database,
    sample_index,
)

__all__ = ["api", "sample_database", "sample_index"]

#: What shoppers type: two letters (big ties), word starts anywhere, whole words, typos in the
#: last word, punctuation and apostrophes, faces, every game.
PREFIXES = (
    "li|st|ch|ma|pi|bo|dr|sh|ka|lu|ar|the|of|luf|bolt|pika|char|chariz|charzard|dark m|"
    "dark magican|monkey d|monkey d lufy|blue-ey|blue eyes w|profes|professors r|"
    "professor's research|isl|islnd|island|snapcster|lightning bo|fire|insectile|kin|dragon|"
    "harpie l|mew|flabe|pokemon|zoro|nami|red eyes|x|zz"
).split("|")


def names(api, q, **params) -> list[str]:
    response = api.get("/api/catalog/autocomplete", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return [d["name"] for d in response.json()["data"]]


def test_autocomplete_matches_word_starts_anywhere_one_line_per_name(api):
    assert names(api, "luf")[0] == "Monkey.D.Luffy"  # the start of its last word
    assert names(api, "luf").count("Monkey.D.Luffy") == 1  # six One Piece cards, one name
    assert names(api, "bolt")[0] == "Lightning Bolt"  # a whole word of the name
    assert names(api, "pikachu")[0] == "Pikachu" and names(api, "pikachu").count("Pikachu") == 1
    assert names(api, "kin")[0] == "Kin'emon"  # `kin` is a whole word of Kin'emon
    luffy = api.get("/api/catalog/autocomplete", params={"q": "luf", "game": "op"}).json()
    assert {d["game"] for d in luffy["data"]} == {"OPTCG"}


def test_autocomplete_ranks_the_whole_name_first_with_apostrophes_and_typos(api):
    for typed in ("professor's research", "professors research"):
        assert names(api, typed)[0] == "Professor's Research"  # before (Professor Sada)
    assert names(api, "islnd")[0] == "Island"  # before Island of Wak-Wak
    assert names(api, "dark magican") == ["Dark Magician"]
    assert names(api, "monkey d lufy") == ["Monkey.D.Luffy"]  # a typo in the last word


@pytest.fixture(scope="module")
def both_engines(sample_database, tmp_path_factory, opensearch_url, opensearch_prefix):
    prefix = f"{opensearch_prefix}-names-same"
    folder = tmp_path_factory.mktemp("names-opensearch")
    samples = [
        SampleIndex("tantivy", sample_database, tmp_path_factory.mktemp("names-tantivy")),
        SampleIndex("opensearch", sample_database, folder, opensearch_url, prefix),
    ]
    engines = []
    for sample in samples:
        rebuild_index(sample)
        engines.append(make_search_engine(sample))
    yield engines
    for engine in engines:
        engine.close()


@pytest.mark.parametrize("game", [None, "POKEMON", "MTG"])
def test_both_engines_suggest_the_same_names_in_the_same_order(both_engines, game):
    tantivy, opensearch = both_engines
    for prefix in PREFIXES:
        for limit in (20, 7):
            expected = tantivy.suggest(prefix, game=game, limit=limit)
            assert opensearch.suggest(prefix, game=game, limit=limit) == expected, prefix
    assert len(tantivy.suggest("st", game=game)) > 7  # the shorter lists cut a tier short
