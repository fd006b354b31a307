"""Reading the catalog for the index: one streamed query, prints -> cards -> sets, with the SKU
summary from a grouped subquery over catalog_skus. Never loads the catalog into memory."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from indexer.analysis import set_code_synonyms
from indexer.documents import POPULARITY_WEIGHTS, SkuSummary, build_document
from models import Card, CardSet, CatalogSku, Print
from models.sku import CONDITIONS, FINISHES
from models.types import StringList

#: Rows fetched per round trip while streaming.
YIELD_PER = 2000
#: Card and set parts of documents kept while streaming (see build_document's `memo`).
MEMO_LIMIT = 100_000
#: Allocations between two passes of the cyclic garbage collector while streaming.
GC_THRESHOLD = 100_000
_SKIP = {"game_data", "content_hash", "created_at", "updated_at"}
PRINT_COLUMNS = [
    c for c in Print.__table__.columns if c.key not in _SKIP | {"images", "legalities"}
]
#: Formats a print is legal (or restricted) in, computed in SQL on PostgreSQL (decoding every
#: `legalities` document in Python is a good part of a rebuild's time); elsewhere decoded.
PG_LEGAL_FORMATS: sa.ColumnClause[Any] = sa.literal_column(
    "ARRAY(SELECT f.key FROM jsonb_each_text(prints.legalities) AS f"
    " WHERE f.value IN ('legal', 'restricted') ORDER BY f.key)"
)
#: The one image a result shows, read in SQL rather than decoding every `images` document.
IMAGE_URL = sa.func.coalesce(
    Print.images["small"].as_string(),
    Print.images["normal"].as_string(),
    Print.images["large"].as_string(),
)
_OTHER_PRINT = aliased(Print)
#: The print that stands for its card when cards are counted (indexer/grain.py): the lowest id.
CARD_HEAD = Print.id == (
    sa.select(sa.func.min(_OTHER_PRINT.id))
    .where(_OTHER_PRINT.card_id == Print.card_id)
    .scalar_subquery()
)
CARD_COLUMNS = [c for c in Card.__table__.columns if c.key not in _SKIP | {"id", "game_id"}]
SET_COLUMNS = [
    CardSet.code,
    CardSet.name,
    CardSet.aliases,
    CardSet.released_at,
    CardSet.set_type,
    CardSet.series,
    CardSet.printed_total,
]


def _flag(condition: sa.ColumnExpressionArgument[bool]) -> sa.ColumnElement[int]:
    return sa.func.max(sa.case((condition, 1), else_=0))


#: Print ids to restrict a query to: a list, or the expanding bind parameter of a cached statement.
PrintIds = Sequence[int] | sa.BindParameter[Any]

#: A statement of any number of columns.
AnySelect = sa.Select[*tuple[Any, ...]]


def sku_summary_query(print_ids: PrintIds | None = None) -> sa.Subquery:
    """One row per print: what its SKUs offer (see indexer.documents.SkuSummary)."""
    sku = CatalogSku
    available = sa.or_(sku.is_available_b2c, sku.is_available_c2c)
    popularity = sum(getattr(sku, name) * weight for name, weight in POPULARITY_WEIGHTS.items())
    columns = [
        sku.print_id.label("print_id"),
        sa.func.count().label("sku_count"),
        *[_flag(sa.and_(available, sku.condition == c)).label(f"cond_{c}") for c in CONDITIONS],
        *[_flag(sa.and_(available, sku.finish == f)).label(f"fin_{f}") for f in FINISHES],
        sa.func.min(sa.case((available, sku.min_price))).label("min_price"),
        sa.func.max(sa.case((available, sku.max_price))).label("max_price"),
        sa.func.min(sku.market_price).label("market_price"),
        _flag(sku.is_available_b2c).label("b2c"),
        _flag(sku.is_available_c2c).label("c2c"),
        sa.func.sum(sku.total_listings).label("total_listings"),
        sa.func.sum(sku.total_quantity).label("total_quantity"),
        sa.func.sum(sku.vendor_count).label("vendor_count"),
        sa.func.sum(sku.consumer_seller_count).label("consumer_seller_count"),
        sa.func.sum(popularity).label("popularity"),
        sa.func.max(sku.currency).label("currency"),
        sa.func.max(sku.price_updated_at).label("price_updated_at"),
    ]
    stmt = sa.select(*columns).group_by(sku.print_id)
    if print_ids is not None:
        stmt = stmt.where(sku.print_id.in_(print_ids))
    return stmt.subquery("sku_summary")


def _plain(
    column: sa.ColumnElement[Any] | QueryableAttribute[Any], dialect: str
) -> sa.ColumnElement[Any] | QueryableAttribute[Any]:
    """On PostgreSQL, text[] arrives as a list already: skip SQLAlchemy's per-item processing."""
    if dialect == "postgresql" and column.type is StringList:
        return sa.type_coerce(column, sa.types.NullType())
    return column


