"""talent: a rejected nomination is kept (`rejected`, with who decided, when and why), and
each membership keeps its history of status, readiness and 9-box changes.

Placements made before are copied into the history; status and readiness changes made
before were only audited, so their history starts here.

Revision ID: 0034
Revises: 0029
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "'nominated', 'active', 'graduated', 'appointed', 'removed', 'left'"
AFTER = "'nominated', 'active', 'graduated', 'appointed', 'removed', 'rejected', 'left'"


def _status_check(statuses: str) -> None:
    op.drop_constraint(op.f("ck_talent_pool_members_status"), "talent_pool_members", type_="check")
    op.create_check_constraint(
        op.f("ck_talent_pool_members_status"), "talent_pool_members", f"status IN ({statuses})"
    )


def upgrade() -> None:
    _status_check(AFTER)
    op.add_column("talent_pool_members", sa.Column("decided_by", sa.UUID(), nullable=True))
    op.add_column(
        "talent_pool_members", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("talent_pool_members", sa.Column("decision_reason", sa.Text(), nullable=True))
    op.create_foreign_key(
        op.f("fk_talent_pool_members_decided_by_users"),
        "talent_pool_members",
        "users",
        ["decided_by"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_table(
        "talent_member_changes",
        sa.Column("member_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("readiness", sa.String(length=20), nullable=True),
        sa.Column("performance", sa.String(length=8), nullable=True),
        sa.Column("potential", sa.String(length=8), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("changed_by", sa.UUID(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('status', 'readiness', 'placement')",
            name=op.f("ck_talent_member_changes_kind"),
        ),
        sa.CheckConstraint(
            "source IN ('hr', 'dept_head', 'self', 'program', 'system')",
            name=op.f("ck_talent_member_changes_source"),
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"],
            ["users.id"],
            name=op.f("fk_talent_member_changes_changed_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["talent_pool_members.id"],
            name=op.f("fk_talent_member_changes_member_id_talent_pool_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_talent_member_changes_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_member_changes")),
    )
    op.create_index(
        "ix_talent_member_changes_org_member",
        "talent_member_changes",
        ["org_id", "member_id", "changed_at", "id"],
        unique=False,
    )
    op.execute("ALTER TABLE talent_member_changes ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE talent_member_changes FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON talent_member_changes "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )
    op.execute(
        "INSERT INTO talent_member_changes (id, org_id, member_id, kind, performance, potential, "
        "reason, source, changed_by, changed_at) SELECT id, org_id, member_id, 'placement', "
        "performance, potential, reason, 'hr', placed_by, placed_at FROM nine_box_placements"
    )


def downgrade() -> None:
    op.execute("DROP POLICY IF EXISTS tenant_isolation ON talent_member_changes")
    op.drop_index("ix_talent_member_changes_org_member", table_name="talent_member_changes")
    op.drop_table("talent_member_changes")
    op.drop_constraint(
        op.f("fk_talent_pool_members_decided_by_users"), "talent_pool_members", type_="foreignkey"
    )
    op.drop_column("talent_pool_members", "decision_reason")
    op.drop_column("talent_pool_members", "decided_at")
    op.drop_column("talent_pool_members", "decided_by")
    # Before rejections were kept, a rejected nomination was a removal.
    op.execute("UPDATE talent_pool_members SET status = 'removed' WHERE status = 'rejected'")
    _status_check(BEFORE)
