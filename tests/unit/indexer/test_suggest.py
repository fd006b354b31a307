from indexer.suggest import rank_suggestions


def doc(card_id, name, **extra):
    return {"card_id": card_id, "name": name, "game": "MTG", "name_sort": name.lower(),
            "print_id": card_id * 10, **extra}  # fmt: skip


def test_names_starting_like_the_text_come_first_then_fewest_edits_then_score():
    candidates = [
        (3.0, doc(1, "Abzan Charm")),
        (1.0, doc(2, "Charizard")),
        (1.0, doc(3, "Chandra's Outrage")),
        (2.0, doc(4, "Charizard ex")),
    ]
    ranked = [s.name for s in rank_suggestions("charz", candidates, 10)]
    assert ranked == ["Charizard ex", "Charizard", "Chandra's Outrage", "Abzan Charm"]


def test_distinct_cards_faces_and_limit():
    candidates = [
        (1.0, doc(1, "Fire // Ice", face_names=["Fire", "Ice"])),
        (1.0, doc(1, "Fire // Ice", face_names=["Fire", "Ice"])),
        (1.0, doc(2, "Icequake")),
        (1.0, doc(3, "Ice Cauldron")),
    ]
    assert [s.card_id for s in rank_suggestions("ice", candidates, 10)] == [1, 3, 2]
    assert len(rank_suggestions("ice", candidates, 2)) == 2


def test_one_suggestion_per_name_and_game():
    candidates = [(2.0, doc(1, "Charcadet")), (1.0, doc(2, "Charcadet")), (1.0, doc(3, "Char"))]
    assert [(s.name, s.card_id) for s in rank_suggestions("char", candidates, 10)] == [
        ("Charcadet", 1), ("Char", 3)
    ]  # fmt: skip
