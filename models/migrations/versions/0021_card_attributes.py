"""cards.attributes: a list (One Piece cards have one or two attributes), replacing the string
`attribute` that held `Slash/Strike`

Revision ID: 0021_card_attributes
Revises: 0020_marketplace
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0021_card_attributes"
down_revision: str | None = "0020_marketplace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STRING_LIST = sa.JSON().with_variant(postgresql.ARRAY(sa.Text()), "postgresql")
#: The separator the string column used between two attributes.
SEPARATOR = "/"
CARDS = sa.table(
    "cards",
    sa.column("id", sa.BigInteger()),
    sa.column("attribute", sa.String()),
    sa.column("attributes", STRING_LIST),
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    empty = sa.text("'{}'::text[]") if _postgres() else sa.text("'[]'")
    op.add_column(
        "cards", sa.Column("attributes", STRING_LIST, nullable=False, server_default=empty)
    )
    if _postgres():
        op.execute(
            "UPDATE cards SET attributes = string_to_array(attribute, '/')"
            " WHERE attribute IS NOT NULL"
        )
        # no default, like the other list columns (SQLite keeps it: dropping it rebuilds tables)
        op.alter_column("cards", "attributes", server_default=None)
    else:
        conn = op.get_bind()
        rows = conn.execute(
            sa.select(CARDS.c.id, CARDS.c.attribute).where(CARDS.c.attribute.is_not(None))
        ).all()
        if rows:
            conn.execute(
                CARDS.update().where(CARDS.c.id == sa.bindparam("_id")),
                [{"_id": i, "attributes": a.split(SEPARATOR)} for i, a in rows],
            )
    op.execute("ALTER TABLE cards DROP COLUMN attribute")


def downgrade() -> None:
    op.add_column("cards", sa.Column("attribute", sa.String(length=32), nullable=True))
    if _postgres():
        op.execute("UPDATE cards SET attribute = NULLIF(array_to_string(attributes, '/'), '')")
    else:
        conn = op.get_bind()
        rows = conn.execute(sa.select(CARDS.c.id, CARDS.c.attributes)).all()
        updates = [{"_id": i, "attribute": SEPARATOR.join(a)} for i, a in rows if a]
        if updates:
            conn.execute(CARDS.update().where(CARDS.c.id == sa.bindparam("_id")), updates)
    op.execute("ALTER TABLE cards DROP COLUMN attributes")
