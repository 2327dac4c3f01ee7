"""Unique references and ids never reused: the brief table gains
``reference_key`` (unique) and is rebuilt with AUTOINCREMENT.

References that several briefs shared before are told apart: the brief with
the lowest id keeps its reference, each later one gets the first free number,
``MOD-2026-031 (2)``, ``MOD-2026-031 (3)``. Empty references stay empty.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:30:00.000000
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _key(reference: str) -> str | None:
    # As ``validation.reference_key`` was when this migration was written.
    key = unicodedata.normalize('NFC', reference).strip().casefold()
    return key or None


def _told_apart(rows: list[tuple[int, str]]) -> dict[int, tuple[str, str | None]]:
    """Each brief's reference and key once no two share a key."""
    every = {_key(reference) for _id, reference in rows}
    used: set[str] = set()
    result: dict[int, tuple[str, str | None]] = {}
    for brief_id, reference in rows:
        key = _key(reference)
        if key is not None and key in used:
            number = 2
            while _key(f'{reference.strip()} ({number})') in every | used:
                number += 1
            reference = f'{reference.strip()} ({number})'
            key = _key(reference)
        if key is not None:
            used.add(key)
        result[brief_id] = (reference, key)
    return result


def upgrade() -> None:
    # Foreign keys are off here (``migrate._run_upgrade``): rebuilding the
    # parent table must not cascade-delete the rows of its children.
    with op.batch_alter_table(
        'brief', recreate='always', table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.add_column(sa.Column('reference_key', sa.String(length=500), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_brief_reference_key'), ['reference_key'])
    bind = op.get_bind()
    rows = [
        (row.id, row.reference)
        for row in bind.execute(sa.text('SELECT id, reference FROM brief ORDER BY id'))
    ]
    update = sa.text('UPDATE brief SET reference = :reference, reference_key = :key WHERE id = :id')
    for brief_id, (reference, key) in _told_apart(rows).items():
        bind.execute(update, {'id': brief_id, 'reference': reference, 'key': key})


def downgrade() -> None:
    with op.batch_alter_table('brief', recreate='always') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_brief_reference_key'), type_='unique')
        batch_op.drop_column('reference_key')
