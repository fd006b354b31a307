from indexer.names import (
    CardName,
    build_name_entry,
    card_names_from_documents,
    entry_id,
    name_entries,
    sort_key,
)


def test_an_entry_is_the_most_popular_card_of_a_name_with_every_card_and_spelling():
    cards = [
        CardName(3, "POKEMON", "Professor's Research", (), popularity=10),
        CardName(9, "POKEMON", "Professor’s Research", (), popularity=40),
        CardName(5, "POKEMON", "Professors Research", (), popularity=40),
    ]
    entry = build_name_entry(cards)
    assert (
        entry["id"] == entry_id("POKEMON", "professors research") == "POKEMON:professors research"
    )
    assert (entry["name"], entry["card_id"], entry["popularity"]) == ("Professors Research", 5, 40)
    assert entry["card_ids"] == [3, 5, 9]
    assert entry["spellings"] == [
        "Professor's Research",
        "Professors Research",
        "Professor’s Research",
    ]
    assert entry["keys"] == ["professors research"]
    assert entry["words"].split() == ["professor", "s", "research", "professors"]


def test_faces_are_keys_and_words():
    entry = build_name_entry([CardName(1, "MTG", "Fire // Ice", ("Fire", "Ice"))])
    assert entry["key"] == "fire ice" and entry["keys"] == ["fire", "fire ice", "ice"]
    assert entry["face_names"] == ["Fire", "Ice"] and entry["words"] == "fire ice"


def test_entries_are_per_game_and_name_key():
    entries = name_entries(
        [
            CardName(1, "MTG", "Lim-Dûl's Vault"),
            CardName(2, "MTG", "Lim Dul's Vault"),
            CardName(3, "POKEMON", "Pikachu", popularity=5),
            CardName(4, "POKEMON", "Pikachu", popularity=7),
            CardName(5, "POKEMON", "Pikachu V"),
            CardName(6, "OPTCG", "Pikachu"),
            CardName(7, "MTG", "--"),  # no words, no entry
        ]
    )
    ids = [(e["id"], e["card_ids"]) for e in entries]
    assert ids == [
        ("MTG:lim duls vault", [1, 2]),
        ("OPTCG:pikachu", [6]),
        ("POKEMON:pikachu", [3, 4]),
        ("POKEMON:pikachu v", [5]),
    ]
    assert entries[2]["card_id"] == 4 and entries[2]["popularity"] == 7


def test_sort_key_orders_by_popularity_then_name_a_name_before_longer_ones():
    keys = [
        sort_key(0, "pikachu v", "POKEMON"),
        sort_key(0, "pikachu", "POKEMON"),
        sort_key(3, "zapdos", "POKEMON"),
        sort_key(0, "pikachu", "MTG"),
        sort_key(10**20, "a", "MTG"),
    ]
    assert sorted(keys) == [keys[4], keys[2], keys[3], keys[1], keys[0]]


def test_card_names_from_documents_sum_popularity_over_prints():
    docs = [
        {"card_id": 1, "game": "MTG", "name": "Lightning Bolt", "popularity": 5},
        {"card_id": 1, "game": "MTG", "name": "Lightning Bolt", "popularity": 7},
        {"card_id": 2, "game": "MTG", "name": "Fire // Ice", "face_names": ["Fire", "Ice"]},
    ]
    assert card_names_from_documents(docs) == [
        CardName(1, "MTG", "Lightning Bolt", (), 12),
        CardName(2, "MTG", "Fire // Ice", ("Fire", "Ice"), 0),
    ]
