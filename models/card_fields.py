"""Every field of a search document (one per print, with its card, set and SKU summary), once.

A `DocField` says what the field is (level, value type, which games have it, which catalog
column it comes from) and how search uses it (how it is indexed, the logical names query nodes
use for it, facet, sort option, shown in results, on the API's card, on the card page, the
query-language keyword). What can be derived is derived from `DOCUMENT_FIELDS` at import time:
`indexer.fields`' tables, the tantivy schema's field lists, `indexer.query.RESULT_FIELDS`, the
card part of `indexer.documents.card_fields`, the cards columns the ETL writes and the text and
numeric keywords of the query language. What is versioned data or frozen history (the OpenSearch
mapping in `opensearch/prints/`, migrations, the ORM columns, the API's pydantic schemas,
`card.js`) is checked against it by `tests/unit/models/test_card_fields.py` and
`tests/integration/models/test_card_field_columns.py`, which name the field that disagrees.

Adding a card field: a line here, the ORM column and a migration, the ETL record attribute and
the source that fills it; the tests then say what else must follow (the index mapping, a new
index version, the API schema).
"""

from __future__ import annotations

from dataclasses import dataclass
from keyword import iskeyword
from typing import Literal

from models.games import GAME_CODES

#: How a field is indexed. `text`: analysed words (`analyzer`); `keyword`: exact values, case-
#: and accent-blind; `exact`: exact values as stored; `stored`: kept, not searchable; numbers,
#: `bool` and `date` as their type.
Index = Literal["text", "keyword", "exact", "stored", "integer", "long", "float", "bool", "date"]
Level = Literal["card", "print"]

ALL_GAMES: frozenset[str] = frozenset(GAME_CODES)
NUMBER_INDEXES = frozenset({"integer", "long", "float"})
KEYWORD_INDEXES = frozenset({"keyword", "exact"})


@dataclass(frozen=True, slots=True)
class QueryKeyword:
    """A query-language keyword (`link>=3`) reading the field through its first logical name."""

    name: str
    aliases: tuple[str, ...]
    #: Logical field names overriding the field's own when the query's game is known.
    game_fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DocField:
    name: str
    index: Index
    #: `card`: the same value in every print of the card; `print`: the print's, its set's or
    #: its SKUs'.
    level: Level = "print"
    #: A list of values (an empty list when there are none).
    many: bool = False
    games: frozenset[str] = ALL_GAMES
    #: The catalog column it is read from, `table.column`; None when the builder computes it.
    column: str | None = None
    #: Logical names query nodes use for it (FieldMatch/Phrase for text, Term for keywords and
    #: ids, Range for numbers); the first is the one a query keyword targets.
    query: tuple[str, ...] = ()
    #: Not named by query nodes but searched by the engines themselves (ExactName, Text codes,
    #: the popularity boost), so indexed by both.
    engine_searched: bool = False
    #: OpenSearch analyzer of a text field.
    analyzer: str = "folded"
    #: Edge n-grams for prefix matching (`names.prefix`).
    prefix: bool = False
    facet: str | None = None
    #: A `.raw` sub-field with the stored value (facets have one).
    raw: bool = False
    sort: str | None = None
    #: Shown in search results (`RESULT_FIELDS`, the API's print item).
    result: bool = False
    #: Its name in the API when it differs (`image_url` is the print item's `image`).
    api_name: str | None = None
    #: Part of the API's card (`CardOut`).
    card_api: bool = False
    #: Its label on the card page (`card.js`), when the page shows it.
    label: str | None = None
    keyword: QueryKeyword | None = None

    @property
    def is_number(self) -> bool:
        return self.index in NUMBER_INDEXES

    @property
    def has_raw(self) -> bool:
        return self.raw or self.facet is not None


MTG = frozenset({"MTG"})
POKEMON = frozenset({"POKEMON"})
YUGIOH = frozenset({"YUGIOH"})
OPTCG = frozenset({"OPTCG"})
F = DocField
Q = QueryKeyword

