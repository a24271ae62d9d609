"""`call_v1`, the one v1.0 call both the approval and to-do clients make: the app's token in
its header, the same User-Agent as every other DingTalk call, a refused token forgotten, and
DingTalk's `{code, message}` kept on the error (a to-do's "task exist" is `AlreadyExists`)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from hrcore.channels import dingtalk
from hrcore.channels.dingtalk_todo import AlreadyExists, NewTodo, Todos
from hrcore.integrations.dingtalk_workflow import NewInstance, Workflow

TOKEN_BASE = "https://oapi.test"
API_BASE = "https://api.test"


def _client(answers: list[httpx.Response], seen: list[httpx.Request]) -> httpx.AsyncClient:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/gettoken":
            return httpx.Response(
                200, json={"errcode": 0, "access_token": "t1", "expires_in": 7200}
            )
        seen.append(request)
        return answers.pop(0)

    return httpx.AsyncClient(transport=httpx.MockTransport(handle))


@pytest.fixture(autouse=True)
def _fresh_tokens() -> None:
    dingtalk.clear_token_cache()


async def test_the_approval_client_sends_the_token_and_user_agent() -> None:
    seen: list[httpx.Request] = []
    answers = [httpx.Response(200, json={"instanceId": "i-1"})]
    async with _client(answers, seen) as client:
        workflow = Workflow(client, TOKEN_BASE, API_BASE, "key", "secret")
        started = await workflow.start(NewInstance("PROC", "u1", None, (("a", "b"),)))
    assert started == "i-1"
    assert seen[0].headers[dingtalk.V1_TOKEN_HEADER] == "t1"
    assert seen[0].headers["User-Agent"] == dingtalk.USER_AGENT


async def test_a_refused_token_is_forgotten_and_the_error_names_dingtalks_answer() -> None:
    seen: list[httpx.Request] = []
    answers = [httpx.Response(401, json={"code": "InvalidAuthentication", "message": "bad"})]
    async with _client(answers, seen) as client:
        workflow = Workflow(client, TOKEN_BASE, API_BASE, "key", "secret")
        with pytest.raises(dingtalk.V1Error) as raised:
            await workflow.get("i-1")
    assert raised.value.status == 401
    assert "HTTP 401 InvalidAuthentication bad" in str(raised.value)
    assert (TOKEN_BASE, "key") not in dingtalk._TOKENS


async def test_a_second_todo_with_the_same_source_is_already_exists() -> None:
    seen: list[httpx.Request] = []
    duplicate = {"code": "todo.taskCreate.paramError", "message": "task exist"}
    answers = [httpx.Response(400, json=duplicate)]
    todo = NewTodo("s-1", "subject", datetime(2026, 1, 1, tzinfo=UTC), "https://l")
    async with _client(answers, seen) as client:
        todos = Todos(client, TOKEN_BASE, API_BASE, "key", "secret")
        with pytest.raises(AlreadyExists):
            await todos.create("union", todo)
    assert seen[0].headers["User-Agent"] == dingtalk.USER_AGENT
    assert seen[0].url.params["operatorId"] == "union"  # the SDK's query parameter


async def test_another_refusal_of_a_create_is_not_already_exists() -> None:
    seen: list[httpx.Request] = []
    oversize = {"code": "todo.taskCreate.paramError", "message": "subject is oversize"}
    todo = NewTodo("s-1", "subject", datetime(2026, 1, 1, tzinfo=UTC), "https://l")
    async with _client([httpx.Response(400, json=oversize)], seen) as client:
        todos = Todos(client, TOKEN_BASE, API_BASE, "key", "secret")
        with pytest.raises(dingtalk.V1Error) as raised:
            await todos.create("union", todo)
    assert not isinstance(raised.value, AlreadyExists)
