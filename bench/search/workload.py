"""What the benchmark sends: what a storefront and the search page send, over real catalog data.

Workloads, each measured on its own:

* `search`: `GET /api/catalog/search` with the API's defaults (no page_size, prints_per_card
  or facet parameters unless the shopper ticked facets): whole card names (as written, or
  lower-cased without punctuation as people type them), names with a one-letter typo, fielded
  queries, and faceted selections as the search page sends them (`game=mtg&color=R&rarity=rare`,
  the values ticked among the facet counts the API returned for the unfiltered query);
* `autocomplete`: what the search box sends while typing: a prefix of a name, the start of a
  later word of it (`luf` for `Monkey.D.Luffy`), a prefix with a typo in its last word;
* `lookups`: by-sku, `prints/{id}`, `cards/{id}` and `sets/{game}/{set}/{number}`;
* `health`: `/health`, the API's own floor.

Names, SKUs and ids are sampled from the catalog database with a fixed seed; everything else is
pure and deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import sqlalchemy as sa

from models.db import make_engine

SEARCH_MIX = {"name": 0.4, "typo": 0.2, "fielded": 0.2, "faceted": 0.2}
LOOKUP_MIX = {"by_sku": 0.4, "print": 0.2, "card": 0.2, "set": 0.2}
#: Facet values a shopper picks among: the first few the page shows (by count).
TOP_FACET_VALUES = 5
API = "/api/catalog"

FIELDED = (
    "t:dragon",
    "t:instant c:r mv<=2",
    "hp>=200 game:pokemon",
    "atk>=2500 game:ygo",
    "r:mythic c>=ug",
    'o:"draw a card" mv=2',
    "cost>=5 game:op",
    "t:goblin -t:creature",
    "s:lob",
    "t:creature pow>=5 c:g",
    "game:op c:red",
    "t:wizard usd<2",
    "lang:jp game:op",
    "r>=rare t:angel",
    "c=wu t:creature",
    "level>=8 t:dragon",
)


@dataclass(frozen=True, slots=True)
class FacetSeed:
    """A search the shopper narrows with facets: `picks` = facet -> how many values ticked."""

    q: str
    game: str | None
    picks: tuple[tuple[str, int], ...]


FACET_SEEDS = (
    FacetSeed("", "mtg", (("color", 1), ("rarity", 1))),
    FacetSeed("", "pokemon", (("type", 1), ("rarity", 1))),
    FacetSeed("dragon", "ygo", (("rarity", 2),)),
    FacetSeed("", "op", (("language", 1), ("type", 1))),
    FacetSeed("goblin", "mtg", (("type", 1), ("color", 1))),
    FacetSeed("pikachu", None, (("set", 3),)),
    FacetSeed("angel", "mtg", (("finish", 1),)),
    FacetSeed("magician", "ygo", (("language", 1),)),
    FacetSeed("", "mtg", (("set", 1),)),
    FacetSeed("luffy", "op", (("color", 1), ("rarity", 1))),
    FacetSeed("", "ygo", (("type", 1), ("rarity", 1), ("language", 1))),
    FacetSeed("charizard", "pokemon", (("rarity", 2),)),
)

#: (q, game) -> the `facets` object of the API's answer to that unfiltered search.
FacetsFor = Callable[[str, str | None], Mapping[str, list[dict]]]


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request: `target` is the path with its query string."""

    method: str
    target: str
    body: str | None = None
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One logical request of a workload (for an engine replay, possibly several HTTP ones)."""

    category: str
    requests: tuple[Request, ...]

    @property
    def target(self) -> str:
        return self.requests[0].target


def get(category: str, target: str) -> Entry:
    return Entry(category, (Request("GET", target),))


@dataclass(frozen=True, slots=True)
class CatalogSample:
    names: list[tuple[str, str]]  # (card name, game code)
    skus: list[str]
    #: (print id, card id, game code, set code, collector number, language)
    prints: list[tuple[int, int, str, str, str, str]]


def sample_catalog(db_url: str, *, size: int, seed: int) -> CatalogSample:
    """Random card names, SKUs and prints of the PostgreSQL catalog, the same for a seed."""
    db = make_engine(db_url)
    try:
        with db.connect() as conn:
            conn.execute(sa.text("SELECT setseed(:s)"), {"s": (seed % 1000) / 1000})
            names = conn.execute(
                sa.text(
                    "SELECT c.name, g.code FROM cards c JOIN games g ON g.id = c.game_id"
                    " ORDER BY c.id"
                )
            ).all()
            skus = conn.execute(
                sa.text("SELECT sku FROM catalog_skus ORDER BY random() LIMIT :n"), {"n": size}
            ).all()
            prints = conn.execute(
                sa.text(
                    "SELECT p.id, p.card_id, g.code, s.code, p.collector_number, p.language"
                    " FROM prints p JOIN card_sets s ON s.id = p.set_id"
                    " JOIN games g ON g.id = p.game_id ORDER BY random() LIMIT :n"
                ),
                {"n": size},
            ).all()
    finally:
        db.dispose()
    rng = random.Random(seed)
    picked = rng.sample(names, min(len(names), 2 * size))
    return CatalogSample(
        names=[tuple(r) for r in picked],
        skus=[r[0] for r in skus],
        prints=[tuple(r) for r in prints],
    )


# -- how people type -----------------------------------------------------------------------------


def _misspellable(word: str) -> bool:
    return len(word) >= 4 and word.isalpha()


def typo(text: str, rng: random.Random) -> str:
    """`text` with a one-letter misspelling in one word of at least 4 letters (two neighbours
    swapped, a letter dropped or doubled; never the first letter); unchanged without such a word."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if _misspellable(w)]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    swapped = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    edits = [swapped, word[:j] + word[j + 1 :], word[:j] + word[j] + word[j:]]
    words[i] = next(e for e in edits[rng.randrange(3) :] + edits if e != word)
    return " ".join(words)


