"""The embedded index's schema, tokenizers and document conversion.

Text is folded in Python (`indexer.analysis.fold`) before tantivy tokenizes it with `[a-z0-9]+`,
so index terms equal the query terms `indexer.analysis.words` produces. Keyword fields keep
their original value in the fast field (facet labels) and index a lower-case ASCII-folded term.
Every sort option has a sort key that is unique per document (value, then print id), so the
order is total and stable.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import tantivy
from tantivy import Filter, TextAnalyzerBuilder, Tokenizer

from indexer.documents import compact
from indexer.fields import FACET_FIELDS, TEXT_FIELDS
from indexer.grain import CARD_HEAD_FIELD
from models.card_fields import ID_FIELDS, searched_fields
from models.text import fold

SCHEMA_VERSION = 3
WORDS = "sd_words"
KEYWORD = "sd_keyword"
TEXT = sorted(set(TEXT_FIELDS.values()))
FACET_KEYWORDS = sorted(set(FACET_FIELDS.values()))
KEYWORDS = sorted(set(searched_fields("keyword")) - set(FACET_KEYWORDS) - set(ID_FIELDS))
NUMBERS = sorted(searched_fields("numeric"))

#: Sort option -> (scale, offset) of its numeric value in the u64 sort key.
NUMERIC_SORTS = {
    "released": ("released_days", 1, 0),
    "number": ("number_sort", 1, 1 << 20),
    "rarity": ("rarity_rank", 1, 0),
    "price": ("price", 100, 0),
    "mana_value": ("mana_value", 10, 0),
    "cost": ("cost", 1, 1 << 20),
    "power": ("power", 1, 1 << 20),
    "popularity": ("popularity", 1, 0),
}
_ID_BITS = 28
_VALUE_MAX = (1 << 35) - 1
_EPOCH = date(1900, 1, 1)


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for name in ID_FIELDS:
        sb.add_unsigned_field(name, stored=False, indexed=True, fast=True)
    sb.add_unsigned_field(CARD_HEAD_FIELD, stored=False, indexed=True)
    for name in TEXT:
        sb.add_text_field(name, stored=False, tokenizer_name=WORDS)
    for name in FACET_KEYWORDS:
        sb.add_text_field(
            name, stored=False, fast=True, tokenizer_name=KEYWORD, index_option="basic"
        )
    for name in KEYWORDS:
        sb.add_text_field(name, stored=False, tokenizer_name=KEYWORD, index_option="basic")
    for name in NUMBERS:
        sb.add_float_field(name, stored=False, indexed=True, fast=True)
    for option in NUMERIC_SORTS:
        sb.add_unsigned_field(f"sk_{option}_asc", fast=True)
        sb.add_unsigned_field(f"sk_{option}_desc", fast=True)
    sb.add_text_field("sk_name", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("sk_set_asc", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("sk_set_desc", fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("_source", stored=True)
    return sb.build()


def register_tokenizers(index: tantivy.Index) -> None:
    """Tokenizers are not persisted with the index: register them on every open."""
    words = TextAnalyzerBuilder(Tokenizer.regex(r"[a-z0-9]+")).filter(Filter.lowercase())
    index.register_tokenizer(WORDS, words.build())
    keyword = TextAnalyzerBuilder(Tokenizer.raw()).filter(Filter.lowercase())
    index.register_tokenizer(KEYWORD, keyword.filter(Filter.ascii_fold()).build())
    index.register_fast_field_tokenizer(KEYWORD, TextAnalyzerBuilder(Tokenizer.raw()).build())


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    return [v for v in value if v is not None and v != ""] if isinstance(value, list) else [value]


def _numeric_sort_keys(doc: dict[str, Any], out: dict[str, Any]) -> None:
    print_id = doc["print_id"] & ((1 << _ID_BITS) - 1)
    for option, (field, scale, offset) in NUMERIC_SORTS.items():
        value = out.get(field)
        if value is None:
            asc, desc = _VALUE_MAX, 0
        else:
            encoded = min(max(round(value * scale) + offset, 0), _VALUE_MAX - 2)
            asc, desc = encoded, encoded + 1
        out[f"sk_{option}_asc"] = (asc << _ID_BITS) | print_id
        out[f"sk_{option}_desc"] = (desc << _ID_BITS) | print_id


def _text_sort_keys(doc: dict[str, Any], out: dict[str, Any]) -> None:
    pid = f"{doc['print_id']:012d}"
    out["sk_name"] = f"{doc['name_sort']}\x00{pid}"
    code = fold(doc["set_code"])
    number = doc.get("number_sort")
    asc = f"{number + (1 << 20):010d}" if number is not None else "9" * 10
    desc = f"{number + (1 << 20):010d}" if number is not None else "0" * 10
    out["sk_set_asc"] = f"{code}\x00{asc}\x00{pid}"
    out["sk_set_desc"] = f"{code}\x00{desc}\x00{pid}"


def to_tantivy(doc: dict[str, Any], schema: tantivy.Schema) -> tantivy.Document:
    """The tantivy document of a search document (see module docstring)."""
    out: dict[str, Any] = {name: doc[name] for name in ID_FIELDS}
    out[CARD_HEAD_FIELD] = int(bool(doc.get(CARD_HEAD_FIELD)))
    for name in TEXT:
        values = [fold(v) for v in _values(doc.get(name))]
        if values:
            out[name] = values
    for name in (*FACET_KEYWORDS, *KEYWORDS):
        values = [str(v) for v in _values(doc.get(name))]
        if values:
            out[name] = values
    out["set_codes"] = [*out.get("set_codes", []), *map(str, _values(doc.get("set_aliases")))]
    for name in NUMBERS:
        value = doc.get(name)
        if value is not None:
            out[name] = float(value)
    released = doc.get("released_at")
    out["released_days"] = (date.fromisoformat(released) - _EPOCH).days if released else None
    _numeric_sort_keys(doc, out)
    _text_sort_keys(doc, out)
    out.pop("released_days")
    out["_source"] = orjson.dumps(compact(doc))
    return tantivy.Document.from_dict(out, schema)


def load_source(stored: tantivy.Document) -> dict[str, Any]:
    """The stored (compact) search document of a tantivy document."""
    source: dict[str, Any] = orjson.loads(stored["_source"][0])
    return source