DOCUMENT_FIELDS: tuple[DocField, ...] = (
    # identity
    F("print_id", "long", column="prints.id", query=("print_id",), result=True),
    F("card_id", "long", "card", column="prints.card_id", query=("card_id",), result=True),
    F("set_id", "long", column="prints.set_id"),
    F(
        "game",
        "keyword",
        "card",
        column="prints.game_id",
        query=("game",),
        facet="game",
        result=True,
        card_api=True,
    ),
    F("card_head", "bool"),
    # the card
    F("oracle_key", "exact", "card", column="cards.oracle_key", query=("oracle_key",)),
    F("name", "stored", "card", column="cards.name", result=True, card_api=True),
    F("name_sort", "exact", "card", sort="name"),
    F("names_exact", "exact", "card", many=True, engine_searched=True),
    F("face_names", "stored", "card", many=True, column="cards.face_names", card_api=True),
    F(
        "type_line",
        "text",
        "card",
        column="cards.type_line",
        query=("type_line", "type"),
        result=True,
        card_api=True,
        label="Type",
        keyword=Q("type", ("t", "type")),
    ),
    F(
        "supertypes",
        "keyword",
        "card",
        many=True,
        column="cards.supertypes",
        query=("supertypes",),
        card_api=True,
    ),
    F(
        "types",
        "keyword",
        "card",
        many=True,
        column="cards.types",
        query=("types", "card_type"),
        facet="type",
        card_api=True,
    ),
    F(
        "subtypes",
        "keyword",
        "card",
        many=True,
        column="cards.subtypes",
        query=("subtypes",),
        card_api=True,
    ),
    F(
        "rules_text",
        "text",
        "card",
        column="cards.rules_text",
        query=("rules_text", "oracle", "text"),
        card_api=True,
        keyword=Q("oracle", ("o", "oracle", "text")),
    ),
    F(
        "keywords",
        "keyword",
        "card",
        many=True,
        column="cards.keywords",
        query=("keyword", "keywords"),
        card_api=True,
        label="Keywords",
    ),
    F(
        "mana_cost",
        "exact",
        "card",
        games=MTG,
        column="cards.mana_cost",
        query=("mana_cost",),
        result=True,
        card_api=True,
        label="Mana cost",
    ),
    F(
        "mana_value",
        "float",
        "card",
        games=MTG,
        column="cards.mana_value",
        query=("mana_value", "mv", "cmc"),
        sort="mana_value",
        card_api=True,
        label="Mana value",
        keyword=Q("mv", ("mv", "cmc", "manavalue")),
    ),
    F(
        "colors",
        "keyword",
        "card",
        many=True,
        games=MTG | OPTCG,
        column="cards.colors",
        query=("colors", "color"),
        facet="color",
        card_api=True,
        label="Colors",
    ),
    F("colors_count", "integer", "card", query=("colors_count",)),
    F(
        "color_identity",
        "keyword",
        "card",
        many=True,
        games=MTG,
        column="cards.color_identity",
        query=("color_identity",),
        card_api=True,
    ),
    F("color_identity_count", "integer", "card", games=MTG, query=("color_identity_count",)),
    F(
        "power",
        "integer",
        "card",
        games=MTG | OPTCG,
        column="cards.power",
        query=("power", "pow"),
        sort="power",
        card_api=True,
        keyword=Q("power", ("pow", "power")),
    ),
    F(
        "defense",
        "integer",
        "card",
        games=MTG,
        column="cards.defense",
        query=("defense", "toughness", "tou"),
        card_api=True,
        keyword=Q("toughness", ("tou", "toughness")),
    ),
    F(
        "power_text",
        "exact",
        "card",
        games=MTG,
        column="cards.power_text",
        card_api=True,
        label="Power",
    ),
    F(
        "toughness_text",
        "exact",
        "card",
        games=MTG,
        column="cards.toughness_text",
        card_api=True,
        label="Toughness",
    ),
    F(
        "loyalty",
        "exact",
        "card",
        games=MTG,
        column="cards.loyalty",
        card_api=True,
        label="Loyalty",
    ),
    F(
        "loyalty_value",
        "integer",
        "card",
        games=MTG,
        query=("loyalty", "loy", "loyalty_value"),
        keyword=Q("loyalty", ("loy", "loyalty")),
    ),
    F(
        "hp",
        "integer",
        "card",
        games=POKEMON,
        column="cards.hp",
        query=("hp",),
        card_api=True,
        label="HP",
        keyword=Q("hp", ("hp",)),
    ),
    F(
        "retreat_cost",
        "integer",
        "card",
        games=POKEMON,
        column="cards.retreat_cost",
        query=("retreat_cost", "retreat"),
        card_api=True,
        label="Retreat",
        keyword=Q("retreat", ("retreat",)),
    ),
    F(
        "energy_types",
        "keyword",
        "card",
        many=True,
        games=POKEMON,
        column="cards.energy_types",
        query=("energy_types", "energy"),
        card_api=True,
        label="Energy",
    ),
    F(
        "evolves_from",
        "keyword",
        "card",
        games=POKEMON,
        column="cards.evolves_from",
        query=("evolves_from",),
        card_api=True,
        label="Evolves from",
    ),
    F(
        "attributes",
        "keyword",
        "card",
        many=True,
        games=YUGIOH | OPTCG,
        column="cards.attributes",
        query=("attribute", "attributes"),
        card_api=True,
        label="Attribute",
    ),
    F(
        "level",
        "integer",
        "card",
        games=YUGIOH,
        column="cards.level",
        query=("level",),
        card_api=True,
        label="Level",
        keyword=Q("level", ("level", "lv", "lvl")),
    ),
    F(
        "rank",
        "integer",
        "card",
        games=YUGIOH,
        column="cards.rank",
        query=("rank",),
        card_api=True,
        label="Rank",
        keyword=Q("rank", ("rank",)),
    ),
    F(
        "link_rating",
        "integer",
        "card",
        games=YUGIOH,
        column="cards.link_rating",
        query=("link_rating", "link"),
        card_api=True,
        label="Link",
        keyword=Q("link", ("link",)),
    ),
    F(
        "atk",
        "integer",
        "card",
        games=YUGIOH,
        column="cards.atk",
        query=("atk",),
        card_api=True,
        label="ATK",
        keyword=Q("atk", ("atk",)),
    ),
    F(
        "def",
        "integer",
        "card",
        games=YUGIOH,
        column="cards.def",
        query=("def",),
        card_api=True,
        label="DEF",
        keyword=Q("def", ("def",), game_fields=(("MTG", "defense"),)),
    ),
    F(
        "cost",
        "integer",
        "card",
        games=OPTCG,
        column="cards.cost",
        query=("cost",),
        sort="cost",
        card_api=True,
        label="Cost",
        keyword=Q("cost", ("cost",)),
    ),
    F(
        "counter",
        "integer",
        "card",
        games=OPTCG,
        column="cards.counter",
        query=("counter",),
        card_api=True,
        label="Counter",
        keyword=Q("counter", ("counter",)),
    ),
    F(
        "life",
        "integer",
        "card",
        games=OPTCG,
        column="cards.life",
        query=("life",),
        card_api=True,
        label="Life",
        keyword=Q("life", ("life",)),
    ),
    # the set
    F(
        "set_code",
        "keyword",
        column="card_sets.code",
        facet="set",
        sort="set",
        result=True,
        engine_searched=True,
    ),
    F("set_codes", "text", many=True, analyzer="set_code", query=("set", "set_code")),
    F("set_aliases", "keyword", many=True, column="card_sets.aliases"),
    F("set_name", "text", column="card_sets.name", query=("set_name",), result=True),
    F("set_type", "keyword", column="card_sets.set_type", query=("set_type",)),
    F("series", "keyword", column="card_sets.series", query=("series",)),
    F("set_released_at", "date", column="card_sets.released_at"),
    # the print
    F(
        "names",
        "text",
        many=True,
        query=("name", "names"),
        prefix=True,
        keyword=Q("name", ("name",)),
    ),
    F("printed_name", "stored", column="prints.printed_name"),
    F("flavor_text", "text", column="prints.flavor_text", query=("flavor_text", "flavor")),
    F(
        "collector_number",
        "keyword",
        column="prints.collector_number",
        query=("collector_number", "number"),
        result=True,
    ),
    F(
        "number_sort",
        "integer",
        column="prints.number_sort",
        query=("number", "number_sort"),
        sort="number",
    ),
    F("codes", "text", many=True, analyzer="code", engine_searched=True),
    F(
        "language",
        "keyword",
        column="prints.language",
        query=("language", "lang"),
        facet="language",
        result=True,
    ),
    F("rarity", "keyword", column="prints.rarity", raw=True, result=True),
    F("rarity_code", "keyword", column="prints.rarity_code", query=("rarity_code",)),
    F("rarity_canonical", "keyword", query=("rarity",), facet="rarity"),
    F("rarity_rank", "integer", query=("rarity", "rarity_rank"), sort="rarity"),
    F(
        "artist",
        "text",
        column="prints.artist",
        query=("artist",),
        keyword=Q("artist", ("a", "artist")),
    ),
    F(
        "finishes",
        "keyword",
        many=True,
        column="prints.finishes",
        query=("finish", "finishes"),
        facet="finish",
        result=True,
    ),
    F("variation", "keyword", column="prints.variation", query=("variation",)),
    F("frame", "keyword", games=MTG, column="prints.frame", query=("frame",)),
    F("is_promo", "bool", column="prints.is_promo"),
    F("is_digital", "bool", column="prints.is_digital"),
    F("flags", "keyword", many=True, query=("is", "flags")),
    F("legal_formats", "keyword", many=True, games=MTG, query=("legal", "format", "legal_formats")),
    F("released_at", "date", column="prints.released_at", sort="released", result=True),
    F("release_year", "integer", query=("release_year", "year"), keyword=Q("year", ("year",))),
    F("image_url", "stored", result=True, api_name="image"),
    # the image mirror (images/, docs/images.md): its renditions and the placeholder while loading
    F("image_srcset", "stored", column="prints.image_mirror_srcset", result=True),
    F("image_blurhash", "stored", column="prints.image_blurhash", result=True),
    F("tcgplayer_id", "long", column="prints.tcgplayer_id"),
    F("cardmarket_id", "long", column="prints.cardmarket_id"),
    F("scryfall_id", "exact", games=MTG, column="prints.scryfall_id"),
    # the summary of the print's SKUs
    F("sku_count", "integer"),
    F(
        "conditions",
        "keyword",
        many=True,
        query=("condition", "conditions"),
        facet="condition",
        result=True,
    ),
    F("finishes_on_offer", "keyword", many=True, query=("finishes_on_offer",), result=True),
    F("price", "float", query=("price", "usd"), sort="price", result=True),
    F("price_min", "float", query=("price_min",), result=True),
    F("price_max", "float", query=("price_max",), result=True),
    F("market_price", "float", query=("market_price",), result=True),
    F("currency", "exact", result=True),
    F("price_updated_at", "date"),
    F("is_available_b2c", "bool"),
    F("is_available_c2c", "bool"),
    F("available", "keyword", many=True, query=("available",), facet="available", result=True),
    F("total_listings", "integer", query=("listings", "total_listings"), result=True),
    F("total_quantity", "integer"),
    F("vendor_count", "integer"),
    F("consumer_seller_count", "integer"),
    F("popularity", "long", query=("popularity",), sort="popularity"),
    F("rank_boost", "float", engine_searched=True),
)

