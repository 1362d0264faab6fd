"""Source extras: what an import found about a child that cptrack does not model.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:32:19.799984
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('source_extras',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('element', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_source_extras_child_id_children'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_extras'))
    )
    with op.batch_alter_table('source_extras', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_extras_child_id'), ['child_id'], unique=False)
        batch_op.create_index('uq_source_extras_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('source_extras', schema=None) as batch_op:
        batch_op.drop_index('uq_source_extras_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_source_extras_child_id'))

    op.drop_table('source_extras')
