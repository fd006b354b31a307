"""The four games the catalog carries, declared once: code, database id, name, short label,
the spellings upstream sources, sellers and shoppers use for each, and the mechanics flags their
cards use. The code tuple, the id tables and the spelling lookup are derived from `GAMES`.
The rest of the shared vocabulary: `models.vocabulary` (languages, conditions, finishes) and
`models.rarity` (rarities per game).
"""

from __future__ import annotations

from typing import Any

from models.text import squash

GAME_IDS = {"MTG": 1, "POKEMON": 2, "YUGIOH": 3, "OPTCG": 4}
#: The game codes, in catalog order (the SKU's `{GAME}` component).
GAME_CODES: tuple[str, ...] = tuple(GAME_IDS)
#: Database id -> game code.
GAME_CODE_BY_ID: dict[int, str] = {game_id: code for code, game_id in GAME_IDS.items()}
#: Short display labels (facets, page filters).
GAME_LABELS = {"MTG": "Magic", "POKEMON": "Pokémon", "YUGIOH": "Yu-Gi-Oh!", "OPTCG": "One Piece"}
#: How sources, sellers' tools and shoppers write each game (looked up by `models.text.squash`).
GAME_SPELLINGS: dict[str, tuple[str, ...]] = {
    "MTG": ("MTG", "Magic", "Magic: The Gathering"),
    "POKEMON": ("Pokémon", "PKMN", "PKM", "PTCG", "Pokémon TCG", "Pokemon Japan"),
    "YUGIOH": ("Yu-Gi-Oh!", "YGO", "Yu-Gi-Oh! TCG"),
    "OPTCG": ("One Piece", "OP", "OPTCG", "OPCG", "One Piece Card Game"),
}
assert set(GAME_LABELS) == set(GAME_SPELLINGS) == set(GAME_CODES)
#: Squashed spelling -> game code.
GAME_BY_SPELLING: dict[str, str] = {
    squash(spelling): code
    for code, spellings in GAME_SPELLINGS.items()
    for spelling in (code, GAME_LABELS[code], *spellings)
}


def resolve_game(value: str) -> str | None:
    """The game code `value` names (`yugioh`, `Pokémon TCG`, `op`), or None."""
    return GAME_BY_SPELLING.get(squash(value))


GAMES: list[dict[str, Any]] = [
    {
        "id": 1,
        "code": "MTG",
        "name": "Magic: The Gathering",
        "publisher": "Wizards of the Coast",
        "uses_mana_cost": True,
        "uses_colors": True,
        "uses_power_toughness": True,
        "uses_loyalty": True,
    },
    {
        "id": 2,
        "code": "POKEMON",
        "name": "Pokémon TCG",
        "publisher": "The Pokémon Company",
        "uses_hp": True,
        "uses_energy_types": True,
        "uses_retreat_cost": True,
    },
    {
        "id": 3,
        "code": "YUGIOH",
        "name": "Yu-Gi-Oh! TCG",
        "publisher": "Konami",
        "uses_attribute": True,
        "uses_level_rank": True,
        "uses_atk_def": True,
    },
    {
        "id": 4,
        "code": "OPTCG",
        "name": "One Piece Card Game",
        "publisher": "Bandai",
        "uses_colors": True,
        "uses_attribute": True,
        "uses_cost": True,
        "uses_counter": True,
        "uses_life": True,
        "uses_power_toughness": True,
    },
]

FLAG_COLUMNS = [
    "uses_mana_cost",
    "uses_colors",
    "uses_power_toughness",
    "uses_loyalty",
    "uses_hp",
    "uses_energy_types",
    "uses_retreat_cost",
    "uses_attribute",
    "uses_level_rank",
    "uses_atk_def",
    "uses_cost",
    "uses_counter",
    "uses_life",
]


def game_rows() -> list[dict[str, Any]]:
    """Seed rows with every flag present (False where a game does not use it)."""
    return [{**dict.fromkeys(FLAG_COLUMNS, False), **game} for game in GAMES]
