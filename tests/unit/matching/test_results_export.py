"""Results CSV (formula injection neutralised) and upload checks (pure)."""

from __future__ import annotations

import csv
import io

import pytest

from matching.auth import KEY_PREFIX, hash_key, new_token
from matching.jobs import export, intake
from models.errors import InvalidInput, TooLarge


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("|x", "'|x"),
        ("-3", "-3"),
        ("-0.25", "-0.25"),
        ("Lightning Bolt", "Lightning Bolt"),
        (None, ""),
        (0.5, "0.5"),
    ],
)
def test_neutralize(value, expected) -> None:
    assert export.neutralize(value) == expected


def test_results_csv_has_every_row_and_no_formulas() -> None:
    views = [
        {
            "line_number": 2,
            "status": "auto",
            "sku": "MTG-M10-146-EN-NM-NORMAL",
            "confidence": 0.99,
            "match_method": "exact",
            "matched_fields": {"name": 1.0},
            "quantity": 1,
            "candidates": [
                {
                    "sku": "MTG-M10-146-EN-NM-NORMAL",
                    "confidence": 0.99,
                    "name": "Lightning Bolt",
                    "set_code": "M10",
                    "number": "146",
                }
            ],
            "input": {"Card": "Lightning Bolt", "Qty": "1"},
        },
        {
            "line_number": 3,
            "status": "error",
            "reason": "invalid quantity",
            "sku": None,
            "confidence": None,
            "input": {"Card": '=HYPERLINK("http://x")', "Qty": "-1+1"},
        },
    ]
    out = io.StringIO()
    assert export.write_results_csv(views, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["line_number"] for r in rows] == ["2", "3"]
    assert rows[0]["name"] == "Lightning Bolt" and rows[0]["input:Card"] == "Lightning Bolt"
    assert rows[1]["input:Card"].startswith("'=") and rows[1]["input:Qty"] == "'-1+1"
    assert rows[1]["status"] == "error" and rows[1]["reason"] == "invalid quantity"
    # a view without a decision since (the CLI's): its state is its status, its SKU the original
    assert rows[0]["state"] == "auto" and rows[0]["original_sku"] == rows[0]["sku"]
    assert rows[1]["state"] == "error" and rows[1]["decided_by"] == ""
    streamed = "".join(export.csv_chunks(views, every=1))
    assert streamed == out.getvalue()
    empty = io.StringIO()
    export.write_results_csv([], empty)
    assert empty.getvalue().startswith("line_number,status")


def test_inspect_upload(monkeypatch) -> None:
    good = b"Count,Name,Edition\n1,Sol Ring,c19\n2,Lightning Bolt,m10\n"
    assert intake.inspect_upload(good) == ("moxfield", "utf-8", 2)
    bom = b"\xef\xbb\xbf" + good
    assert intake.inspect_upload(bom)[1] == "utf-8-sig"
    latin = "Count;Name;Edition\n1;Lim-D\u00fbl's Vault;all\n".encode("latin-1")
    assert intake.inspect_upload(latin)[2] == 1
    cases = [
        (b"", "empty_upload"),
        (b"Count,Name,Edition\n", "no_rows"),
        (b"foo,bar\n1,2\n", "unknown_format"),
    ]
    for content, code in cases:
        with pytest.raises(InvalidInput) as info:
            intake.inspect_upload(content)
        assert info.value.code == code
    with pytest.raises(TooLarge) as info:
        intake.inspect_upload(good, max_rows=1)
    assert info.value.code == "too_many_rows"
    _limit(monkeypatch, max_bytes=10)
    with pytest.raises(TooLarge) as info:
        intake.inspect_upload(good)
    assert info.value.code == "upload_too_large"
    _limit(monkeypatch, max_bytes=10_000)
    for bad in ({"format": "nope"}, {"game": "CHESS"}, {"mapping": {"nope": "Name"}}):
        with pytest.raises(InvalidInput):
            intake.inspect_upload(good, **bad)


def test_api_keys_are_random_and_hashed() -> None:
    a, b = new_token(), new_token()
    assert a != b and a.startswith(KEY_PREFIX) and len(a) > 40
    assert hash_key(a) != hash_key(b) and len(hash_key(a)) == 64 and a not in hash_key(a)


def _limit(monkeypatch, *, max_bytes: int | None = None, max_rows: int | None = None) -> None:
    from models.settings import get_settings

    if max_bytes is not None:
        monkeypatch.setenv("SIDEDECKED_MATCH_MAX_UPLOAD_BYTES", str(max_bytes))
    if max_rows is not None:
        monkeypatch.setenv("SIDEDECKED_MATCH_MAX_ROWS", str(max_rows))
    get_settings.cache_clear()
