"""Drop the one-column `org_id` index of tables where another index leads with `org_id`.

Every tenant table had one (the mixin's `index=True`); where a composite index or unique
constraint starts with `org_id` it only cost writes (the deadline sweep updates thousands of
tasks a minute, each through every index).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 06:21:40.667239
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "audit_events",
    "channel_deliveries",
    "contract_amendment_templates",
    "contract_amendment_versions",
    "contract_amendments",
    "contract_expiry_alerts",
    "contracts",
    "departments",
    "dingtalk_events",
    "dingtalk_integrations",
    "employees",
    "employment_events",
    "growth_profiles",
    "nine_box_placements",
    "notification_channels",
    "notifications",
    "performance_ratings",
    "position_description_comments",
    "position_description_drafts",
    "positions",
    "program_dossier_documents",
    "program_participant_stages",
    "program_participants",
    "program_runs",
    "program_stage_tasks",
    "program_templates",
    "refresh_tokens",
    "review_appeals",
    "review_assignments",
    "review_cycles",
    "review_nominations",
    "review_participants",
    "review_results",
    "review_templates",
    "talent_pool_members",
    "talent_pools",
    "task_actions",
    "task_policy_defaults",
    "tasks",
    "users",
    "vacancies",
    "vacancy_appointments",
    "webhook_deliveries",
    "webhook_subscriptions",
)


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_org_id", table_name=table)


def downgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_org_id", table, ["org_id"])
