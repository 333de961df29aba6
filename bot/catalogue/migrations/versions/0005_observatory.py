"""observatory: daily counts, days computed, review queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'observatory_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('metric', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('key2', sa.String(length=120), nullable=False),
        sa.Column('key3', sa.String(length=120), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_observatory_counts_day_metric', 'observatory_counts',
                    ['day', 'metric'], unique=False)
    op.create_table(
        'observatory_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.Column('final', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('day'),
    )
    op.create_table(
        'observatory_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('text', sa.String(length=400), nullable=False),
        sa.Column('predicted_intent', sa.String(length=60), nullable=False),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('occurrences', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=True),
        sa.Column('labelled_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('day', 'text', name='uq_observatory_review_day_text'),
    )
    op.create_index('ix_observatory_review_day', 'observatory_review', ['day'], unique=False)
    op.create_index('ix_observatory_review_status', 'observatory_review', ['status', 'day'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_observatory_review_status', table_name='observatory_review')
    op.drop_index('ix_observatory_review_day', table_name='observatory_review')
    op.drop_table('observatory_review')
    op.drop_table('observatory_days')
    op.drop_index('ix_observatory_counts_day_metric', table_name='observatory_counts')
    op.drop_table('observatory_counts')
