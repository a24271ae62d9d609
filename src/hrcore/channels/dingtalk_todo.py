"""DingTalk's to-do API 「待办」, v1.0: a task in a person's DingTalk to-do list.

As DingTalk documents it ("创建钉钉待办任务" add-dingtalk-to-do-task, "更新钉钉待办任务"
updates-dingtalk-to-do-tasks; docs/workflow.md cites them): people are addressed by their
**union id** (`topapi/v2/user/get` answers it as `unionid` beside the user id).
`POST {base}/v1.0/todo/users/{unionId}/tasks?operatorId=` creates a to-do with `subject`
(at most 1,024 characters), `sourceId` (ours: the task id, "one to-do per sourceId"; a
second one is refused with 400 `todo.taskCreate.paramError` "task exist"), `creatorId`,
`executorIds`, `dueTime` (ms) and `detailUrl {appUrl, pcUrl}` (required since 2024-02), and
answers it with its `id`; `PUT …/tasks/{taskId}?operatorId=` changes `done`, `subject` or
`dueTime`; `DELETE …/tasks/{taskId}?operatorId=` removes it; `GET …/tasks/{taskId}` reads
it back; `POST …/org/tasks/query` lists a person's to-dos (`todoCards` with `taskId` and
`sourceId`), which finds the to-do a lost answer created. `operatorId` is the acting
person's union id, sent as a query parameter as DingTalk's SDK does; hrcore acts for the
assignee, whose list it is, so it is the path's union id. The v1.0 API takes the app's
access token in `x-acs-dingtalk-access-token` (the `gettoken` token, cached in
`dingtalk.py`) and answers errors with a non-2xx status and `{code, message}`; any failure
raises `DingTalkError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from hrcore.channels.dingtalk import DingTalkError, Directory, V1Error, call_v1

TODOS = "/v1.0/todo/users"
SUBJECT_LIMIT = 1024
DUPLICATE = ("todo.taskCreate.paramError", "task exist")
"""DingTalk's `{code, message}` for a create whose `sourceId` already has a to-do."""
QUERY_PAGES = 20
"""Pages of a person's open to-dos read when looking for one by its source id."""


@dataclass(frozen=True)
class NewTodo:
    """One to-do: `source_id` makes creating it twice impossible at DingTalk."""

    source_id: str
    subject: str
    due: datetime
    link: str


class AlreadyExists(DingTalkError):
    """DingTalk holds a to-do with this source id already (a retry after a lost answer)."""


@dataclass(frozen=True)
class Todos:
    """One app's to-do client; `token_base` is where its access token comes from (oapi)."""

    client: httpx.AsyncClient
    token_base: str
    api_base: str
    app_key: str
    app_secret: str

    async def _call(
        self, method: str, path: str, body: Any = None, *, operator: str | None = None
    ) -> dict[str, Any]:
        try:
            return await call_v1(
                self.client,
                self.token_base,
                self.app_key,
                self.app_secret,
                method,
                f"{self.api_base}{TODOS}{path}",
                label=f"todo {method}",
                params={"operatorId": operator} if operator else None,
                body=body,
            )
        except V1Error as exc:
            if exc.status == 400 and (exc.code, exc.message) == DUPLICATE:
                raise AlreadyExists(str(exc)) from exc
            raise

    async def union_id(self, user_id: str) -> str | None:
        """The union id of a DingTalk user id; None when DingTalk knows no such user."""
        user = await Directory(self.client, self.token_base, self.app_key, self.app_secret).user(
            user_id
        )
        union = (user or {}).get("unionid") or (user or {}).get("unionId")
        return str(union) if union else None

    async def create(self, union_id: str, todo: NewTodo) -> str:
        """Create the to-do in `union_id`'s list; its DingTalk id. A to-do with the same source
        id raises `AlreadyExists`."""
        body = {
            "sourceId": todo.source_id,
            "subject": todo.subject[:SUBJECT_LIMIT],
            "creatorId": union_id,
            "executorIds": [union_id],
            "dueTime": int(todo.due.timestamp() * 1000),
            "detailUrl": {"appUrl": todo.link, "pcUrl": todo.link},
            "isOnlyShowExecutor": True,
        }
        document = await self._call("POST", f"/{union_id}/tasks", body, operator=union_id)
        todo_id = document.get("id")
        if not isinstance(todo_id, str) or not todo_id:
            raise DingTalkError("todo POST: no id in the answer")
        return todo_id

    async def find(self, union_id: str, source_id: str) -> str | None:
        """The id of `union_id`'s open to-do with `source_id`, if DingTalk lists one."""
        next_token: str | None = "0"  # noqa: S105 - a page cursor
        for _ in range(QUERY_PAGES):
            body = {"nextToken": next_token, "isDone": False, "roleTypes": [["executor"]]}
            document = await self._call("POST", f"/{union_id}/org/tasks/query", body)
            for card in document.get("todoCards") or []:
                if isinstance(card, dict) and str(card.get("sourceId")) == source_id:
                    return str(card.get("taskId"))
            next_token = document.get("nextToken")
            if not next_token:
                return None
        return None

    async def update(self, union_id: str, todo_id: str, **changes: Any) -> None:
        """Change the to-do: `done`, `subject`, `dueTime`."""
        await self._call("PUT", f"/{union_id}/tasks/{todo_id}", changes, operator=union_id)

    async def delete(self, union_id: str, todo_id: str) -> None:
        await self._call("DELETE", f"/{union_id}/tasks/{todo_id}", operator=union_id)

    async def done(self, union_id: str, todo_id: str) -> bool:
        """Whether DingTalk shows the to-do as done (read back: an event only says it changed)."""
        document = await self._call("GET", f"/{union_id}/tasks/{todo_id}")
        return document.get("done") is True
