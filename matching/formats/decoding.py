"""Opening an export: source types, text encoding, the Excel `sep=` line, the delimiter.

Encoding, in order: a UTF-8 BOM -> `utf-8-sig`; a UTF-16 BOM -> `utf-16`; bytes that are valid
UTF-8 throughout -> `utf-8`; otherwise `cp1252` (Excel on Windows), or `latin-1` when the bytes
are not even cp1252 (latin-1 decodes anything). UTF-8 validity is checked over the whole input
in 1 MiB chunks, so a file is never held in memory whole; the stream is then rewound.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | IO[str]
TextStream = IO[str] | io.TextIOBase  # typeshed's io.TextIOBase is not an IO[str]

_CHUNK = 1 << 20
_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?\s*,*\s*$', re.IGNORECASE)
DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True, slots=True)
class Opened:
    """How to get a fresh text stream of the source, and what was detected."""

    open_text: Callable[[], TextStream]
    encoding: str | None  # None when the caller passed a text stream
    name: str | None


def _is_valid_utf8(stream: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _is_valid_cp1252(stream: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(stream: IO[bytes]) -> str:
    """Encoding of a seekable binary stream (see the module docstring); rewinds it."""
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        if _is_valid_utf8(stream):
            return "utf-8"
        stream.seek(start)
        return "cp1252" if _is_valid_cp1252(stream) else "latin-1"
    finally:
        stream.seek(start)


def open_source(source: Source) -> Opened:
    """Normalise a path, bytes, or file object into a re-openable text source.

    A `str` is a path (pass text content as `io.StringIO`). Paths and bytes can be iterated
    several times; a file object only once (it is rewound first when seekable)."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        with path.open("rb") as handle:
            encoding = detect_encoding(handle)

        def open_path() -> IO[str]:
            return path.open("r", encoding=encoding, newline="")

        return Opened(open_path, encoding, str(path))
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        encoding = detect_encoding(io.BytesIO(data))

        def open_bytes() -> IO[str]:
            return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")

        return Opened(open_bytes, encoding, None)
    if hasattr(source, "read"):
        return _open_stream(source)
    raise TypeError(f"cannot read an inventory from {type(source).__name__}")


def _open_stream(stream: Any) -> Opened:
    name = getattr(stream, "name", None)
    name = name if isinstance(name, str) else None
    if isinstance(stream, io.TextIOBase):

        def open_text() -> TextStream:
            if stream.seekable():
                stream.seek(0)
            return _Unclosable(stream)

        return Opened(open_text, None, name)
    binary: IO[bytes] = stream
    if not (hasattr(binary, "seekable") and binary.seekable()):
        binary = io.BytesIO(binary.read())  # a pipe: it has to be buffered to be read twice
    binary.seek(0)
    encoding = detect_encoding(binary)

    def open_binary() -> TextStream:
        binary.seek(0)
        wrapper = io.TextIOWrapper(binary, encoding=encoding, newline="")
        # detaching the wrapper on close keeps the caller's file open
        return _Unclosable(wrapper, on_close=wrapper.detach)

    return Opened(open_binary, encoding, name)


class _Unclosable(io.TextIOBase):
    """A text stream whose `close` leaves the caller's file open."""

    def __init__(self, inner: TextStream, *, on_close: Callable[[], object] | None = None) -> None:
        self._inner = inner
        self._on_close = on_close

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        return self._inner.read(size if size is not None else -1)

    # typeshed types io._IOBase's readline and __iter__ as bytes, which TextIOBase overrides
    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return self._inner.readline(size if size is not None else -1)

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self._inner.readline, "")

    def close(self) -> None:
        if self._on_close is not None and not self.closed:
            self._on_close()
        super().close()


def sep_line_delimiter(line: str) -> str | None:
    """The delimiter an Excel `sep=;` first line declares, or None."""
    match = _SEP_LINE.match(line)
    return match.group(1) if match else None


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: the most frequent of `,` `;` TAB `|` outside quotes
    (`,` on a tie or when there is none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","
