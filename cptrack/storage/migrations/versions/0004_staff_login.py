"""Staff logins: the name each person signs in with, unique, mapping a login to its record.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 20:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_login'), ['login'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_login'))
        batch_op.drop_column('login')
