"""Export readers on tiny fixtures (tests/fixtures/matching) and in-memory inputs: encodings,
`sep=` lines, delimiters, source types, the generic mapping, errors, streaming."""

from __future__ import annotations

import codecs
import io
from decimal import Decimal
from pathlib import Path

import pytest

from matching.formats import FORMATS, UnknownFormatError, detect_format, read_inventory
from matching.formats.decoding import detect_encoding, sep_line_delimiter, sniff_delimiter

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "matching"

MOXFIELD_HEADER = (
    '"Count","Tradelist Count","Name","Edition","Condition","Language","Foil","Tags",'
    '"Last Modified","Collector Number","Alter","Proxy","Purchase Price"\n'
)


def rows_of(source, **kwargs):
    inventory = read_inventory(source, **kwargs)
    return inventory, list(inventory)


# --------------------------------------------------------------------------- encodings


def test_utf8_bom():
    inventory, rows = rows_of(FIXTURES / "moxfield-bom.csv")
    assert inventory.detected_format == "moxfield"
    assert inventory.encoding == "utf-8-sig"
    assert inventory.header[0] == "Count"  # no BOM left on the first column
    assert [r.listing.name for r in rows] == [
        "Aragorn, the Uniter",
        "Aragorn, the Uniter",
        "Brazen Borrower // Petty Theft",
    ]
    assert rows[0].raw["Count"] == "1"


def test_cp1252_fallback():
    inventory, rows = rows_of(FIXTURES / "dragonshield-cp1252.csv")
    assert inventory.detected_format == "dragonshield"
    assert inventory.encoding == "cp1252"
    assert [r.listing.name for r in rows] == ["Lim-Dûl's Vault", "Æther Vial", "Jötun Grunt"]
    assert [r.listing.normalized_name for r in rows] == [
        "lim-dul's vault",
        "aether vial",
        "jotun grunt",
    ]
    # Dragon Shield is on the Cardmarket scale: Excellent -> LP, Good -> MP.
    assert [r.listing.condition for r in rows] == ["LP", "NM", "MP"]
    assert [r.listing.language for r in rows] == ["EN", "DE", "FR"]


def test_latin1_when_not_even_cp1252():
    data = (
        MOXFIELD_HEADER.encode()
        + '"1","0","J\xf6tun Grunt","csp","Near Mint","English"'.encode("latin-1")
        + b',"","","","8","","","\x81"\n'
    )  # 0x81 is undefined in cp1252
    inventory, rows = rows_of(data)
    assert inventory.encoding == "latin-1"
    assert rows[0].listing.name == "Jötun Grunt"


def test_utf16_with_bom():
    text = (
        MOXFIELD_HEADER
        + '"2","0","Æther Vial","dst","Near Mint","German","foil","","","91","","",""\n'
    )
    inventory, rows = rows_of(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert inventory.encoding == "utf-16"
    assert (rows[0].listing.name, rows[0].listing.quantity, rows[0].listing.finish) == (
        "Æther Vial",
        2,
        "FOIL",
    )


def test_detect_encoding_rewinds_and_checks_the_whole_stream():
    late_latin1 = b"a,b\n" + b"x,y\n" * 300_000 + b"caf\xe9,1\n"
    stream = io.BytesIO(late_latin1)
    assert detect_encoding(stream) == "cp1252"
    assert stream.tell() == 0
    assert detect_encoding(io.BytesIO("café".encode())) == "utf-8"


# --------------------------------------------------------------------------- sep= and delimiters


def test_sep_line_and_semicolons_and_decimal_commas():
    inventory, rows = rows_of(FIXTURES / "dragonshield-sep-semicolon.csv")
    assert (inventory.detected_format, inventory.delimiter) == ("dragonshield", ";")
    assert [r.line_number for r in rows] == [3, 4]
    aragorn, bolt = (r.listing for r in rows)
    assert (aragorn.name, aragorn.price, aragorn.language) == (
        "Aragorn, the Uniter",
        Decimal("4.50"),
        "DE",
    )
    assert (bolt.quantity, bolt.condition, bolt.finish, bolt.language) == (3, "MP", "FOIL", "IT")


def test_cardmarket_semicolons():
    inventory, rows = rows_of(FIXTURES / "cardmarket-cut.csv")
    assert (inventory.detected_format, inventory.delimiter) == ("cardmarket", ";")
    assert [r.listing.cardmarket_id for r in rows] == [743311, 715954, 401774, 250620, 851576]
    assert rows[0].listing.name is None and rows[0].ok  # the product id identifies the card


@pytest.mark.parametrize(
    ("line", "expected"),
    [('"sep=,"', ","), ("sep=;", ";"), ("SEP=|", "|"), ('"sep=,",,,', ","), ("Count,Name", None)],
)
def test_sep_line_delimiter(line, expected):
    assert sep_line_delimiter(line) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Count,Name,Edition", ","),
        ("idProduct;groupCount;price", ";"),
        ("Card\tSet\tQty", "\t"),
        ('"Name, with comma";Set;Qty', ";"),
        ("Name", ","),
    ],
)
def test_sniff_delimiter(header, expected):
    assert sniff_delimiter(header) == expected


