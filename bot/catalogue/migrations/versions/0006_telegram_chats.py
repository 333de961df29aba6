"""telegram chats: the keyed sender id of a chat and the chat id, kept server-side

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 01:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'telegram_chats',
        sa.Column('sender_id', sa.String(length=40), nullable=False),
        sa.Column('chat_id', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sender_id'),
    )


def downgrade() -> None:
    op.drop_table('telegram_chats')