def catalog_query(
    *,
    print_ids: PrintIds | None = None,
    id_range: tuple[int, int] | None = None,
    dialect: str = "default",
) -> AnySelect:
    """The one query a rebuild streams (or a drain runs for `print_ids`), ordered by print id."""
    skus = sku_summary_query(print_ids)
    sku_columns = [c.label(f"k__{c.key}") for c in skus.columns if c.key != "print_id"]
    stmt = (
        sa.select(
            *[_plain(c, dialect).label(f"p__{c.key}") for c in PRINT_COLUMNS],
            IMAGE_URL.label("p__image_url"),
            CARD_HEAD.label("p__card_head"),
            (
                sa.type_coerce(PG_LEGAL_FORMATS, sa.types.NullType()).label("p__legal_formats")
                if dialect == "postgresql"
                else Print.legalities.label("p__legalities")
            ),
            *[_plain(c, dialect).label(f"c__{c.key}") for c in CARD_COLUMNS],
            *[_plain(c, dialect).label(f"s__{c.key}") for c in SET_COLUMNS],
            *sku_columns,
        )
        .select_from(Print)
        .join(Card, Card.id == Print.card_id)
        .join(CardSet, CardSet.id == Print.set_id)
        .outerjoin(skus, skus.c.print_id == Print.id)
        .order_by(Print.id)
    )
    if print_ids is not None:
        stmt = stmt.where(Print.id.in_(print_ids))
    if id_range is not None:
        stmt = stmt.where(Print.id >= id_range[0], Print.id < id_range[1])
    return stmt


def summary_from_row(values: dict[str, Any]) -> SkuSummary | None:
    if not values.get("sku_count"):
        return None
    return SkuSummary(
        sku_count=values["sku_count"],
        conditions=[c for c in CONDITIONS if values.get(f"cond_{c}")],
        finishes=[f for f in FINISHES if values.get(f"fin_{f}")],
        min_price=values.get("min_price"),
        max_price=values.get("max_price"),
        market_price=values.get("market_price"),
        is_available_b2c=bool(values.get("b2c")),
        is_available_c2c=bool(values.get("c2c")),
        total_listings=int(values.get("total_listings") or 0),
        total_quantity=int(values.get("total_quantity") or 0),
        vendor_count=int(values.get("vendor_count") or 0),
        consumer_seller_count=int(values.get("consumer_seller_count") or 0),
        popularity=int(values.get("popularity") or 0),
        currency=values.get("currency"),
        price_updated_at=values.get("price_updated_at"),
    )


class _RowSplitter:
    """Splits result rows into the builder's four mappings (column keys worked out once)."""

    def __init__(self, keys: Iterable[str]) -> None:
        names: dict[str, list[str]] = {"p": [], "c": [], "s": [], "k": []}
        order = []
        for key in keys:
            prefix, _, name = key.partition("__")
            names[prefix].append(name)
            order.append(prefix)
        if order != sorted(order, key="pcsk".index):
            raise ValueError("catalog columns must come grouped: print, card, set, SKUs")
        bounds, start = [], 0
        for prefix in "pcsk":
            bounds.append((names[prefix], start, start + len(names[prefix])))
            start += len(names[prefix])
        self.bounds = bounds
        self.memo: dict[tuple[str, int], dict[str, Any]] = {}

    def document(self, row: Sequence[Any]) -> dict[str, Any]:
        p, c, s, k = (dict(zip(names, row[a:b], strict=True)) for names, a, b in self.bounds)
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
        return build_document(
            print_=p, card=c, card_set=s, skus=summary_from_row(k), memo=self.memo
        )


def document_from_row(row: sa.Row[Any]) -> dict[str, Any]:
    return _RowSplitter(row._mapping.keys()).document(row)


@contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Documents are acyclic and freed by reference counting; the cyclic collector, run every
    700 allocations by default, would rescan every live object (rows, the memo) over and over
    and cost about as much as building the documents. Run it rarely while streaming."""
    before = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _connection(bind: Session | Connection) -> Connection:
    return bind.connection() if isinstance(bind, Session) else bind


def stream_documents(
    bind: Session | Connection, *, id_range: tuple[int, int] | None = None
) -> Iterator[dict[str, Any]]:
    """Every print's document (or those with ids in `id_range`), streamed in print id order."""
    conn = _connection(bind)
    result = conn.execution_options(stream_results=True, yield_per=YIELD_PER).execute(
        catalog_query(id_range=id_range, dialect=conn.dialect.name)
    )
    splitter = _RowSplitter(result.keys())
    try:
        with fewer_gc_passes():
            for row in result:
                yield splitter.document(row)
    finally:
        result.close()


@lru_cache(maxsize=4)
def _documents_statement(dialect: str) -> AnySelect:
    """`catalog_query` for a list of print ids, built once per dialect: building its hundred
    labelled columns costs more than running it (about 8 of 11 ms on PostgreSQL)."""
    return catalog_query(print_ids=sa.bindparam("print_ids", expanding=True), dialect=dialect)


def documents_for(
    bind: Session | Connection, print_ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """Documents of the given prints that exist (a deleted print is simply absent)."""
    ids = sorted(set(print_ids))
    if not ids:
        return {}
    conn = _connection(bind)
    result = conn.execute(_documents_statement(conn.dialect.name), {"print_ids": ids})
    splitter = _RowSplitter(result.keys())
    return {doc["print_id"]: doc for doc in map(splitter.document, result)}


def count_prints(bind: Session | Connection, *, id_range: tuple[int, int] | None = None) -> int:
    stmt = sa.select(sa.func.count()).select_from(Print)
    if id_range is not None:
        stmt = stmt.where(Print.id >= id_range[0], Print.id < id_range[1])
    return _connection(bind).execute(stmt).scalar_one()


def print_id_bounds(bind: Session | Connection) -> tuple[int, int]:
    """(min id, max id + 1) of prints, (0, 0) for an empty catalog."""
    low, high = (
        _connection(bind).execute(sa.select(sa.func.min(Print.id), sa.func.max(Print.id))).one()
    )
    return (0, 0) if low is None else (low, high + 1)


def synonyms_from_catalog(bind: Session | Connection) -> list[str]:
    """Set-code synonym rules from `card_sets.aliases`, generated at each rebuild."""
    rows = _connection(bind).execute(sa.select(CardSet.code, CardSet.aliases))
    return set_code_synonyms((code, aliases or []) for code, aliases in rows)