def test_semicolon_moxfield_from_european_excel():
    text = (
        MOXFIELD_HEADER.replace(",", ";")
        + '"1";"0";"Lightning Bolt";"m11";"Near Mint";"English";"";"";"";"149";"";"";"0,50"\n'
    )
    inventory, rows = rows_of(text.encode("cp1252"))
    assert (inventory.detected_format, inventory.delimiter) == ("moxfield", ";")
    assert rows[0].listing.price == Decimal("0.50")


# --------------------------------------------------------------------------- source types


def test_bytes_text_stream_and_binary_stream_give_the_same_rows():
    path = FIXTURES / "moxfield-bom.csv"
    expected = [r.listing.name for r in read_inventory(path)]
    assert [r.listing.name for r in read_inventory(path.read_bytes())] == expected
    assert [r.listing.name for r in read_inventory(str(path))] == expected
    with path.open("rb") as handle:
        assert [r.listing.name for r in read_inventory(handle)] == expected
        assert not handle.closed
    with path.open(encoding="utf-8-sig", newline="") as handle:
        inventory = read_inventory(handle)
        assert inventory.encoding is None
        assert [r.listing.name for r in inventory] == expected
        assert not handle.closed
    assert [r.listing.name for r in read_inventory(io.StringIO(path.read_text("utf-8-sig")))] == (
        expected
    )


def test_iterating_twice_rereads_the_source():
    inventory = read_inventory(FIXTURES / "cardmarket-cut.csv")
    assert (
        [r.line_number for r in inventory] == [r.line_number for r in inventory] == [2, 3, 4, 5, 6]
    )


def test_unknown_header_raises():
    with pytest.raises(UnknownFormatError, match="Foo, Bar"):
        read_inventory(b"Foo,Bar\n1,2\n")
    with pytest.raises(UnknownFormatError):
        read_inventory(b"")


def test_explicit_format_and_bad_arguments():
    inventory = read_inventory(FIXTURES / "moxfield-bom.csv", format="moxfield")
    assert inventory.detected_format == "moxfield"
    with pytest.raises(ValueError, match="unknown format"):
        read_inventory(FIXTURES / "moxfield-bom.csv", format="nope")
    with pytest.raises(ValueError, match="game"):
        read_inventory(FIXTURES / "moxfield-bom.csv", game="LORCANA")
    with pytest.raises(ValueError, match="mapping"):
        read_inventory(FIXTURES / "moxfield-bom.csv", format="generic")


# --------------------------------------------------------------------------- rows and errors


def test_every_record_yields_one_row_with_line_numbers():
    text = (
        MOXFIELD_HEADER
        + '"1","0","Lightning Bolt","m11","Near Mint","English","","","","149","","",""\n'
        + "\n"  # a blank line is not a record
        + ",,,,,,,,,,,,\n"
        + '"1","0","Multi\nLine","m11","Near Mint","English","","","","149","","",""\n'
        + '"x","0","Bad Count","m11","Near Mint","English","","","","149","","",""\n'
        + '"1","0","","m11","Near Mint","English","","","","","","",""\n'
        + '"2","0","Short row"\n'
        + '"1","0","Long row","m11","NM","English","","","","1","","","","extra"\n'
    )
    _, rows = rows_of(text.encode())
    assert [(r.line_number, r.error) for r in rows] == [
        (2, None),
        (4, "empty row"),
        (5, None),
        (7, "invalid quantity 'x'"),
        (8, "no card name or identifier"),
        (9, None),
        (10, None),
    ]
    assert rows[2].listing.name == "Multi\nLine"
    assert rows[5].raw["Edition"] is None and rows[5].listing.quantity == 2
    assert rows[6].raw["_extra"] == ["extra"]


