"""The read-access log's retention: the application role may not delete from the
append-only log, so the purge goes through a function owned by the schema owner that deletes
only the current organization's entries older than three years (the record of processing
PIPL Art. 55–56 keeps at least that long, whatever a rule says).

Revision ID: 0087
Revises: 0086
Create Date: 2026-12-08 02:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0087"
down_revision: str | None = "0086"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "hrcore_app"
FUNCTION = "purge_read_access_events(uuid[])"


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION purge_read_access_events(entry_ids uuid[]) RETURNS SETOF uuid
        LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
            DELETE FROM read_access_events
            WHERE org_id = NULLIF(current_setting('app.org_id', true), '')::uuid
              AND id = ANY(entry_ids)
              AND occurred_at < now() - interval '3 years'
            RETURNING id
        $$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTION} TO {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {FUNCTION}")
