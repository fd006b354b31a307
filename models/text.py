"""The one text fold, and the keys derived from it.

`fold` is the accent- and case-blind form of any text the catalog compares: names in the ETL and
in search documents, query terms, rarity and keyword values, seller listings. Every other key
below is `fold` plus one named rule, because its callers genuinely compare differently:

* `words` / `name_key`: letters and digits only, apostrophes joining (`Professor's` ->
  `professors`): exact-name and "starts with" comparison in the indexer, rarity spellings;
* `squash`: `name_key` without spaces: query-language values (`Yu-Gi-Oh!` = `yugioh`);
* `spelling_key`: `squash`, except that non-Latin scripts are kept as written (`日本語` stays
  `日本語`, not the transliteration `ribenyu`): how sellers' and tools' spellings are looked up;
* `listing_key`: words with apostrophes *splitting* (`Lim-Dûl's` -> `lim dul s`), `★` read as
  `star` and `&` as `and`: how matching compares a seller's card name with catalog names.

Why the engines keep analyzers of their own: OpenSearch folds with its `lowercase` +
`asciifolding` filters (opensearch/*.json) and tantivy with the adapter's tokenizers; both must
turn indexed text into the same terms Python sends. Documents therefore carry `fold`ed text
beside the original and queries are analysed here, so a folded query term always meets a folded
index term whatever the engine's own folding does (see `indexer/analysis.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_WORD_RE = re.compile(r"[a-z0-9]+")
#: Apostrophes after folding (`unidecode` turns the typographic ones into `'`).
_APOSTROPHE_RE = re.compile(r"['`]")
_NON_WORD_RE = re.compile(r"[\W_]+")
_STARS = str.maketrans({"★": " star ", "☆": " star "})
#: Highest code point `spelling_key` transliterates (Latin scripts end below U+0250).
_LATIN_END = 0x250


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Accent- and case-blind form: `Lim-Dûl's  Vault` -> `lim-dul's vault`, `Pokégear 3.0` ->
    `pokegear 3.0` (transliterated to ASCII, lower-case, runs of whitespace as one space)."""
    if not text.isascii():
        text = unidecode(text)
    return " ".join(text.lower().split())


def words(text: str) -> list[str]:
    """Word tokens of `text` after folding: letters and digits; everything else separates."""
    return _WORD_RE.findall(fold(text))


def join_apostrophes(text: str) -> str:
    """`fold(text)` without apostrophes: the words they split, joined (`professor's` ->
    `professors`), as shoppers often type them."""
    return _APOSTROPHE_RE.sub("", fold(text))


def name_key(text: str) -> str:
    """Words joined by single spaces, apostrophes joining, so punctuation does not matter:
    `Blue-Eyes White Dragon` = `blue eyes white dragon`, `Collector's Rare` = `collectors rare`."""
    return " ".join(words(join_apostrophes(text)))


def squash(text: str) -> str:
    """`name_key` without any spaces: `Yu-Gi-Oh!` -> `yugioh`, `zh-Hans` -> `zhhans`."""
    return "".join(words(join_apostrophes(text)))


def spelling_key(text: str) -> str:
    """`squash` for Latin-script text (`Near Mint` -> `nearmint`, `Español` -> `espanol`);
    other scripts are kept as written, only case-folded and without punctuation (`日本語`)."""
    kept = _NON_WORD_RE.sub("", text.casefold())
    if all(ord(ch) < _LATIN_END for ch in kept):
        return squash(kept)
    return kept


def listing_key(name: str) -> str:
    """Lower-case ASCII words, apostrophes splitting: `Lim-Dûl's Vault` -> `lim dul s vault`,
    `Ethan's Typhlosion` -> `ethan s typhlosion`, `Umbreon ★` -> `umbreon star`, `&` -> `and`;
    for fuzzy comparison of names, not display."""
    return " ".join(_WORD_RE.findall(fold(name.translate(_STARS)).replace("&", " and ")))