def test_malformed_csv_row_is_reported_not_dropped():
    data = b"Count,Name,Edition\n1," + b"x" * 200_000 + b",m11\n1,Shock,m11\n"
    _, rows = rows_of(data)
    assert [(r.line_number, r.error is None) for r in rows] == [(2, False), (3, True)]
    assert rows[0].error.startswith("malformed CSV: field larger than field limit")
    assert rows[1].listing.name == "Shock"


def test_game_override_and_titles_hint():
    _, rows = rows_of(b"Title,Price\nDark Ritual 116/350,$1.00\n")
    assert rows[0].listing.game == "POKEMON"
    _, rows = rows_of(b"Title,Price\nDark Ritual 116/350,$1.00\n", game="MTG")
    assert rows[0].listing.game == "MTG"
    assert rows[0].listing.price == Decimal("1.00")


def test_empty_title_is_an_error():
    _, rows = rows_of(b"Title,Price\n,$1.00\nPikachu 58/102,\n")
    assert [r.error for r in rows] == ["empty title", None]


# --------------------------------------------------------------------------- formats on fixtures


def test_tcgplayer_pricing_export_synthetic():
    inventory, rows = rows_of(FIXTURES / "tcgplayer-pricing-synthetic.csv")
    assert inventory.detected_format == "tcgplayer_pricing"
    got = [
        (
            r.listing.game,
            r.listing.name,
            r.listing.number,
            r.listing.condition,
            r.listing.finish,
            r.listing.is_first_edition,
            r.listing.language,
        )
        for r in rows
    ]
    assert got[:7] == [
        ("POKEMON", "Diglett", "047", "LP", "1ST", True, None),
        ("POKEMON", "Charizard ex", "199", "NM", "HOLO", None, None),
        ("POKEMON", "Dunsparce", "156", "NM", "REVERSE_HOLO", None, None),
        ("YUGIOH", "Blue-Eyes White Dragon", "LOB-EN001", "NM", "1ST", True, None),
        ("MTG", "Ragavan, Nimble Pilferer", "313", "NM", "FOIL", None, None),
        ("OPTCG", "Monkey.D.Luffy", "OP01-024", "NM", "FOIL", None, None),
        ("POKEMON", "Articuno", "102", "NM", "HOLO", None, "JP"),
    ]
    assert rows[0].listing.tcgplayer_sku_id == 2999078
    assert (rows[1].listing.price, rows[1].listing.currency) == (Decimal("110.00"), "USD")
    assert rows[4].listing.variant_tags == ["borderless"]
    assert rows[3].listing.set_code == "LOB"
    assert rows[7].error == "not a supported game ('Flesh & Blood TCG')"
    assert rows[7].listing.name == "Boltyn"


def test_ygo_collection_json_cut():
    inventory, rows = rows_of(FIXTURES / "ygo-collection-cut.json")
    assert (inventory.detected_format, inventory.delimiter) == ("ygo_collection", None)
    assert [r.line_number for r in rows] == [1, 2, 3, 4]
    stardust = rows[1].listing
    assert (stardust.number, stardust.set_code, stardust.language, stardust.rarity) == (
        "L5DD-ENC14",
        "L5DD",
        "EN",
        "Ultra Rare",
    )
    assert stardust.finish is None and stardust.price is None  # no edition given; price 0
    assert rows[2].listing.finish == "LIMITED" and rows[2].listing.ygoprodeck_id is None
    assert rows[3].error == "not a JSON object"


def test_collx_cut():
    _, rows = rows_of(FIXTURES / "collx-cut.csv")
    assert [(r.listing.game, r.error is None) for r in rows] == [
        (None, False),
        ("MTG", True),
        ("POKEMON", True),
        ("YUGIOH", True),
        ("YUGIOH", True),
        (None, False),
    ]
    assert rows[0].error == "not a TCG card: sports card (team 'Kansas City Chiefs')"
    assert rows[5].error == "not a TCG card: dated non-TCG set '1995 Krome Lady Death 2'"
    assert rows[0].listing.condition == "LP"  # CollX "Excellent"


