"""The four games the catalog carries, with the mechanics flags their cards use."""

from __future__ import annotations

GAME_IDS = {"MTG": 1, "POKEMON": 2, "YUGIOH": 3, "OPTCG": 4}

GAMES: list[dict] = [
    {
        "id": 1, "code": "MTG", "name": "Magic: The Gathering", "publisher": "Wizards of the Coast",
        "uses_mana_cost": True, "uses_colors": True, "uses_power_toughness": True,
        "uses_loyalty": True,
    },
    {
        "id": 2, "code": "POKEMON", "name": "Pokémon TCG", "publisher": "The Pokémon Company",
        "uses_hp": True, "uses_energy_types": True, "uses_retreat_cost": True,
    },
    {
        "id": 3, "code": "YUGIOH", "name": "Yu-Gi-Oh! TCG", "publisher": "Konami",
        "uses_attribute": True, "uses_level_rank": True, "uses_atk_def": True,
    },
    {
        "id": 4, "code": "OPTCG", "name": "One Piece Card Game", "publisher": "Bandai",
        "uses_colors": True, "uses_attribute": True, "uses_cost": True, "uses_counter": True,
        "uses_life": True, "uses_power_toughness": True,
    },
]  # fmt: skip

FLAG_COLUMNS = [
    "uses_mana_cost", "uses_colors", "uses_power_toughness", "uses_loyalty", "uses_hp",
    "uses_energy_types", "uses_retreat_cost", "uses_attribute", "uses_level_rank",
    "uses_atk_def", "uses_cost", "uses_counter", "uses_life",
]  # fmt: skip


def game_rows() -> list[dict]:
    """Seed rows with every flag present (False where a game does not use it)."""
    return [{**{flag: False for flag in FLAG_COLUMNS}, **game} for game in GAMES]
