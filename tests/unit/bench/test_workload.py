"""The benchmark's workloads: how shoppers' requests are generated (bench/search/workload.py)."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlsplit

import pytest

from bench.search import workload as w

SAMPLE = w.CatalogSample(
    names=[(f"Card Name {i} Dragonfly", "MTG") for i in range(60)]
    + [("Professor's Research", "POKEMON"), ("Monkey.D.Luffy", "OPTCG")] * 20,
    skus=[f"MTG-NEO-{i:03d}-EN-NM-FOIL" for i in range(100)],
    prints=[(i, 1000 + i, "YUGIOH", "LOB", f"LOB-{i:03d}", "EN") for i in range(50)]
    + [(100 + i, 2000 + i, "POKEMON", "BASE1", f"{i}/102", "EN") for i in range(10)]
    + [(200 + i, 3000 + i, "OPTCG", "ST14", f"ST14-{i:03d}", "JP") for i in range(40)],
)
FACETS = {
    "color": [{"value": c, "count": n} for c, n in [("R", 9), ("G", 8), ("U", 0)]],
    "rarity": [{"value": r, "count": 5} for r in ["a", "b", "c", "d", "e", "f", "g"]],
}


OFFERED = {f: [{"value": f"{f}-1", "count": 3}] for s in w.FACET_SEEDS for f, _ in s.picks}


def facets_for(q: str, game: str | None) -> dict:
    return OFFERED


def edits(a: str, b: str) -> int:
    """Levenshtein distance, with a transposition counted once (optimal string alignment)."""
    d = [
        [max(i, j) if i == 0 or j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)
    ]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@pytest.mark.parametrize("seed", range(40))
def test_a_typo_is_one_edit_in_one_long_word_never_its_first_letter(seed: int) -> None:
    text = "Lightning Bolt of Doom"
    misspelt = w.typo(text, random.Random(seed))
    assert misspelt != text
    assert edits(text, misspelt) == 1
    changed = [(a, b) for a, b in zip(text.split(" "), misspelt.split(" "), strict=True) if a != b]
    assert len(changed) == 1 and len(changed[0][0]) >= 4
    assert changed[0][0][0] == changed[0][1][0]


def test_a_name_without_a_long_word_keeps_its_spelling() -> None:
    assert w.typo("Ow of Elf", random.Random(1)) == "Ow of Elf"


def test_names_are_typed_as_written_or_folded_without_punctuation() -> None:
    typed = {w.as_typed("Professor's Research", random.Random(s)) for s in range(20)}
    assert typed == {"Professor's Research", "professors research"}


@pytest.mark.parametrize("seed", range(60))
def test_autocomplete_is_a_prefix_of_the_name_or_of_a_later_word(seed: int) -> None:
    name = "Monkey D Luffy Captain"
    text = w.autocomplete_text(name, random.Random(seed))
    assert len(text) >= 3
    later_words = [name[i + 1 :] for i, c in enumerate(name) if c == " "]
    typed_prefix = any(edits(name[:n], text) <= 1 for n in range(len(text) - 1, len(text) + 2))
    assert typed_prefix or any(word.startswith(text) for word in later_words)


def test_facet_selection_ticks_offered_values_with_counts() -> None:
    seed = w.FacetSeed("goblin", "mtg", (("color", 2), ("rarity", 1), ("set", 1)))
    params = w.facet_selection(seed, FACETS, random.Random(3))
    assert params[:2] == [("q", "goblin"), ("game", "mtg")]
    colors = [v for k, v in params if k == "color"]
    rarities = [v for k, v in params if k == "rarity"]
    assert sorted(colors) == ["G", "R"]  # U has no cards
    assert len(rarities) == 1 and rarities[0] in "abcde"  # among the first five offered
    assert not [k for k, _ in params if k == "set"]


def test_search_entries_send_the_api_defaults_and_the_mix() -> None:
    built = w.build_workloads(SAMPLE, size=50, seed=7, facets_for=facets_for)
    search = built["search"]
    assert len(search) == 50
    counts = {c: sum(e.category == c for e in search) for c in w.SEARCH_MIX}
    assert counts == {"name": 20, "typo": 10, "fielded": 10, "faceted": 10}
    for entry in search:
        split = urlsplit(entry.target)
        assert split.path == "/api/catalog/search"
        keys = {k for k, _ in parse_qsl(split.query)}
        assert not keys & {"page_size", "prints_per_card", "page"}
        assert entry.requests[0].method == "GET"
    faceted = [dict(parse_qsl(urlsplit(e.target).query)) for e in search if e.category == "faceted"]
    assert faceted and all(set(f) - {"q", "game"} for f in faceted)  # each ticks something


def test_workloads_are_the_same_for_a_seed_and_differ_across_seeds() -> None:
    first = w.build_workloads(SAMPLE, size=40, seed=7, facets_for=facets_for)
    again = w.build_workloads(SAMPLE, size=40, seed=7, facets_for=facets_for)
    other = w.build_workloads(SAMPLE, size=40, seed=8, facets_for=facets_for)
    assert first == again
    assert first["search"] != other["search"]


def test_lookups_cover_each_route_with_real_ids() -> None:
    lookups = w.build_workloads(SAMPLE, size=50, seed=7, facets_for=facets_for)["lookups"]
    by = {c: [e.target for e in lookups if e.category == c] for c in w.LOOKUP_MIX}
    assert {c: len(v) for c, v in by.items()} == {"by_sku": 20, "print": 10, "card": 10, "set": 10}
    assert by["by_sku"][0].startswith("/api/catalog/by-sku/MTG-NEO-")
    assert all(t.startswith("/api/catalog/prints/") for t in by["print"])
    assert all(t.startswith("/api/catalog/cards/") for t in by["card"])
    assert all("%2F" not in t and "/102" not in t for t in by["set"])  # no `1/102` numbers
    assert all(t.endswith("?language=JP") == ("/optcg/" in t) for t in by["set"])
    assert w.build_workloads(SAMPLE, size=5, seed=1, facets_for=facets_for)["health"] == [
        w.get("health", "/health")
    ]
