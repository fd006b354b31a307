"""Text analysis shared by both engines: code tokens, query words, fuzziness, synonyms.

Queries are analysed here in Python, so both engines see the same terms. The folding itself is
the kernel's one fold (`models.text.fold`, with `words` and `name_key`). Documents carry the
folded form of every name beside the original, so a folded query term always meets a folded
index term whatever the engine's own folding does (OpenSearch: lowercase + asciifolding with
the original preserved; tantivy: the adapter folds text with `fold` before indexing): the
engines' analyzer definitions stay in opensearch/*.json and the tantivy schema, because they
must produce the terms the Python fold produces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from models.text import fold, words

_WORD_RE = re.compile(r"[a-z0-9]+")
_PIECE_RE = re.compile(r"[a-z0-9]+")
_SAFE_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def name_fuzziness(text: str) -> int:
    """Edits a whole name typed as `text` may differ by: the words' `fuzziness` added up, at
    most 2 (what both engines' Levenshtein automata allow)."""
    return min(2, sum(fuzziness(word) for word in words(text)))


def fuzziness(term: str) -> int:
    """Edit distance allowed for a term: 0 up to 2 characters, 1 for 3-5, 2 for longer."""
    if len(term) <= 2:
        return 0
    return 1 if len(term) <= 5 else 2


@lru_cache(maxsize=1 << 16)
def _code_tokens(code: str) -> tuple[str, ...]:
    whole = fold(code).replace(" ", "")
    if not whole:
        return ()
    out = [whole]
    for piece in _PIECE_RE.findall(whole):
        if piece not in out:
            out.append(piece)
    return tuple(out)


def code_tokens(code: str) -> list[str]:
    """Index terms of a code or number: the whole, lower-cased, then its parts.

    `OP01-001` -> op01-001, op01, 001; `199/165` -> 199/165, 199, 165; `sv3pt5` -> sv3pt5.
    Mirrors the `code` analyzer of opensearch/prints (whitespace + word_delimiter_graph with
    preserve_original, no split on numerics or case changes).
    """
    return list(_code_tokens(code))


def query_words(text: str) -> list[str]:
    """Whitespace-separated words of a free-text query, folded (codes keep their punctuation)."""
    return [w for w in fold(text).split() if _WORD_RE.search(w)]


def set_code_synonyms(rows: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """Synonym rules `code => code, alias, ...` for the index-time set-code analyzer.

    Directional, so a document of set `sv2` also carries the term `pal` but a set whose own code
    happens to be an alias elsewhere does not pick up the other set's code. Codes that are not
    plain tokens are skipped (they could not be written in the Solr synonym format).
    """
    expansions: dict[str, set[str]] = {}
    for code, aliases in rows:
        key = fold(code)
        if not _SAFE_CODE_RE.match(key):
            continue
        for alias in aliases or ():
            value = fold(alias)
            if value and value != key and _SAFE_CODE_RE.match(value):
                expansions.setdefault(key, set()).add(value)
    return [
        f"{code} => {', '.join([code, *sorted(values)])}"
        for code, values in sorted(expansions.items())
    ]
