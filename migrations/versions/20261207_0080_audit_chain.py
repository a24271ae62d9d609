"""Audit that can be trusted (issue 25): `audit_events` is append-only for the app role and
hash-chained per organization.

Each row gets `seq` (1, 2, … per organization, gapless) and `hash` =
sha256(previous row's hash || `audit_event_canonical(row)`), set by a BEFORE INSERT trigger
in the writer's transaction under a per-organization advisory lock, so concurrent writers of
one organization take turns on the chain's head. Existing rows are chained in the order of
`created_at, id`. The app role loses UPDATE and DELETE on the table, and deleting an
organization no longer cascades to its audit rows (a cascade runs as the table's owner).

Revision ID: 0080
Revises: 0079
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0080"
down_revision: str | None = "0079"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "hrcore_app"
ORG_FK = "fk_audit_events_org_id_organizations"

CANONICAL = """
CREATE FUNCTION audit_event_canonical(e audit_events) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array(
        e.org_id::text,
        e.seq,
        e.id::text,
        to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.actor_kind,
        e.actor_id::text,
        e.action,
        e.object_type,
        e.object_id::text,
        e.before::text,
        e.after::text,
        e.request_id
    )::text
$$
"""

CHAIN = """
CREATE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    previous text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('hrcore.audit_chain:' || NEW.org_id, 0));
    SELECT seq, hash INTO NEW.seq, previous
    FROM audit_events WHERE org_id = NEW.org_id ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(NEW.seq, 0) + 1;
    NEW.hash := encode(
        sha256(convert_to(coalesce(previous, '') || audit_event_canonical(NEW), 'UTF8')), 'hex'
    );
    RETURN NEW;
END
$$
"""

BACKFILL = """
DO $$
DECLARE
    event audit_events%ROWTYPE;
    org uuid;
    previous text;
    last_seq bigint;
    ids uuid[] := '{}';
    seqs bigint[] := '{}';
    hashes text[] := '{}';
BEGIN
    FOR event IN SELECT * FROM audit_events ORDER BY org_id, created_at, id LOOP
        IF org IS DISTINCT FROM event.org_id THEN
            org := event.org_id;
            previous := '';
            last_seq := 0;
        END IF;
        last_seq := last_seq + 1;
        event.seq := last_seq;
        previous := encode(
            sha256(convert_to(previous || audit_event_canonical(event), 'UTF8')), 'hex'
        );
        ids := ids || event.id;
        seqs := seqs || last_seq;
        hashes := hashes || previous;
    END LOOP;
    UPDATE audit_events SET seq = link.seq, hash = link.hash
    FROM unnest(ids, seqs, hashes) AS link(id, seq, hash)
    WHERE audit_events.id = link.id;
END
$$
"""


def _org_foreign_key(ondelete: str) -> None:
    op.drop_constraint(ORG_FK, "audit_events", type_="foreignkey")
    op.create_foreign_key(
        ORG_FK, "audit_events", "organizations", ["org_id"], ["id"], ondelete=ondelete
    )


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=True))
    op.execute(CANONICAL)
    # The owner chains every organization's rows, whatever the tenant setting.
    op.execute("ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY")
    op.execute(BACKFILL)
    op.execute("ALTER TABLE audit_events FORCE ROW LEVEL SECURITY")
    op.alter_column("audit_events", "seq", nullable=False)
    op.alter_column("audit_events", "hash", nullable=False)
    op.create_index("uq_audit_events_org_seq", "audit_events", ["org_id", "seq"], unique=True)
    op.execute(CHAIN)
    op.execute(
        "CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_chain()"
    )
    op.execute(f"REVOKE UPDATE, DELETE ON audit_events FROM {APP_ROLE}")
    _org_foreign_key("RESTRICT")


def downgrade() -> None:
    _org_foreign_key("CASCADE")
    op.execute(f"GRANT UPDATE, DELETE ON audit_events TO {APP_ROLE}")
    op.execute("DROP TRIGGER audit_events_chain ON audit_events")
    op.execute("DROP FUNCTION audit_events_chain()")
    op.drop_index("uq_audit_events_org_seq", table_name="audit_events")
    op.execute("DROP FUNCTION audit_event_canonical(audit_events)")
    op.drop_column("audit_events", "hash")
    op.drop_column("audit_events", "seq")
