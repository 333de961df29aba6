"""tickets: the young person's answer to the one-question satisfaction check after closing

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch: SQLite cannot add a column with ALTER in every case (the same code for PostgreSQL)
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('satisfaction', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('satisfaction_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('satisfaction_at')
        batch.drop_column('satisfaction')
