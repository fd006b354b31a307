"""Candidate generation: from a `ParsedListing` to the few catalog prints worth scoring.

Exact keys first, blocking after, rapidfuzz last and only over small lists:

1. external ids (Scryfall, TCGplayer product, Cardmarket product, YGOPRODeck passcode);
2. the set (code or alias exactly, else the set name exactly or fuzzily over the game's few
   hundred set names; Pokémon printed totals) and the collector number: (set, number) -> prints,
   and the number alone for Yu-Gi-Oh!/One Piece, whose numbers carry the set;
3. the name: its key exactly (card names, face names, printed names), else rapidfuzz over the
   names printed in the resolved sets, else over the names sharing a token or a 4-letter
   prefix with it (the block index), never over every name of the game. Titles also try their
   name's prefixes (`Charizard Base Set` -> `Charizard`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from rapidfuzz import fuzz, process

from matching.index import (
    NUMBER_CARRIES_SET,
    CatalogIndex,
    GameIndex,
    catalog_number_key,
)
from matching.query import PAREN_CODE, Query, set_name_variants
from models.text import listing_key

#: rapidfuzz cut-offs (0-100) for fuzzy set names and names.
SET_NAME_CUTOFF = 90
NAME_CUTOFF_IN_SET = 70
NAME_CUTOFF_GLOBAL = 78
#: Caps that keep a row's work bounded.
MAX_BLOCK_NAMES = 400
MAX_PRINTS_PER_CARD = 60
MAX_CANDIDATES = 150


_NUMBERS = re.compile(r"\d+")
_TRAILING_NUMBER = re.compile(r"^(.*\D)\s+#?(\d{1,4}[a-z]?)$", re.IGNORECASE)


#: A set name key with a last word of one to three letters (a rarity or condition code a title
#: parser left on it); the words before are tried when the whole resolves to nothing.
_SHORT_TAIL = re.compile(r"^(\S.{3,}) [a-z]{1,3}$")


def _numbers(key: str) -> list[str]:
    return _NUMBERS.findall(key)


@dataclass(slots=True)
class CandidateSet:
    """The prints to score and what was learned finding them."""

    prints: list[int] = field(default_factory=list)
    #: set id -> how well the listing's set names it (1.0 code/alias/exact name).
    sets: dict[int, float] = field(default_factory=dict)
    #: prints found through an external id.
    id_prints: set[int] = field(default_factory=set)
    #: prints whose (set, number) or number the listing gave exactly.
    number_prints: set[int] = field(default_factory=set)


K = TypeVar("K")
V = TypeVar("V")


class _Lru(OrderedDict[K, V]):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: K, value: V) -> None:
        if not self.size:
            return
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)


class CandidateGenerator:
    """Candidate generation over one `CatalogIndex` (with small caches of set resolutions)."""

    def __init__(self, index: CatalogIndex, *, cache: bool = True) -> None:
        self.index = index
        self._set_cache: _Lru[tuple[object, ...], dict[int, float]] = _Lru(4096 if cache else 0)
        self._name_cache: _Lru[tuple[object, ...], set[int]] = _Lru(16384 if cache else 0)

    # -- sets -------------------------------------------------------------------------------

    def resolve_sets(self, gi: GameIndex, query: Query) -> dict[int, float]:
        key = (gi.game, query.set_code, query.set_texts, query.set_code_from_number)
        cached = self._set_cache.get(key)
        if cached is not None:
            return cached
        if query.set_code_from_number and query.set_texts:
            # the set the listing names, not the number's first one; a set name that resolves
            # to nothing leaves the set unknown (a reprint's set it could not read)
            named = self.resolve_sets(
                gi, dataclasses.replace(query, set_code=None, set_code_from_number=False)
            )
            code_sets = set(gi.sets_by_code.get(query.set_code or "", ()))
            named = {s: 1.0 if s in code_sets else v for s, v in named.items()}
            self._set_cache.put(key, named)
            return named
        found: dict[int, float] = {}
        if query.set_code:
            for set_id in gi.sets_by_code.get(query.set_code, ()):
                found[set_id] = 1.0
            code_key = listing_key(query.set_code)
            for set_id in gi.sets_by_name.get(code_key, ()):
                found.setdefault(set_id, 1.0)
        texts = list(query.set_texts)
        for first, second in zip(query.set_texts, query.set_texts[1:], strict=False):
            # a title parser splits "Innistrad: Midnight Hunt" at the colon: join them back
            joined = gi.sets_by_name.get(listing_key(f"{first} {second}"))
            if joined:
                for set_id in joined:
                    found[set_id] = 1.0
                texts = [t for t in texts if t not in (first, second)]
        for text in texts:
            codes = [text.strip().upper(), *(m.upper() for m in PAREN_CODE.findall(text))]
            for code in codes:
                for set_id in gi.sets_by_code.get(code, ()):
                    found.setdefault(set_id, 1.0)
            variants = set_name_variants(text)
            exact = False
            for variant in variants:
                for set_id in gi.sets_by_name.get(variant, ()):
                    found.setdefault(set_id, 1.0)
                    exact = True
            for variant in variants if not exact else ():
                tail = _SHORT_TAIL.match(variant)  # `Kingdoms of Intrigue C`: a rarity left on
                for set_id in gi.sets_by_name.get(tail.group(1) if tail else "", ()):
                    found.setdefault(set_id, 1.0)
                    exact = True
            if exact or (found and max(found.values()) >= 1.0):
                continue
            for variant in variants:
                for _choice, score, position in process.extract(
                    variant,
                    gi.set_name_keys,
                    scorer=fuzz.token_sort_ratio,
                    limit=3,
                    score_cutoff=SET_NAME_CUTOFF,
                ):
                    if _numbers(_choice) != _numbers(variant):
                        continue  # Core Set 2019 is not Core Set 2021
                    for set_id in gi.set_name_ids[position]:
                        if found.get(set_id, 0.0) < score / 100:
                            found[set_id] = round(score / 100, 4)
        self._set_cache.put(key, found)
        return found

    # -- names ------------------------------------------------------------------------------

    def name_cards(self, gi: GameIndex, query: Query, sets: dict[int, float]) -> set[int]:
        """Card ids whose name matches the listing's name (exactly, else fuzzily)."""
        key = query.name_key
        if not key:
            return set()
        cache_key = (gi.game, key, query.is_title, tuple(sorted(sets)))
        cached = self._name_cache.get(cache_key)
        if cached is not None:
            return cached
        cards: set[int] = set(gi.cards_by_key.get(key, ()))
        if not cards:
            choices: list[str] = []
            for set_id in sets:
                choices.extend(gi.set_names.get(set_id, ()))
            if choices:
                for choice, _score, _pos in process.extract(
                    key, choices, scorer=fuzz.WRatio, limit=5, score_cutoff=NAME_CUTOFF_IN_SET
                ):
                    cards.update(gi.cards_by_key.get(choice, ()))
            if query.is_title:
                words = key.split()
                for end in range(len(words) - 1, 0, -1):
                    prefix = " ".join(words[:end])
                    hit = gi.cards_by_key.get(prefix)
                    if hit:
                        cards.update(hit)
                        break
            if not cards:
                block = self._block(gi, key)
                if block:
                    for choice, _score, _pos in process.extract(
                        key,
                        block,
                        scorer=fuzz.WRatio,
                        limit=5,
                        score_cutoff=NAME_CUTOFF_GLOBAL,
                    ):
                        cards.update(gi.cards_by_key.get(choice, ()))
        self._name_cache.put(cache_key, cards)
        return cards

    def _block(self, gi: GameIndex, key: str) -> list[str]:
        from matching.index import name_block_keys

        counts: dict[int, int] = {}
        postings = sorted(
            (gi.name_block.get(b, ()) for b in name_block_keys(key)), key=len
        )  # rare keys first
        for posting in postings:
            if len(posting) > 5 * MAX_BLOCK_NAMES and counts:
                continue  # a very common token only adds noise once rarer ones matched
            for position in posting:
                counts[position] = counts.get(position, 0) + 1
        if not counts:
            return []
        best = sorted(counts, key=counts.__getitem__, reverse=True)[:MAX_BLOCK_NAMES]
        return [gi.name_keys[p] for p in best]

    # -- titles ------------------------------------------------------------------------------

    def split_title(self, query: Query) -> Query:
        """Undo two ways a title's parts run together: a name that is a card name followed by
        a set name (`Charizard Base Set` -> `Charizard` + set `Base Set`), and a set chunk
        ending in the collector number (`Midnight Hunt 49`). Unchanged when nothing resolves."""
        games = [query.game] if query.game else list(self.index.games)
        key = query.name_key
        if key and " " in key and not any(key in self.index.games[g].cards_by_key for g in games):
            words = key.split()
            for end in range(len(words) - 1, 0, -1):
                prefix, rest = " ".join(words[:end]), " ".join(words[end:])
                split = None
                for game in games:
                    gi = self.index.games[game]
                    if prefix not in gi.cards_by_key:
                        continue
                    probe = dataclasses.replace(query, set_code=None, set_texts=(rest,))
                    joined = (rest, *query.set_texts[:1])
                    if self.resolve_sets(gi, probe) or self._joined_set(gi, joined):
                        split = dataclasses.replace(
                            query, name_key=prefix, set_texts=(rest, *query.set_texts)
                        )
                        break
                if split is not None:
                    query = split
                    break
            else:
                query = self._split_unknown_set(query, games)
        if query.number is None and query.set_texts:
            last = query.set_texts[-1]
            match = _TRAILING_NUMBER.match(last)
            if match:
                for game in games:
                    gi = self.index.games[game]
                    texts = (*query.set_texts[:-1], match.group(1))
                    if listing_key(last) in gi.sets_by_name:
                        break  # "Magic 2015" is a set name, not set + number
                    if self._joined_set(gi, texts[-2:]) or gi.sets_by_name.get(
                        listing_key(match.group(1))
                    ):
                        query = dataclasses.replace(query, set_texts=texts, number=match.group(2))
                        break
        return query

    def _split_unknown_set(self, query: Query, games: list[str]) -> Query:
        """A title name that is a card name followed by two or more words that are no set
        the catalog has (`Orim's Thunder Dominaria Remastered 18`: a set newer than the
        catalog): the words become a set text that resolves to nothing, so no candidate's set
        agrees and the print of another set with that number is not accepted."""
        words = (query.name_key or "").split()
        for end in range(len(words) - 2, 0, -1):
            prefix = " ".join(words[:end])
            if any(prefix in self.index.games[g].cards_by_key for g in games):
                rest = " ".join(words[end:])
                return dataclasses.replace(
                    query, name_key=prefix, set_texts=(rest, *query.set_texts)
                )
        return query

    @staticmethod
    def _joined_set(gi: GameIndex, texts: tuple[str, ...]) -> list[int]:
        if len(texts) < 2:
            return []
        return gi.sets_by_name.get(listing_key(" ".join(texts)), [])

    # -- all together -----------------------------------------------------------------------

    def generate(self, query: Query) -> CandidateSet:
        result = CandidateSet()
        index = self.index
        games = [query.game] if query.game else list(index.games)
        seen: set[int] = set()

        def add(print_ids: Iterable[int], *, via: set[int] | None = None) -> None:
            for print_id in print_ids:
                entry = index.prints.get(print_id)
                if entry is None or (query.game and entry.game != query.game):
                    continue
                if via is not None:
                    via.add(print_id)
                if print_id not in seen:
                    seen.add(print_id)
                    result.prints.append(print_id)

        # 1. external ids
        if query.scryfall_id and query.scryfall_id in index.by_scryfall:
            add([index.by_scryfall[query.scryfall_id]], via=result.id_prints)
        if query.tcgplayer_id:
            add(index.by_tcgplayer.get(query.tcgplayer_id, ()), via=result.id_prints)
        if query.cardmarket_id:
            add(index.by_cardmarket.get(query.cardmarket_id, ()), via=result.id_prints)

        for game in games:
            gi = index.games[game]
            sets = self.resolve_sets(gi, query) if query.has_set else {}
            for set_id, score in sets.items():
                result.sets[set_id] = max(score, result.sets.get(set_id, 0.0))
            # 2. set + number
            if query.number:
                nkey = catalog_number_key(game, query.number)
                for set_id in sets:
                    add(gi.by_set_number.get((set_id, nkey), ()), via=result.number_prints)
                if game in NUMBER_CARRIES_SET:
                    add(gi.by_number.get(nkey, ()), via=result.number_prints)
                if query.printed_total and game == "POKEMON":
                    for set_id in gi.sets_by_total.get(query.printed_total, ()):
                        add(gi.by_set_number.get((set_id, nkey), ()), via=result.number_prints)
            # passcode: every print of the card (the set and number pick among them)
            if query.ygoprodeck_id and game == "YUGIOH":
                add(index.by_ygoprodeck.get(query.ygoprodeck_id, ()))
            # 3. names
            cards = self.name_cards(gi, query, sets)
            for card_id in cards:
                card = index.cards.get(card_id)
                if card is None:
                    continue
                in_sets = [p for p in card.print_ids if index.prints[p].set_id in sets]
                if in_sets:
                    add(in_sets)
                else:
                    add(self._prefer(card.print_ids, query)[:MAX_PRINTS_PER_CARD])
            if len(result.prints) >= MAX_CANDIDATES:
                break
        del result.prints[MAX_CANDIDATES:]
        return result

    def _prefer(self, print_ids: list[int], query: Query) -> list[int]:
        """Prints of one card, the likeliest first (the listing's language, paper, not promo)."""
        if len(print_ids) <= MAX_PRINTS_PER_CARD:
            return print_ids
        language = query.language or "EN"
        prints = self.index.prints
        return sorted(
            print_ids,
            key=lambda p: (
                prints[p].language != language,
                prints[p].is_digital,
                prints[p].is_promo,
                -p,
            ),
        )
