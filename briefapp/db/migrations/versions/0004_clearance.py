"""Clearance: the chain of people, versions, the audit log, comments, issued files.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 07:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_TABLES = ('brief_member', 'brief_version', 'brief_event', 'brief_comment', 'brief_issue', 'brief_edit')


def _keys(table: str) -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('brief_id', sa.Integer(), nullable=False),
    ]


def _constraints(table: str, *unique: str) -> list[sa.Constraint]:
    made: list[sa.Constraint] = [
        sa.ForeignKeyConstraint(['brief_id'], ['brief.id'], name=op.f(f'fk_{table}_brief_id_brief'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]
    if unique:
        made.append(sa.UniqueConstraint('brief_id', *unique, name=op.f(f'uq_{table}_brief_id_{"_".join(unique)}')))
    return made


def upgrade() -> None:
    op.create_table('brief_member',
    *_keys('brief_member'),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    *_constraints('brief_member'),
    )
    op.create_table('brief_version',
    *_keys('brief_version'),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    *_constraints('brief_version', 'number'),
    )
    op.create_table('brief_event',
    *_keys('brief_event'),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    *_constraints('brief_event'),
    )
    op.create_table('brief_comment',
    *_keys('brief_comment'),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('target_kind', sa.String(length=20), nullable=False),
    sa.Column('target_key', sa.String(length=50), nullable=False),
    sa.Column('author', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('comment_class', sa.String(length=20), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('resolved_by', sa.Text(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['brief_comment.id'], name=op.f('fk_brief_comment_parent_id_brief_comment'), ondelete='CASCADE'),
    *_constraints('brief_comment'),
    )
    op.create_table('brief_issue',
    *_keys('brief_issue'),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('template', sa.Text(), nullable=False),
    sa.Column('issued_by', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    *_constraints('brief_issue'),
    )
    op.create_table('brief_edit',
    *_keys('brief_edit'),
    sa.Column('part', sa.String(length=40), nullable=False),
    sa.Column('editor', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    *_constraints('brief_edit', 'part', 'editor'),
    )
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_brief_id'), ['brief_id'], unique=False)
    with op.batch_alter_table('brief_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_comment_parent_id'), ['parent_id'], unique=False)
    for table in ('brief_version', 'brief_issue'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_digest'), ['digest'], unique=False)
    with op.batch_alter_table('brief_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_brief_issue_fingerprint'), ['fingerprint'], unique=False)


def downgrade() -> None:
    for table in reversed(_TABLES):
        op.drop_table(table)
