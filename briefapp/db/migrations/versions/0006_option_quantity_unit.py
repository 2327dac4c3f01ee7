"""What an option's quantity counts: ``brief_option`` gains ``quantity_unit``
("rounds", "fire units"), empty for the options stored before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('brief_option') as batch_op:
        batch_op.add_column(
            sa.Column('quantity_unit', sa.String(length=40), server_default='', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('brief_option') as batch_op:
        batch_op.drop_column('quantity_unit')