def test_generic_mapping_tab_separated():
    mapping = {
        "name": "Card",
        "set_code": "Set",
        "number": "No.",
        "quantity": "Qty",
        "condition": "Cond",
        "language": "Lang",
        "foil": "Foil?",
        "price": "Ask",
    }
    inventory, rows = rows_of(FIXTURES / "generic-shop.tsv", mapping=mapping)
    assert (inventory.detected_format, inventory.delimiter) == ("generic", "\t")
    bolt, charizard, nameless = (r.listing for r in rows)
    assert (bolt.name, bolt.set_code, bolt.number, bolt.quantity, bolt.finish) == (
        "Lightning Bolt",
        "M11",
        "149",
        4,
        "NORMAL",
    )
    assert (charizard.game, charizard.number, charizard.printed_total, charizard.finish) == (
        "POKEMON",
        "199",
        "165",
        "HOLO",
    )
    assert (charizard.condition, charizard.language, charizard.price) == (
        "LP",
        "JP",
        Decimal("120"),
    )
    assert rows[2].ok and nameless.name is None  # set + number identify it


def test_generic_mapping_errors():
    with pytest.raises(ValueError, match="unknown listing field"):
        read_inventory(FIXTURES / "generic-shop.tsv", mapping={"colour": "Card"})
    with pytest.raises(ValueError, match="not in the header"):
        read_inventory(FIXTURES / "generic-shop.tsv", mapping={"name": "Nom"})


def test_mapping_on_top_of_a_format():
    text = MOXFIELD_HEADER.replace('"Name"', '"Card Title"') + (
        '"1","0","Lightning Bolt","m11","Near Mint","English","","","","149","","",""\n'
    )
    _, rows = rows_of(text.encode(), format="moxfield", mapping={"name": "Card Title"})
    assert rows[0].listing.name == "Lightning Bolt" and rows[0].listing.game == "MTG"


def test_generic_mapping_with_title_column():
    data = b"Listing,Qty,Ask\nBlue-Eyes White Dragon LOB-EN001 1st Ed NM,2,EUR 150\n"
    _, rows = rows_of(data, mapping={"title": "Listing", "quantity": "Qty", "price": "Ask"})
    listing = rows[0].listing
    assert (listing.game, listing.number, listing.quantity, listing.currency) == (
        "YUGIOH",
        "LOB-EN001",
        2,
        "EUR",
    )


def test_format_signatures_are_distinct():
    for spec in FORMATS:
        if spec.container != "csv" or spec.name == "titles":
            continue
        header = list(spec.signature)
        assert detect_format(header).name == spec.name


# --------------------------------------------------------------------------- streaming


class _CountingBytes(io.BytesIO):
    """A binary stream that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def read1(self, size=-1):
        data = super().read1(size)
        self.bytes_read += len(data)
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


def _big_moxfield(rows: int) -> bytes:
    row = '"1","0","Lightning Bolt","m11","Near Mint","English","foil","","","149","False","False","0.50"\n'
    return (MOXFIELD_HEADER + row * rows).encode()


def test_100k_rows(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(_big_moxfield(100_000))
    count = errors = 0
    for inventory_row in read_inventory(path):
        count += 1
        errors += inventory_row.error is not None
    assert (count, errors) == (100_000, 0)


def test_rows_are_streamed_not_loaded():
    stream = _CountingBytes(_big_moxfield(100_000))  # ~10 MB
    inventory = read_inventory(stream)
    stream.bytes_read = 0
    first = next(iter(inventory))
    assert first.listing.name == "Lightning Bolt"
    assert stream.bytes_read < 1024 * 1024


def test_json_with_a_mapping_and_container_mismatch():
    data = b'[{"Card": "Sol Ring", "Qty": 2}, {"Card": "", "Qty": 1}]'
    inventory, rows = rows_of(data, mapping={"name": "Card", "quantity": "Qty"}, game="MTG")
    assert inventory.detected_format == "generic"
    assert [(r.listing.name, r.listing.quantity, r.listing.game, r.error) for r in rows] == [
        ("Sol Ring", 2, "MTG", None),
        (None, 1, "MTG", "no card name or identifier"),
    ]
    with pytest.raises(UnknownFormatError, match="reads JSON"):
        read_inventory(b"Name,Code\nA,B\n", format="ygo_collection")
    with pytest.raises(UnknownFormatError, match="reads CSV"):
        read_inventory(data, format="moxfield")
    with pytest.raises(UnknownFormatError):
        read_inventory(data)  # a JSON list that is no known export
