"""A program participant's dossier (its stages, the evaluation and the decision) wired into
the read-access log: HR's and the supervisor's reads are logged as evaluation reads about the
participant, the participant's own is not."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.people.conftest import World, world
from tests.privacy.test_read_log import EVENTS, _items
from tests.programs.test_dossier_competencies import Dossier, dossier

__all__ = ["dossier", "world"]


@pytest.mark.commits
async def test_reads_of_a_participants_dossier_are_logged_but_their_own_is_not(
    client: AsyncClient, runtime: Runtime, world: World, dossier: Dossier
) -> None:
    await read_log_jobs.drain_read_log({"runtime": runtime})  # the set-up's own reads
    for account in (world.hr, world.lead_account, dossier.account):
        read = await client.get(dossier.path, headers=account.headers)
        assert read.status_code == 200, read.text
    await read_log_jobs.drain_read_log({"runtime": runtime})

    logged = await _items(client, EVENTS, world.hr, subject_employee_id=str(dossier.zhang.id))
    entries = [e for e in logged if e["what"] == "program_dossier"]
    assert sorted(e["actor_id"] for e in entries) == sorted(
        [str(world.hr.user_id), str(world.lead_account.user_id)]
    ), "HR and the supervisor; 张伟's own read is not logged"
    assert {(e["operation"], e["data_class"]) for e in entries} == {
        ("get_program_dossier", "evaluation")
    }
