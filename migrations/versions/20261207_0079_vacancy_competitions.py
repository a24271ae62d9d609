"""Internal competition 「岗位竞聘」: a vacancy may carry the rules applicants must meet and
the moment applications close; `vacancy_applications` holds one application per vacancy and
employee, under the tenant policy.

Revision ID: 0079
Revises: 0078
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0079"
down_revision: str | None = "0078"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "vacancy_applications"


def upgrade() -> None:
    op.add_column(
        "vacancies",
        sa.Column("competition_rules", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column(
        "vacancies", sa.Column("competition_closes_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "vacancies", sa.Column("competition_opened_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_check_constraint(
        op.f("ck_vacancies_competition"),
        "vacancies",
        "(competition_rules IS NULL) = (competition_closes_at IS NULL)"
        " AND (competition_rules IS NULL) = (competition_opened_at IS NULL)",
    )
    op.create_table(
        TABLE,
        sa.Column("vacancy_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("criteria", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
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
            "status IN ('applied', 'withdrawn', 'appointed', 'closed')",
            name=op.f("ck_vacancy_applications_status"),
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name=op.f("fk_vacancy_applications_vacancy_id_vacancies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_vacancy_applications_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_vacancy_applications_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_applications")),
        sa.UniqueConstraint(
            "org_id",
            "vacancy_id",
            "employee_id",
            name=op.f("uq_vacancy_applications_org_id_vacancy_id_employee_id"),
        ),
    )
    op.create_index(
        "ix_vacancy_applications_org_employee", TABLE, ["org_id", "employee_id"], unique=False
    )
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {TABLE} "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )


def downgrade() -> None:
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {TABLE}")
    op.drop_index("ix_vacancy_applications_org_employee", table_name=TABLE)
    op.drop_table(TABLE)
    op.drop_constraint(op.f("ck_vacancies_competition"), "vacancies", type_="check")
    op.drop_column("vacancies", "competition_opened_at")
    op.drop_column("vacancies", "competition_closes_at")
    op.drop_column("vacancies", "competition_rules")
