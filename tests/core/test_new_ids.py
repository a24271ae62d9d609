"""`new_ids`: UUIDv7s for bulk writes, ascending in the order asked, unique, after earlier
ids of the process."""

from __future__ import annotations

from hrcore.core.models import new_id, new_ids


def test_bulk_ids_are_version_7_ascending_and_unique() -> None:
    before = new_id()
    ids = new_ids(20_000)
    assert {(i.version, i.variant) for i in ids} == {(7, "specified in RFC 4122")}
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert ids[0].int >> 80 >= before.int >> 80, "the same clock as new_id"
    assert new_ids(0) == []
