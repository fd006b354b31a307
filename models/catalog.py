"""The canonical catalog: games, sets, cards (oracle identity), prints and catalog SKUs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin
from models.types import BigId, JSONDoc, Money, StringList


class Game(Base):
    """A trading card game and the mechanics its cards carry."""

    __tablename__ = "games"

    id: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    publisher: Mapped[str] = mapped_column(sa.String(64))
    uses_mana_cost: Mapped[bool] = mapped_column(default=False)
    uses_colors: Mapped[bool] = mapped_column(default=False)
    uses_power_toughness: Mapped[bool] = mapped_column(default=False)
    uses_loyalty: Mapped[bool] = mapped_column(default=False)
    uses_hp: Mapped[bool] = mapped_column(default=False)
    uses_energy_types: Mapped[bool] = mapped_column(default=False)
    uses_retreat_cost: Mapped[bool] = mapped_column(default=False)
    uses_attribute: Mapped[bool] = mapped_column(default=False)
    uses_level_rank: Mapped[bool] = mapped_column(default=False)
    uses_atk_def: Mapped[bool] = mapped_column(default=False)
    uses_cost: Mapped[bool] = mapped_column(default=False)
    uses_counter: Mapped[bool] = mapped_column(default=False)
    uses_life: Mapped[bool] = mapped_column(default=False)


class CardSet(TimestampMixin, Base):
    """A set, expansion or product line; `code` is the canonical upper-case code."""

    __tablename__ = "card_sets"
    __table_args__ = (sa.UniqueConstraint("game_id", "code"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(sa.ForeignKey("games.id"))
    code: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(255))
    set_type: Mapped[str | None] = mapped_column(sa.String(64))
    series: Mapped[str | None] = mapped_column(sa.String(128))
    released_at: Mapped[date | None] = mapped_column(sa.Date)
    card_count: Mapped[int | None] = mapped_column(sa.Integer)
    printed_total: Mapped[int | None] = mapped_column(sa.Integer)
    #: Other codes people use for the set (e.g. Pokémon live-client codes), for synonyms.
    aliases: Mapped[list[str]] = mapped_column(StringList, default=list)
    external_ids: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    images: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    game_data: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))

    game: Mapped[Game] = relationship()


#: Sets by code whatever its case, with or without a game (lookups by set and number).
sa.Index("ix_card_sets_upper_code", sa.func.upper(CardSet.code))


class Card(TimestampMixin, Base):
    """Oracle identity: what is the same card across all its printings."""

    __tablename__ = "cards"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "oracle_key"),
        sa.Index("ix_cards_game_id_normalized_name", "game_id", "normalized_name"),
        # names without a game, `=` and `LIKE 'prefix%'` in any collation (lookups by name)
        sa.Index(
            "ix_cards_normalized_name",
            "normalized_name",
            postgresql_ops={"normalized_name": "varchar_pattern_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(sa.ForeignKey("games.id"))
    #: Per-game identity (MTG oracle_id, Yu-Gi-Oh! passcode, ...; see docs/etl.md).
    oracle_key: Mapped[str] = mapped_column(sa.String(128))
    name: Mapped[str] = mapped_column(sa.String(255))
    normalized_name: Mapped[str] = mapped_column(sa.String(255))
    #: Every face's name for multi-faced cards (searchable).
    face_names: Mapped[list[str]] = mapped_column(StringList, default=list)
    # type line parts
    type_line: Mapped[str | None] = mapped_column(sa.String(255))
    supertypes: Mapped[list[str]] = mapped_column(StringList, default=list)
    types: Mapped[list[str]] = mapped_column(StringList, default=list)
    subtypes: Mapped[list[str]] = mapped_column(StringList, default=list)
    rules_text: Mapped[str | None] = mapped_column(sa.Text)
    keywords: Mapped[list[str]] = mapped_column(StringList, default=list)
    # universal numeric stats: MTG power/toughness, Yu-Gi-Oh! ATK/DEF, One Piece power
    power: Mapped[int | None] = mapped_column(sa.Integer)
    defense: Mapped[int | None] = mapped_column(sa.Integer)
    # Magic
    mana_cost: Mapped[str | None] = mapped_column(sa.String(128))
    mana_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 1))
    colors: Mapped[list[str]] = mapped_column(StringList, default=list)
    color_identity: Mapped[list[str]] = mapped_column(StringList, default=list)
    power_text: Mapped[str | None] = mapped_column(sa.String(16))
    toughness_text: Mapped[str | None] = mapped_column(sa.String(16))
    loyalty: Mapped[str | None] = mapped_column(sa.String(16))
    # Pokémon
    hp: Mapped[int | None] = mapped_column(sa.Integer)
    retreat_cost: Mapped[int | None] = mapped_column(sa.Integer)
    energy_types: Mapped[list[str]] = mapped_column(StringList, default=list)
    evolves_from: Mapped[str | None] = mapped_column(sa.String(128))
    # Yu-Gi-Oh! (one attribute) and One Piece (one or two)
    attributes: Mapped[list[str]] = mapped_column(StringList, default=list)
    level: Mapped[int | None] = mapped_column(sa.Integer)
    rank: Mapped[int | None] = mapped_column(sa.Integer)
    link_rating: Mapped[int | None] = mapped_column(sa.Integer)
    atk: Mapped[int | None] = mapped_column(sa.Integer)
    def_: Mapped[int | None] = mapped_column("def", sa.Integer)
    # One Piece
    cost: Mapped[int | None] = mapped_column(sa.Integer)
    counter: Mapped[int | None] = mapped_column(sa.Integer)
    life: Mapped[int | None] = mapped_column(sa.Integer)
    game_data: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))

    game: Mapped[Game] = relationship()
    prints: Mapped[list[Print]] = relationship(back_populates="card")


class Print(TimestampMixin, Base):
    """One printing of a card: set, number, language and variant."""

    __tablename__ = "prints"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "print_key"),
        sa.UniqueConstraint("set_id", "sku_number", "language"),
        sa.Index("ix_prints_card_id", "card_id"),
        sa.Index("ix_prints_set_id_collector_number", "set_id", "collector_number"),
        sa.Index("ix_prints_tcgplayer_id", "tcgplayer_id"),
        sa.Index("ix_prints_cardmarket_id", "cardmarket_id"),
        sa.Index("ix_prints_scryfall_id", "scryfall_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(sa.ForeignKey("games.id"))
    card_id: Mapped[int] = mapped_column(sa.ForeignKey("cards.id", ondelete="CASCADE"))
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("card_sets.id"))
    #: Upstream identity of this printing (Scryfall id, pokemontcg id, ...).
    print_key: Mapped[str] = mapped_column(sa.String(128))
    collector_number: Mapped[str] = mapped_column(sa.String(32))
    #: Numeric part of the collector number, for ordering.
    number_sort: Mapped[int | None] = mapped_column(sa.Integer)
    sku_set: Mapped[str] = mapped_column(sa.String(48))
    sku_number: Mapped[str] = mapped_column(sa.String(48))
    language: Mapped[str] = mapped_column(sa.String(3))
    rarity: Mapped[str | None] = mapped_column(sa.String(64))
    rarity_code: Mapped[str | None] = mapped_column(sa.String(16))
    artist: Mapped[str | None] = mapped_column(sa.String(255))
    #: SKU finishes this print really exists in (e.g. NORMAL, FOIL).
    finishes: Mapped[list[str]] = mapped_column(StringList, default=list)
    variation: Mapped[str | None] = mapped_column(sa.String(64))
    frame: Mapped[str | None] = mapped_column(sa.String(32))
    is_promo: Mapped[bool] = mapped_column(default=False)
    is_digital: Mapped[bool] = mapped_column(default=False)
    released_at: Mapped[date | None] = mapped_column(sa.Date)
    printed_name: Mapped[str | None] = mapped_column(sa.String(255))
    flavor_text: Mapped[str | None] = mapped_column(sa.Text)
    images: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    legalities: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    tcgplayer_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    cardmarket_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    scryfall_id: Mapped[str | None] = mapped_column(sa.String(36))
    pokemon_tcg_id: Mapped[str | None] = mapped_column(sa.String(64))
    ygoprodeck_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    game_data: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))
    #: The image in our own storage (written by the image mirror, `images/`): the URL results
    #: show, the `srcset` of its renditions, and the blurhash shown while it loads.
    image_mirror_url: Mapped[str | None] = mapped_column(sa.String(1024))
    image_mirror_srcset: Mapped[str | None] = mapped_column(sa.Text)
    image_blurhash: Mapped[str | None] = mapped_column(sa.String(64))

    card: Mapped[Card] = relationship(back_populates="prints")
    card_set: Mapped[CardSet] = relationship()
    skus: Mapped[list[CatalogSku]] = relationship(back_populates="print")


class CatalogSku(TimestampMixin, Base):
    """A sellable unit: print x condition x finish (x grade), with marketplace aggregates."""

    __tablename__ = "catalog_skus"
    __table_args__ = (
        sa.Index("ix_catalog_skus_print_id", "print_id"),
        sa.Index("ix_catalog_skus_available", "is_available_b2c", "is_available_c2c"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(sa.String(200), unique=True)
    print_id: Mapped[int] = mapped_column(sa.ForeignKey("prints.id", ondelete="CASCADE"))
    game_code: Mapped[str] = mapped_column(sa.String(16))
    set_code: Mapped[str] = mapped_column(sa.String(48))
    number: Mapped[str] = mapped_column(sa.String(48))
    language: Mapped[str] = mapped_column(sa.String(3))
    condition: Mapped[str] = mapped_column(sa.String(8))
    finish: Mapped[str] = mapped_column(sa.String(16))
    grade_company: Mapped[str | None] = mapped_column(sa.String(8))
    grade_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    # marketplace aggregates (maintained by marketplace events)
    is_available_b2c: Mapped[bool] = mapped_column(default=False)
    is_available_c2c: Mapped[bool] = mapped_column(default=False)
    vendor_count: Mapped[int] = mapped_column(default=0)
    consumer_seller_count: Mapped[int] = mapped_column(default=0)
    total_listings: Mapped[int] = mapped_column(default=0)
    total_quantity: Mapped[int] = mapped_column(default=0)
    min_price: Mapped[Decimal | None] = mapped_column(Money)
    max_price: Mapped[Decimal | None] = mapped_column(Money)
    avg_price: Mapped[Decimal | None] = mapped_column(Money)
    median_price: Mapped[Decimal | None] = mapped_column(Money)
    market_price: Mapped[Decimal | None] = mapped_column(Money)
    price_trend: Mapped[str | None] = mapped_column(sa.String(8))
    price_updated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    # popularity counters
    view_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    search_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    sale_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    wishlist_count: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    #: The counters weighted as the search documents weigh them, as of the last popularity
    #: flush (`marketplace.popularity`).
    popularity_score: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")

    print: Mapped[Print] = relationship(back_populates="skus")
