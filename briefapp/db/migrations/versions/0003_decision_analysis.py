"""Decision analysis: criteria, assessments of options against constraints, scores.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 05:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _brief_columns(table: str) -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('brief_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
    ]


def _brief_constraints(table: str, unique: tuple[str, ...]) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(['brief_id'], ['brief.id'], name=op.f(f'fk_{table}_brief_id_brief'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
        sa.UniqueConstraint('brief_id', *unique, name=op.f(f'uq_{table}_brief_id_{"_".join(unique)}')),
    ]


def upgrade() -> None:
    op.create_table('brief_criterion',
    *_brief_columns('brief_criterion'),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    *_brief_constraints('brief_criterion', ('key',)),
    )
    op.create_table('brief_assessment',
    *_brief_columns('brief_assessment'),
    sa.Column('option_key', sa.String(length=16), nullable=False),
    sa.Column('constraint_key', sa.String(length=16), nullable=False),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('source_key', sa.String(length=16), nullable=True),
    *_brief_constraints('brief_assessment', ('option_key', 'constraint_key')),
    )
    op.create_table('brief_score',
    *_brief_columns('brief_score'),
    sa.Column('option_key', sa.String(length=16), nullable=False),
    sa.Column('criterion_key', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    *_brief_constraints('brief_score', ('option_key', 'criterion_key')),
    )
    for table in ('brief_criterion', 'brief_assessment', 'brief_score'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_brief_id'), ['brief_id'], unique=False)


def downgrade() -> None:
    for table in ('brief_score', 'brief_assessment', 'brief_criterion'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_brief_id'))
        op.drop_table(table)
