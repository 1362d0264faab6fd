"""Conference venue name, date set and invitations requested; core group plan distributed.

The checks these feed: the same venue for the life of the plan (000), invitations requested
by the next working day after the date is set (003 §2.11), and the plan distributed within
5 days of each core group (003 §6.11).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 20:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('date_set_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('invitations_requested', sa.Date(), nullable=True))
    with op.batch_alter_table('core_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_distributed', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('core_groups', schema=None) as batch_op:
        batch_op.drop_column('plan_distributed')
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_column('invitations_requested')
        batch_op.drop_column('date_set_on')
        batch_op.drop_column('venue_name')