def as_typed(name: str, rng: random.Random) -> str:
    """The name as written, or as often typed: lower case without punctuation."""
    if rng.random() < 0.5:
        return name
    return " ".join(re.sub(r"[^\w\s]", "", name.lower()).split())


def autocomplete_text(name: str, rng: random.Random) -> str:
    """What the box holds while the shopper types `name`: a prefix of it (20%: the start of a
    later word; 10%: with a typo in the last word)."""
    roll = rng.random()
    later = [w for w in name.split()[1:] if len(w) >= 3 and w[0].isalnum()]
    if roll < 0.2 and later:
        word = rng.choice(later)
        return word[: rng.randint(3, len(word))]
    text = name[: rng.randint(min(3, len(name)), len(name))].rstrip()
    if roll >= 0.9:
        head, _, last = text.rpartition(" ")
        text = f"{head} {typo(last, rng)}".strip()
    return text


def facet_selection(
    seed: FacetSeed, facets: Mapping[str, list[dict]], rng: random.Random
) -> list[tuple[str, str]]:
    """The query parameters after ticking, for each facet of `seed`, values among the first
    `TOP_FACET_VALUES` the API offered (a facet it offered nothing for is left alone)."""
    params = [("q", seed.q)] if seed.q else []
    if seed.game:
        params.append(("game", seed.game))
    for facet, count in seed.picks:
        offered = [v["value"] for v in facets.get(facet, [])[:TOP_FACET_VALUES] if v["count"]]
        params += [(facet, value) for value in rng.sample(offered, min(count, len(offered)))]
    return params


def search_target(params: list[tuple[str, str]]) -> str:
    return f"{API}/search?{urlencode(params)}"


# -- the workloads -------------------------------------------------------------------------------


def _counts(mix: Mapping[str, float], size: int) -> dict[str, int]:
    counts = {category: int(share * size) for category, share in mix.items()}
    first = next(iter(mix))
    counts[first] += size - sum(counts.values())
    return counts


def search_workload(
    sample: CatalogSample, size: int, rng: random.Random, facets_for: FacetsFor
) -> list[Entry]:
    counts = _counts(SEARCH_MIX, size)
    names = [name for name, _ in sample.names]
    whole, rest = names[: counts["name"]], names[counts["name"] :]
    misspellable = [n for n in rest if any(_misspellable(w) for w in n.split(" "))]
    entries = [get("name", search_target([("q", as_typed(n, rng))])) for n in whole]
    entries += [
        get("typo", search_target([("q", typo(as_typed(n, rng), rng))]))
        for n in misspellable[: counts["typo"]]
    ]
    entries += [
        get("fielded", search_target([("q", FIELDED[i % len(FIELDED)])]))
        for i in range(counts["fielded"])
    ]
    offered = {s: facets_for(s.q, s.game) for s in dict.fromkeys(FACET_SEEDS)}
    for i in range(counts["faceted"]):
        seed = FACET_SEEDS[i % len(FACET_SEEDS)]
        entries.append(get("faceted", search_target(facet_selection(seed, offered[seed], rng))))
    rng.shuffle(entries)
    return entries


def autocomplete_workload(sample: CatalogSample, size: int, rng: random.Random) -> list[Entry]:
    entries = []
    for name, game in sample.names[-size:]:
        params = [("q", autocomplete_text(name, rng))]
        if rng.random() < 0.25:  # a game tab is selected
            params.append(("game", game.lower()))
        entries.append(get("autocomplete", f"{API}/autocomplete?{urlencode(params)}"))
    return entries


def lookup_workload(sample: CatalogSample, size: int, rng: random.Random) -> list[Entry]:
    counts = _counts(LOOKUP_MIX, size)
    prints = sample.prints
    entries = [get("by_sku", f"{API}/by-sku/{quote(sku, safe='')}") for sku in sample.skus]
    entries = entries[: counts["by_sku"]]
    entries += [get("print", f"{API}/prints/{p[0]}") for p in prints[: counts["print"]]]
    entries += [get("card", f"{API}/cards/{p[1]}") for p in prints[-counts["card"] :]]
    numbered = [p for p in prints if "/" not in p[4]]
    for _, _, game, set_code, number, language in numbered[: counts["set"]]:
        target = f"{API}/sets/{game.lower()}/{quote(set_code, safe='')}/{quote(number, safe='')}"
        if language.upper() != "EN":
            target += f"?language={quote(language)}"
        entries.append(get("set", target))
    rng.shuffle(entries)
    return entries


def build_workloads(
    sample: CatalogSample, *, size: int, seed: int, facets_for: FacetsFor
) -> dict[str, list[Entry]]:
    """Workload name -> its entries, in the order each connection cycles through them."""
    rng = random.Random(seed)
    return {
        "search": search_workload(sample, size, rng, facets_for),
        "autocomplete": autocomplete_workload(sample, size, rng),
        "lookups": lookup_workload(sample, size, rng),
        "health": [get("health", "/health")],
    }
