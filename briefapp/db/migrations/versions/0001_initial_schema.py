"""Initial schema: briefs with their countries, options, constraints and sources.

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 01:39:58.185674
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brief',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=500), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('classification', sa.String(length=500), nullable=False),
    sa.Column('brief_type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('addressee', sa.Text(), nullable=False),
    sa.Column('drafter', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('decision_sought', sa.Text(), nullable=False),
    sa.Column('background', sa.Text(), nullable=False),
    sa.Column('considerations', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief'))
    )
    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.create_index('ix_brief_list', ['updated_at', 'id', 'reference', 'title', 'status', 'classification'], unique=False)

    op.create_table('brief_constraint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('hard', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['brief_id'], ['brief.id'], name=op.f('fk_brief_constraint_brief_id_brief'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_constraint')),
    sa.UniqueConstraint('brief_id', 'key', name=op.f('uq_brief_constraint_brief_id_key'))
    )
    with op.batch_alter_table('brief_constraint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_constraint_brief_id'), ['brief_id'], unique=False)

    op.create_table('brief_country',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['brief_id'], ['brief.id'], name=op.f('fk_brief_country_brief_id_brief'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_country'))
    )
    with op.batch_alter_table('brief_country', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_country_brief_id'), ['brief_id'], unique=False)

    op.create_table('brief_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('supplier', sa.String(length=2), nullable=True),
    sa.Column('cost_amount', sa.String(length=40), nullable=True),
    sa.Column('cost_currency', sa.String(length=3), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('delivery_months', sa.Integer(), nullable=True),
    sa.Column('advantages', sa.JSON(), nullable=False),
    sa.Column('disadvantages', sa.JSON(), nullable=False),
    sa.Column('risks', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['brief_id'], ['brief.id'], name=op.f('fk_brief_option_brief_id_brief'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_option')),
    sa.UniqueConstraint('brief_id', 'key', name=op.f('uq_brief_option_brief_id_key'))
    )
    with op.batch_alter_table('brief_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_option_brief_id'), ['brief_id'], unique=False)

    op.create_table('brief_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brief_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('publisher', sa.Text(), nullable=False),
    sa.Column('author', sa.Text(), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['brief_id'], ['brief.id'], name=op.f('fk_brief_source_brief_id_brief'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brief_source')),
    sa.UniqueConstraint('brief_id', 'key', name=op.f('uq_brief_source_brief_id_key'))
    )
    with op.batch_alter_table('brief_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_source_brief_id'), ['brief_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('brief_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_source_brief_id'))

    op.drop_table('brief_source')
    with op.batch_alter_table('brief_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_option_brief_id'))

    op.drop_table('brief_option')
    with op.batch_alter_table('brief_country', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_country_brief_id'))

    op.drop_table('brief_country')
    with op.batch_alter_table('brief_constraint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_brief_constraint_brief_id'))

    op.drop_table('brief_constraint')
    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.drop_index('ix_brief_list')

    op.drop_table('brief')
