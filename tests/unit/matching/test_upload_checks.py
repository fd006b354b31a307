"""Upload problems said for people: sizes in MB, a binary file named for what it is."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from matching.jobs import intake
from matching.jobs.upload_checks import file_size, looks_like, too_large
from models.errors import InvalidInput, TooLarge

GOOD = b"Count,Name,Edition\n1,Sol Ring,c19\n2,Lightning Bolt,m10\n"


def _zip(*members: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members:
            archive.writestr(name, text)
    return buffer.getvalue()


XLSX = _zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"))
ODS = _zip(("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>"))
PLAIN_ZIP = _zip(("export.csv", GOOD.decode()))


@pytest.mark.parametrize(
    ("size", "said"),
    [
        (26_214_400, "25 MB"),
        (31_457_280, "30 MB"),
        (1_572_864, "1.5 MB"),
        (2048, "2 KB"),
        (1500, "1.5 KB"),
        (20, "20 bytes"),
        (1, "1 byte"),
    ],
)
def test_sizes_are_said_in_mb_kb_or_bytes(size: int, said: str) -> None:
    assert file_size(size) == said


def test_a_size_over_a_limit_never_rounds_down_to_it() -> None:
    assert file_size(26_214_401) == "25 MB"
    assert file_size(26_214_401, round_up=True) == "25.1 MB"


def test_too_large_names_both_sizes_in_mb_and_keeps_the_numbers() -> None:
    error = too_large(26_214_400, size=31_457_280)
    assert error.code == "upload_too_large"
    assert "30 MB" in error.details and "25 MB" in error.details
    assert "bytes" not in error.details and "26214400" not in error.details
    assert error.extra == {"max_bytes": 26_214_400, "max_mb": 25.0}
    assert "larger than 25 MB" in too_large(26_214_400).details


BINARY_FILES = [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "png", "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg", "a JPEG image"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "gif", "a GIF image"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp", "a WebP image"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "pdf", "a PDF document"),
    (XLSX, "xlsx", "an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "xls", "an old Excel workbook"),
    (ODS, "ods", "an OpenDocument spreadsheet"),
    (PLAIN_ZIP, "zip", "a ZIP archive"),
    (gzip.compress(GOOD, mtime=0), "gzip", "a gzip-compressed file"),
]


@pytest.mark.parametrize(
    ("content", "key", "words"), BINARY_FILES, ids=[key for _c, key, _w in BINARY_FILES]
)
def test_a_binary_file_is_named_for_what_it_looks_like(
    content: bytes, key: str, words: str
) -> None:
    kind = looks_like(content)
    assert kind is not None and kind.key == key
    with pytest.raises(InvalidInput) as info:
        intake.inspect_upload(content)
    error = info.value
    assert error.code == "unknown_format" and error.extra == {"looks_like": key}
    assert error.details.startswith(f"This looks like {words}")
    assert "not a CSV or JSON export" in error.details
    assert error.details.isprintable()  # no raw bytes of the file shown


def test_a_spreadsheet_is_told_to_export_as_csv() -> None:
    with pytest.raises(InvalidInput) as info:
        intake.inspect_upload(XLSX)
    assert "as CSV" in info.value.details


@pytest.mark.parametrize(
    "content",
    [GOOD, "Name;Set\nLim-Dûl's Vault;all\n".encode("latin-1"), b'[{"name": "x"}]', b"PKG,x\n"],
    ids=["csv", "latin-1 csv", "json", "csv starting with PK"],
)
def test_text_exports_are_not_taken_for_binary_files(content: bytes) -> None:
    assert looks_like(content) is None


def test_intake_messages_are_sentences(monkeypatch) -> None:
    with pytest.raises(TooLarge) as info:
        intake.inspect_upload(GOOD, max_rows=1)
    assert info.value.code == "too_many_rows" and info.value.extra == {"max_rows": 1}
    assert info.value.details.startswith("This file has more than 1 rows")
    with pytest.raises(InvalidInput) as empty:
        intake.inspect_upload(b"\n\n")
    assert empty.value.details == "This file is empty: there is nothing to match."
    with pytest.raises(InvalidInput) as game:
        intake.inspect_upload(GOOD, game="CHESS")
    assert game.value.code == "invalid_game" and "'CHESS' is not a game" in game.value.details
    monkeypatch.setenv("SIDEDECKED_MATCH_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024))
    from models.settings import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(TooLarge) as big:
            intake.inspect_upload(GOOD + b"1,Island,m10\n" * 200_000)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert big.value.code == "upload_too_large"
    assert "2.5 MB" in big.value.details and "accepts is 2 MB" in big.value.details
