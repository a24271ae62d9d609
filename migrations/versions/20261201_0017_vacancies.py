"""talent: vacancies and appointments to them

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-01 02:46:42.012252
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("vacancies", "vacancy_appointments")


def upgrade() -> None:
    op.create_table(
        "vacancies",
        sa.Column("position_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("vacated_by", sa.UUID(), nullable=True),
        sa.Column("source_event_id", sa.UUID(), nullable=True),
        sa.Column("opened_by", sa.UUID(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "reason IN ('manual', 'holder_left', 'holder_promoted')",
            name=op.f("ck_vacancies_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'filled', 'cancelled')", name=op.f("ck_vacancies_status")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_vacancies_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"],
            ["users.id"],
            name=op.f("fk_vacancies_opened_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_vacancies_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_vacancies_position_id_positions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vacated_by"],
            ["employees.id"],
            name=op.f("fk_vacancies_vacated_by_employees"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancies")),
        sa.UniqueConstraint(
            "org_id", "source_event_id", name=op.f("uq_vacancies_org_id_source_event_id")
        ),
    )
    op.create_index(op.f("ix_vacancies_org_id"), "vacancies", ["org_id"], unique=False)
    op.create_index("ix_vacancies_org_id_id", "vacancies", ["org_id", "id"], unique=False)
    op.create_index(
        "uq_vacancies_open_position",
        "vacancies",
        ["org_id", "position_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "vacancy_appointments",
        sa.Column("vacancy_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("member_id", sa.UUID(), nullable=True),
        sa.Column("employment_event_id", sa.UUID(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("ranking", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("appointed_by", sa.UUID(), nullable=True),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointed_by"],
            ["users.id"],
            name=op.f("fk_vacancy_appointments_appointed_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_vacancy_appointments_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employment_event_id"],
            ["employment_events.id"],
            name=op.f("fk_vacancy_appointments_employment_event_id_employment_events"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["talent_pool_members.id"],
            name=op.f("fk_vacancy_appointments_member_id_talent_pool_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_vacancy_appointments_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name=op.f("fk_vacancy_appointments_vacancy_id_vacancies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_appointments")),
        sa.UniqueConstraint(
            "org_id", "vacancy_id", name=op.f("uq_vacancy_appointments_org_id_vacancy_id")
        ),
    )
    op.create_index(
        "ix_vacancy_appointments_org_employee",
        "vacancy_appointments",
        ["org_id", "employee_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_vacancy_appointments_org_id"), "vacancy_appointments", ["org_id"], unique=False
    )
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
            "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
        )


def downgrade() -> None:
    for table in TENANT_TABLES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_index(op.f("ix_vacancy_appointments_org_id"), table_name="vacancy_appointments")
    op.drop_index("ix_vacancy_appointments_org_employee", table_name="vacancy_appointments")
    op.drop_table("vacancy_appointments")
    op.drop_index(
        "uq_vacancies_open_position",
        table_name="vacancies",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_index("ix_vacancies_org_id_id", table_name="vacancies")
    op.drop_index(op.f("ix_vacancies_org_id"), table_name="vacancies")
    op.drop_table("vacancies")
