"""Canonical catalog: configuration, database, ORM models, SKU format and migrations."""

from models.base import Base
from models.catalog import Card, CardSet, CatalogSku, Game, Print
from models.etl import (
    BronzeRecord,
    EtlCheckpoint,
    EtlJob,
    EtlPendingRow,
    IndexOutbox,
    QuarantinedRecord,
)

__all__ = [
    "Base",
    "BronzeRecord",
    "Card",
    "CardSet",
    "CatalogSku",
    "EtlCheckpoint",
    "EtlJob",
    "EtlPendingRow",
    "Game",
    "IndexOutbox",
    "Print",
    "QuarantinedRecord",
]
