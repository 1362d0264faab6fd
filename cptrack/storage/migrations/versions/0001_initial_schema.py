"""Initial schema: every record kind in cptrack.domain.models, and the audit log.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 06:15:37.939839
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user', sa.String(length=120), nullable=False),
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('record_id', sa.String(length=60), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_log_table_record', ['table_name', 'record_id'], unique=False)

    op.create_table('settings',
    sa.Column('id', sa.String(length=60), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settings'))
    )
    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.create_index('uq_settings_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('teams',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams'))
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_index('uq_teams_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('staff',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_staff_team_id_teams'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_team_id'), ['team_id'], unique=False)
        batch_op.create_index('uq_staff_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('children',
    sa.Column('id', sa.String(length=60), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('given_name', sa.String(length=200), nullable=False),
    sa.Column('family_name', sa.String(length=200), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('expected_date_of_delivery', sa.Date(), nullable=True),
    sa.Column('date_of_death', sa.Date(), nullable=True),
    sa.Column('sex', sa.String(length=40), nullable=False),
    sa.Column('ethnicity', sa.String(length=40), nullable=False),
    sa.Column('disability', sa.Boolean(), nullable=True),
    sa.Column('first_language', sa.String(length=200), nullable=False),
    sa.Column('interpreter_needed', sa.Boolean(), nullable=False),
    sa.Column('parent_learning_disability', sa.Boolean(), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('postcode', sa.String(length=200), nullable=True),
    sa.Column('family_id', sa.String(length=200), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('social_worker', sa.String(length=200), nullable=True),
    sa.Column('upn', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['staff.id'], name=op.f('fk_children_chair_id_staff'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_children_team_id_teams'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_children_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_family_id'), ['family_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_team_id'), ['team_id'], unique=False)
        batch_op.create_index('uq_children_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('cin_episodes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('referral_date', sa.Date(), nullable=False),
    sa.Column('referral_nfa', sa.Boolean(), nullable=False),
    sa.Column('closure_date', sa.Date(), nullable=True),
    sa.Column('reason_for_closure', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_cin_episodes_child_id_children'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cin_episodes'))
    )
    with op.batch_alter_table('cin_episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cin_episodes_child_id'), ['child_id'], unique=False)
        batch_op.create_index('uq_cin_episodes_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('strategy_discussions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('s47_initiated', sa.Boolean(), nullable=False),
    sa.Column('agencies', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_strategy_discussions_child_id_children'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategy_discussions'))
    )
    with op.batch_alter_table('strategy_discussions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategy_discussions_child_id'), ['child_id'], unique=False)
        batch_op.create_index('uq_strategy_discussions_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('cin_plans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_cin_plans_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['episode_id'], ['cin_episodes.id'], name=op.f('fk_cin_plans_episode_id_cin_episodes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cin_plans'))
    )
    with op.batch_alter_table('cin_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cin_plans_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cin_plans_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index('uq_cin_plans_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('cp_plans',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('initial_category', sa.String(length=40), nullable=False),
    sa.Column('latest_category', sa.String(length=40), nullable=False),
    sa.Column('previous_plans', sa.Integer(), nullable=False),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.Column('pre_birth', sa.Boolean(), nullable=False),
    sa.Column('visit_frequency_wd', sa.Integer(), nullable=True),
    sa.Column('core_group_frequency_wd', sa.Integer(), nullable=True),
    sa.Column('contingency_plan', sa.Text(), nullable=True),
    sa.Column('transferred_in_from', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_cp_plans_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['episode_id'], ['cin_episodes.id'], name=op.f('fk_cp_plans_episode_id_cin_episodes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cp_plans'))
    )
    with op.batch_alter_table('cp_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cp_plans_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cp_plans_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index('uq_cp_plans_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('s47_enquiries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=True),
    sa.Column('strategy_discussion_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('icpc_target', sa.Date(), nullable=True),
    sa.Column('icpc_not_required', sa.Boolean(), nullable=False),
    sa.Column('completed_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_s47_enquiries_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['episode_id'], ['cin_episodes.id'], name=op.f('fk_s47_enquiries_episode_id_cin_episodes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['strategy_discussion_id'], ['strategy_discussions.id'], name=op.f('fk_s47_enquiries_strategy_discussion_id_strategy_discussions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_s47_enquiries'))
    )
    with op.batch_alter_table('s47_enquiries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_s47_enquiries_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_s47_enquiries_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_s47_enquiries_strategy_discussion_id'), ['strategy_discussion_id'], unique=False)
        batch_op.create_index('uq_s47_enquiries_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('conferences',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('s47_id', sa.Integer(), nullable=True),
    sa.Column('meeting_ref', sa.String(length=200), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_date', sa.Date(), nullable=False),
    sa.Column('scheduled_time', sa.Time(), nullable=True),
    sa.Column('held_date', sa.Date(), nullable=True),
    sa.Column('stood_down', sa.Boolean(), nullable=False),
    sa.Column('stood_down_reason', sa.Text(), nullable=True),
    sa.Column('bridging_plan', sa.Text(), nullable=True),
    sa.Column('quorate', sa.Boolean(), nullable=True),
    sa.Column('venue', sa.String(length=40), nullable=True),
    sa.Column('split_conference', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('dissent', sa.Boolean(), nullable=False),
    sa.Column('dissent_detail', sa.Text(), nullable=True),
    sa.Column('out_of_timescale_reason', sa.Text(), nullable=True),
    sa.Column('participation', sa.String(length=40), nullable=True),
    sa.Column('worried_about', sa.Text(), nullable=True),
    sa.Column('working_well', sa.Text(), nullable=True),
    sa.Column('child_views', sa.Text(), nullable=True),
    sa.Column('needs_to_happen', sa.Text(), nullable=True),
    sa.Column('danger_statements', sa.Text(), nullable=True),
    sa.Column('safety_goals', sa.Text(), nullable=True),
    sa.Column('core_group_members', sa.Text(), nullable=True),
    sa.Column('first_core_group_date', sa.Date(), nullable=True),
    sa.Column('next_review_date', sa.Date(), nullable=True),
    sa.Column('visit_frequency_wd', sa.Integer(), nullable=True),
    sa.Column('contingency_plan', sa.Text(), nullable=True),
    sa.Column('decisions_distributed', sa.Date(), nullable=True),
    sa.Column('plan_distributed', sa.Date(), nullable=True),
    sa.Column('minutes_distributed', sa.Date(), nullable=True),
    sa.Column('birth_arrangements_distributed', sa.Date(), nullable=True),
    sa.Column('feedback_sought', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['staff.id'], name=op.f('fk_conferences_chair_id_staff'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_conferences_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['cp_plans.id'], name=op.f('fk_conferences_plan_id_cp_plans'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['s47_id'], ['s47_enquiries.id'], name=op.f('fk_conferences_s47_id_s47_enquiries'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conferences'))
    )
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conferences_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conferences_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conferences_meeting_ref'), ['meeting_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_conferences_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conferences_s47_id'), ['s47_id'], unique=False)
        batch_op.create_index('uq_conferences_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('core_groups',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('meeting_ref', sa.String(length=200), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('social_worker_attended', sa.Boolean(), nullable=True),
    sa.Column('plan_updated', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_core_groups_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['cp_plans.id'], name=op.f('fk_core_groups_plan_id_cp_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_groups'))
    )
    with op.batch_alter_table('core_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_groups_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_groups_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('uq_core_groups_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('escalations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('raised_by', sa.Integer(), nullable=True),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('stage', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('raised_with', sa.String(length=200), nullable=False),
    sa.Column('response_due', sa.Date(), nullable=False),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('response_date', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('source_kind', sa.String(length=200), nullable=True),
    sa.Column('source_record_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_escalations_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['cp_plans.id'], name=op.f('fk_escalations_plan_id_cp_plans'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_by'], ['staff.id'], name=op.f('fk_escalations_raised_by_staff'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_raised_by'), ['raised_by'], unique=False)
        batch_op.create_index('uq_escalations_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('completed_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('source_record_id', sa.Integer(), nullable=True),
    sa.Column('set_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_plan_actions_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['cp_plans.id'], name=op.f('fk_plan_actions_plan_id_cp_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_actions'))
    )
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actions_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_actions_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('uq_plan_actions_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('visits',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('seen', sa.Boolean(), nullable=False),
    sa.Column('seen_alone', sa.Boolean(), nullable=False),
    sa.Column('bedroom_seen', sa.Boolean(), nullable=False),
    sa.Column('visitor', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_visits_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['cp_plans.id'], name=op.f('fk_visits_plan_id_cp_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('uq_visits_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('agency_reports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('received_by_chair', sa.Date(), nullable=True),
    sa.Column('received_by_chair_time', sa.Time(), nullable=True),
    sa.Column('shared_with_family', sa.Date(), nullable=True),
    sa.Column('shared_with_family_time', sa.Time(), nullable=True),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_agency_reports_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_reports'))
    )
    with op.batch_alter_table('agency_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_reports_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index('uq_agency_reports_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('person', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('scaling_score', sa.Integer(), nullable=True),
    sa.Column('view', sa.String(length=40), nullable=True),
    sa.Column('category_view', sa.String(length=40), nullable=True),
    sa.Column('dissent', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_attendance_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index('uq_attendance_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('case_tracking',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('checked_core_groups', sa.Boolean(), nullable=False),
    sa.Column('checked_visits', sa.Boolean(), nullable=False),
    sa.Column('checked_actions', sa.Boolean(), nullable=False),
    sa.Column('checked_reports', sa.Boolean(), nullable=False),
    sa.Column('observations', sa.Text(), nullable=False),
    sa.Column('concerns', sa.Text(), nullable=True),
    sa.Column('decision', sa.String(length=40), nullable=False),
    sa.Column('next_check_date', sa.Date(), nullable=True),
    sa.Column('escalation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['staff.id'], name=op.f('fk_case_tracking_chair_id_staff'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_case_tracking_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_case_tracking_escalation_id_escalations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['cp_plans.id'], name=op.f('fk_case_tracking_plan_id_cp_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_tracking'))
    )
    with op.batch_alter_table('case_tracking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_tracking_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_tracking_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_tracking_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_tracking_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('uq_case_tracking_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('conference_preparations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('consultation_date', sa.Date(), nullable=True),
    sa.Column('family_met_date', sa.Date(), nullable=True),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['staff.id'], name=op.f('fk_conference_preparations_chair_id_staff'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_conference_preparations_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_preparations'))
    )
    with op.batch_alter_table('conference_preparations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_preparations_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conference_preparations_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index('uq_conference_preparations_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('respondent', sa.String(length=40), nullable=False),
    sa.Column('simple_wording', sa.Boolean(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('agency', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_feedback_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index('uq_feedback_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('midway_reviews',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('child_id', sa.String(length=60), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.Column('risks_reducing', sa.String(length=40), nullable=True),
    sa.Column('risks_evidence', sa.Text(), nullable=True),
    sa.Column('child_voice_heard', sa.Boolean(), nullable=True),
    sa.Column('child_voice_evidence', sa.Text(), nullable=True),
    sa.Column('contingency_still_right', sa.Boolean(), nullable=True),
    sa.Column('contingency_note', sa.Text(), nullable=True),
    sa.Column('core_group_compliance', sa.Text(), nullable=True),
    sa.Column('visit_compliance', sa.Text(), nullable=True),
    sa.Column('decision', sa.String(length=40), nullable=True),
    sa.Column('decision_rationale', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['staff.id'], name=op.f('fk_midway_reviews_chair_id_staff'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_midway_reviews_child_id_children'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_midway_reviews_conference_id_conferences'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['cp_plans.id'], name=op.f('fk_midway_reviews_plan_id_cp_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_midway_reviews'))
    )
    with op.batch_alter_table('midway_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_midway_reviews_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_midway_reviews_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_midway_reviews_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_midway_reviews_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('uq_midway_reviews_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.create_table('observations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=True),
    sa.Column('conference_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('framework', sa.String(length=200), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('development_points', sa.Text(), nullable=True),
    sa.Column('overall_judgement', sa.String(length=40), nullable=True),
    sa.Column('overall_rationale', sa.Text(), nullable=True),
    sa.Column('chair_reflection', sa.Text(), nullable=True),
    sa.Column('chair_acknowledged', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['chair_id'], ['staff.id'], name=op.f('fk_observations_chair_id_staff'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_observations_conference_id_conferences'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['observer_id'], ['staff.id'], name=op.f('fk_observations_observer_id_staff'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_chair_id'), ['chair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_observer_id'), ['observer_id'], unique=False)
        batch_op.create_index('uq_observations_source_id', ['source_id'], unique=True, sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))



def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('uq_observations_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_observations_observer_id'))
        batch_op.drop_index(batch_op.f('ix_observations_conference_id'))
        batch_op.drop_index(batch_op.f('ix_observations_chair_id'))

    op.drop_table('observations')
    with op.batch_alter_table('midway_reviews', schema=None) as batch_op:
        batch_op.drop_index('uq_midway_reviews_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_midway_reviews_plan_id'))
        batch_op.drop_index(batch_op.f('ix_midway_reviews_conference_id'))
        batch_op.drop_index(batch_op.f('ix_midway_reviews_child_id'))
        batch_op.drop_index(batch_op.f('ix_midway_reviews_chair_id'))

    op.drop_table('midway_reviews')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('uq_feedback_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_feedback_conference_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('conference_preparations', schema=None) as batch_op:
        batch_op.drop_index('uq_conference_preparations_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_conference_preparations_conference_id'))
        batch_op.drop_index(batch_op.f('ix_conference_preparations_chair_id'))

    op.drop_table('conference_preparations')
    with op.batch_alter_table('case_tracking', schema=None) as batch_op:
        batch_op.drop_index('uq_case_tracking_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_case_tracking_plan_id'))
        batch_op.drop_index(batch_op.f('ix_case_tracking_escalation_id'))
        batch_op.drop_index(batch_op.f('ix_case_tracking_child_id'))
        batch_op.drop_index(batch_op.f('ix_case_tracking_chair_id'))

    op.drop_table('case_tracking')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('uq_attendance_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_attendance_conference_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('agency_reports', schema=None) as batch_op:
        batch_op.drop_index('uq_agency_reports_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_agency_reports_conference_id'))

    op.drop_table('agency_reports')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('uq_visits_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_visits_plan_id'))
        batch_op.drop_index(batch_op.f('ix_visits_child_id'))

    op.drop_table('visits')
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.drop_index('uq_plan_actions_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_plan_actions_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_actions_child_id'))

    op.drop_table('plan_actions')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('uq_escalations_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_escalations_raised_by'))
        batch_op.drop_index(batch_op.f('ix_escalations_plan_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_child_id'))

    op.drop_table('escalations')
    with op.batch_alter_table('core_groups', schema=None) as batch_op:
        batch_op.drop_index('uq_core_groups_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_core_groups_plan_id'))
        batch_op.drop_index(batch_op.f('ix_core_groups_child_id'))

    op.drop_table('core_groups')
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_index('uq_conferences_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_conferences_s47_id'))
        batch_op.drop_index(batch_op.f('ix_conferences_plan_id'))
        batch_op.drop_index(batch_op.f('ix_conferences_meeting_ref'))
        batch_op.drop_index(batch_op.f('ix_conferences_child_id'))
        batch_op.drop_index(batch_op.f('ix_conferences_chair_id'))

    op.drop_table('conferences')
    with op.batch_alter_table('s47_enquiries', schema=None) as batch_op:
        batch_op.drop_index('uq_s47_enquiries_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_s47_enquiries_strategy_discussion_id'))
        batch_op.drop_index(batch_op.f('ix_s47_enquiries_episode_id'))
        batch_op.drop_index(batch_op.f('ix_s47_enquiries_child_id'))

    op.drop_table('s47_enquiries')
    with op.batch_alter_table('cp_plans', schema=None) as batch_op:
        batch_op.drop_index('uq_cp_plans_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_cp_plans_episode_id'))
        batch_op.drop_index(batch_op.f('ix_cp_plans_child_id'))

    op.drop_table('cp_plans')
    with op.batch_alter_table('cin_plans', schema=None) as batch_op:
        batch_op.drop_index('uq_cin_plans_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_cin_plans_episode_id'))
        batch_op.drop_index(batch_op.f('ix_cin_plans_child_id'))

    op.drop_table('cin_plans')
    with op.batch_alter_table('strategy_discussions', schema=None) as batch_op:
        batch_op.drop_index('uq_strategy_discussions_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_strategy_discussions_child_id'))

    op.drop_table('strategy_discussions')
    with op.batch_alter_table('cin_episodes', schema=None) as batch_op:
        batch_op.drop_index('uq_cin_episodes_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_cin_episodes_child_id'))

    op.drop_table('cin_episodes')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('uq_children_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_children_team_id'))
        batch_op.drop_index(batch_op.f('ix_children_family_id'))
        batch_op.drop_index(batch_op.f('ix_children_chair_id'))

    op.drop_table('children')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index('uq_staff_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_staff_team_id'))

    op.drop_table('staff')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index('uq_teams_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.drop_table('teams')
    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.drop_index('uq_settings_source_id', sqlite_where=sa.text('source_id IS NOT NULL'), postgresql_where=sa.text('source_id IS NOT NULL'))

    op.drop_table('settings')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_table_record')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
