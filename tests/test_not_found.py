"""Loading by id answers one way in every domain: 404 `No such <what>` for an id that does not
exist (`core.db.get_or_404`), with the problem body of the error table."""

from __future__ import annotations

import uuid

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_org

READS = {
    "/api/v1/users/{}": "No such user",
    "/api/v1/departments/{}": "No such department",
    "/api/v1/positions/{}": "No such position",
    "/api/v1/description-drafts/{}": "No such description draft",
    "/api/v1/employees/{}": "No such employee",
    "/api/v1/imports/{}": "No such import",
    "/api/v1/tasks/{}": "No such task",
    "/api/v1/contracts/{}": "No such contract",
    "/api/v1/review-templates/{}": "No such review template",
    "/api/v1/review-templates/{}/revisions": "No such review template",
    "/api/v1/review-cycles/{}": "No such review cycle",
    "/api/v1/review-results/{}": "No such review result",
    "/api/v1/appeals/{}": "No such appeal",
    "/api/v1/talent-pools/{}": "No such talent pool",
    "/api/v1/vacancies/{}": "No such vacancy",
    "/api/v1/program-templates/{}": "No such program template",
    "/api/v1/program-templates/{}/revisions/1": "No such program template",
    "/api/v1/programs/{}": "No such program",
    "/api/v1/notification-channels/{}/deliveries": "No such notification channel",
    "/api/v1/webhooks/{}/deliveries": "No such webhook",
    "/api/v1/check-ins/{}": "No such check-in",
    "/api/v1/mentoring-programs/{}": "No such mentoring program",
    "/api/v1/mentors/{}": "No such mentor",
    "/api/v1/mentorships/{}/sessions": "No such mentorship",
}


async def test_an_unknown_id_is_404_no_such_thing(client: AsyncClient, runtime: Runtime) -> None:
    hr = await make_org(runtime)
    for template, detail in READS.items():
        path = template.format(uuid.uuid4())
        response = await client.get(path, headers=hr.headers)
        assert response.status_code == 404, (path, response.text)
        body = response.json()
        assert (body["type"], body["title"], body["detail"]) == (
            "https://hrcore.dev/problems/not-found",
            "Not found",
            detail,
        ), path


async def test_the_thing_not_found_is_named_in_the_reader_s_language(
    client: AsyncClient, runtime: Runtime
) -> None:
    """The noun is a catalog entry of its own, so no English word lands in a Chinese message."""
    hr = await make_org(runtime)
    chinese = hr.headers | {"Accept-Language": "zh-CN"}
    for path, detail in {
        "/api/v1/tasks/{}": "任务不存在",
        "/api/v1/employees/{}": "员工不存在",
        "/api/v1/vacancies/{}": "空缺岗位不存在",
        "/api/v1/webhooks/{}/deliveries": "Webhook 订阅不存在",
    }.items():
        response = await client.get(path.format(uuid.uuid4()), headers=chinese)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["detail"] == detail, path
