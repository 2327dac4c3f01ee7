"""Decision details: the reason for the deadline, key points, next steps, the recommended option.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 02:51:06.401428
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('key_points', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('next_steps', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('recommended_option', sa.String(length=16), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.drop_column('recommended_option')
        batch_op.drop_column('next_steps')
        batch_op.drop_column('key_points')
        batch_op.drop_column('deadline_reason')