FIELDS_BY_NAME: dict[str, DocField] = {f.name: f for f in DOCUMENT_FIELDS}
assert len(FIELDS_BY_NAME) == len(DOCUMENT_FIELDS), "a field is declared twice"

#: Identifiers matched by Term (and indexed by tantivy as unsigned integers).
ID_FIELDS = ("print_id", "card_id")
#: Document fields whose value is the same in every print of a card.
CARD_LEVEL_FIELDS: frozenset[str] = frozenset(f.name for f in DOCUMENT_FIELDS if f.level == "card")


def columns_of(table: str) -> dict[str, DocField]:
    """Column of `table` -> the field read from it (`columns_of("cards")["def"]`)."""
    out = {}
    for f in DOCUMENT_FIELDS:
        if f.column and f.column.partition(".")[0] == table:
            out[f.column.partition(".")[2]] = f
    return out


def attribute_name(column: str) -> str:
    """The Python attribute of a column (ORM model, ETL record): `def` is `def_`."""
    return f"{column}_" if iskeyword(column) else column


def query_names(kind: Literal["text", "keyword", "numeric"]) -> dict[str, str]:
    """Logical name -> document field, for one kind of query node (`indexer.fields`' tables)."""
    out: dict[str, str] = {}
    for f in DOCUMENT_FIELDS:
        if _query_kind(f) == kind:
            for name in f.query:
                assert name not in out, f"{kind} name {name!r} names two fields"
                out[name] = f.name
    return out


def searched_fields(kind: Literal["text", "keyword", "numeric"]) -> list[str]:
    """The fields of one query kind that are searched: named by query nodes or by the engines."""
    return [
        f.name for f in DOCUMENT_FIELDS if _query_kind(f) == kind and (f.query or f.engine_searched)
    ]


def _query_kind(f: DocField) -> str:
    if f.index == "text" and f.analyzer == "folded":
        return "text"
    if f.is_number and f.name not in ID_FIELDS:
        return "numeric"
    return "keyword"  # ids, and codes analysed whole, are matched by Term as keywords are
