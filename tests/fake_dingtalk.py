"""A local DingTalk on 127.0.0.1: robots that check signatures and the per-minute limit,
the open API (gettoken, asyncsend_v2: text or action cards, checked) that checks access
tokens, the directory (user/get, department/get) and the approval app (v1.0 process
instances: created, listed by process and originator since a time, read back, terminated
through the API, decided by `decide`/`terminate`, which answer the `bpms_instance_change`
event DingTalk then pushes), the to-do app 「待办」 (v1.0 to-dos created, updated, deleted,
read back and listed; `tick` is a person completing one in DingTalk, answering the event
DingTalk then pushes) and sign-in 「免登」 (`issue_auth_code` plays the DingTalk client,
getuserinfo exchanges the code). Shared by the channels, integrations, approvals and
workflow tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hrcore.channels import dingtalk
from tests.servers import free_port, serving


@dataclass
class RobotMessage:
    token: str
    timestamp: int
    content: str
    signature_ok: bool


@dataclass
class WorkNotice:
    agent_id: int
    user_ids: list[str]
    content: str
    card: dict[str, Any] | None = None
    """An action card's `action_card` (then `content` is its markdown)."""


def card_error(card: Any) -> str | None:
    """Why DingTalk refuses an `action_card` message (None: it shows it): a title and a
    markdown, and either `single_title` with `single_url` or `btn_orientation` with a
    non-empty `btn_json_list` of buttons that each have a `title` and an `action_url`."""
    if not isinstance(card, dict) or not card.get("title") or not card.get("markdown"):
        return "action_card needs title and markdown"
    if card.get("single_title") or card.get("single_url"):
        return None if card.get("single_title") and card.get("single_url") else "single_*"
    buttons = card.get("btn_json_list")
    if card.get("btn_orientation") not in ("0", "1") or not isinstance(buttons, list):
        return "btn_orientation and btn_json_list go together"
    if not buttons or not all(b.get("title") and b.get("action_url") for b in buttons):
        return "every button needs title and action_url"
    return None


@dataclass
class Instance:
    """A process instance as DingTalk keeps it."""

    process_code: str
    originator: str
    dept_id: int | None
    form: dict[str, str]
    created_ms: int = 0
    status: str = "RUNNING"
    result: str = ""
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Todo:
    """A to-do as DingTalk keeps it."""

    owner: str
    source_id: str
    subject: str
    executors: list[str]
    due_ms: int
    app_url: str
    pc_url: str
    done: bool = False


@dataclass
class AuthCode:
    """A temporary auth code: one corp's user, five minutes, one use."""

    corp_id: str
    user_id: str
    expires_at: float


@dataclass
class FakeDingTalk:
    """Plays DingTalk. `robots` maps a robot's access_token to its signing secret."""

    port: int
    robots: dict[str, str] = field(default_factory=dict)
    apps: dict[str, str] = field(default_factory=dict)
    robot_failures: list[str] = field(default_factory=list)
    """Failures to answer next, in order: "500", "throttled" (130101) or "errcode"."""
    notice_failures: list[str] = field(default_factory=list)
    messages: list[RobotMessage] = field(default_factory=list)
    robot_requests: int = 0
    rate_violations: int = 0
    tokens_issued: list[str] = field(default_factory=list)
    notices: list[WorkNotice] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    directory_failures: int = 0
    """Directory requests to answer with 503 before answering again."""
    directory_requests: int = 0
    instances: dict[str, Instance] = field(default_factory=dict)
    instance_failures: int = 0
    """Instance creations to answer with 503 before creating again."""
    instance_requests: int = 0
    instance_lost_answers: int = 0
    """Instance creations to carry out but answer with 503, as if the answer were lost."""
    instance_listings: list[dict[str, Any]] = field(default_factory=list)
    """Every instance-id query's body."""
    instance_reads: int = 0
    on_instance_call: Callable[[str], Awaitable[None]] | None = None
    """Run as each instance request arrives, with its `METHOD path` (what happens in
    hrcore while DingTalk works)."""
    terminations: list[dict[str, Any]] = field(default_factory=list)
    """Every terminate request's body, answered or failed."""
    terminate_failures: int = 0
    """Terminations to answer with 503 before terminating again."""
    todos: dict[str, Todo] = field(default_factory=dict)
    todo_failures: int = 0
    """To-do requests to answer with 503 before answering again."""
    todo_lost_answers: int = 0
    """To-do creations to carry out but answer with 503, as if the answer were lost."""
    todo_requests: list[str] = field(default_factory=list)
    """`METHOD path` of every to-do request."""
    todo_operators: list[str | None] = field(default_factory=list)
    """The `operatorId` query parameter of every to-do write (None: not sent)."""
    app_corps: dict[str, str] = field(default_factory=dict)
    """The corp each app key belongs to: its tokens exchange that corp's auth codes only."""
    auth_codes: dict[str, AuthCode] = field(default_factory=dict)
    userinfo_requests: int = 0
    userinfo_failures: int = 0
    """Code exchanges to answer with 503 before answering again."""
    userinfo_busy: int = 0
    """Code exchanges to answer "system busy" (errcode -1) before answering again."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def robot_url(self, token: str) -> str:
        return f"{self.base}/robot/send?access_token={token}"

    async def robot(self, request: Request) -> JSONResponse:
        self.robot_requests += 1
        token = request.query_params.get("access_token", "")
        secret = self.robots.get(token)
        if secret is None:
            return JSONResponse({"errcode": 300001, "errmsg": "token is not exist"})
        timestamp = int(request.query_params.get("timestamp", "0"))
        digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
        expected = base64.b64encode(digest.digest()).decode()
        fresh = abs(timestamp - time.time() * 1000) < 3600 * 1000
        signature_ok = fresh and request.query_params.get("sign") == expected
        if not signature_ok:
            return JSONResponse({"errcode": 310000, "errmsg": "sign not match"})
        if self.robot_failures:
            failure = self.robot_failures.pop(0)
            if failure == "500":
                return JSONResponse({"error": "boom"}, status_code=500)
            if failure == "throttled":
                return JSONResponse({"errcode": 130101, "errmsg": "send too fast"})
            return JSONResponse({"errcode": 400013, "errmsg": "group is busy"})
        in_window = [
            m for m in self.messages if m.token == token and timestamp - 60_000 < m.timestamp
        ]
        if len(in_window) >= 20:
            self.rate_violations += 1
            return JSONResponse({"errcode": 130101, "errmsg": "send too fast"})
        body: dict[str, Any] = await request.json()
        self.messages.append(
            RobotMessage(
                token=token,
                timestamp=timestamp,
                content=str(body["text"]["content"]),
                signature_ok=signature_ok,
            )
        )
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    async def gettoken(self, request: Request) -> JSONResponse:
        key = request.query_params.get("appkey", "")
        if self.apps.get(key) != request.query_params.get("appsecret"):
            return JSONResponse({"errcode": 40089, "errmsg": "invalid appkey or appsecret"})
        token = f"token-{key}-{len(self.tokens_issued)}"
        self.tokens_issued.append(token)
        return JSONResponse(
            {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        )

    async def asyncsend(self, request: Request) -> JSONResponse:
        if request.query_params.get("access_token") not in self.tokens_issued:
            return JSONResponse({"errcode": 40014, "errmsg": "invalid access_token"})
        if self.notice_failures:
            self.notice_failures.pop(0)
            return JSONResponse({"errcode": 88, "errmsg": "busy"})
        body: dict[str, Any] = await request.json()
        msg = body["msg"]
        card = msg.get("action_card") if msg.get("msgtype") == "action_card" else None
        if card is not None and (error := card_error(card)) is not None:
            return JSONResponse({"errcode": 40035, "errmsg": f"invalid msg: {error}"})
        self.notices.append(
            WorkNotice(
                agent_id=int(body["agent_id"]),
                user_ids=str(body["userid_list"]).split(","),
                content=str(card["markdown"] if card else msg["text"]["content"]),
                card=card,
            )
        )
        return JSONResponse({"errcode": 0, "errmsg": "ok", "task_id": len(self.notices)})

    async def directory(self, request: Request) -> JSONResponse:
        self.directory_requests += 1
        if self.directory_failures:
            self.directory_failures -= 1
            return JSONResponse({"error": "down"}, status_code=503)
        if request.query_params.get("access_token") not in self.tokens_issued:
            return JSONResponse({"errcode": 40014, "errmsg": "invalid access_token"})
        body: dict[str, Any] = await request.json()
        if request.url.path.endswith("/user/get"):
            found, missing = self.users.get(str(body.get("userid"))), 60121
        else:
            found, missing = self.departments.get(str(body.get("dept_id"))), 60003
        if found is None:
            return JSONResponse({"errcode": missing, "errmsg": "not found"})
        return JSONResponse({"errcode": 0, "errmsg": "ok", "result": found})

    def _token_ok(self, request: Request) -> bool:
        return request.headers.get("x-acs-dingtalk-access-token") in self.tokens_issued

    async def create_instance(self, request: Request) -> JSONResponse:
        self.instance_requests += 1
        if self.on_instance_call is not None:
            await self.on_instance_call(f"POST {request.url.path}")
        if not self._token_ok(request):
            return JSONResponse({"code": "InvalidAuthentication", "message": "bad token"}, 401)
        if self.instance_failures:
            self.instance_failures -= 1
            return JSONResponse({"code": "ServiceUnavailable", "message": "busy"}, 503)
        body: dict[str, Any] = await request.json()
        if not body.get("processCode") or not body.get("originatorUserId"):
            return JSONResponse({"code": "MissingParameter", "message": "missing"}, 400)
        instance_id = uuid.uuid4().hex
        self.instances[instance_id] = Instance(
            process_code=str(body["processCode"]),
            originator=str(body["originatorUserId"]),
            dept_id=body.get("deptId"),
            form={str(v["name"]): str(v["value"]) for v in body["formComponentValues"]},
            created_ms=int(time.time() * 1000),
            records=[{"userId": body["originatorUserId"], "type": "START_PROCESS_INSTANCE"}],
        )
        if self.instance_lost_answers:
            self.instance_lost_answers -= 1
            return JSONResponse({"code": "ServiceUnavailable", "message": "timeout"}, 503)
        return JSONResponse({"instanceId": instance_id})

    async def list_instance_ids(self, request: Request) -> JSONResponse:
        """`processes/instanceIds/query`: the ids of a process's instances started since
        `startTime` (at most 120 days back), by the `userIds` originators when given, a page
        of `maxResults` (at most 20) from `nextToken`, oldest first."""
        if not self._token_ok(request):
            return JSONResponse({"code": "InvalidAuthentication", "message": "bad token"}, 401)
        body: dict[str, Any] = await request.json()
        self.instance_listings.append(body)
        start, size = body.get("startTime"), body.get("maxResults", 20)
        users, offset = body.get("userIds") or [], int(body.get("nextToken") or 0)
        if not body.get("processCode") or not isinstance(start, int) or not 0 < size <= 20:
            return JSONResponse({"code": "InvalidParameter", "message": "bad query"}, 400)
        if start < time.time() * 1000 - 120 * 86_400_000 or len(users) > 10:
            return JSONResponse({"code": "InvalidParameter", "message": "out of range"}, 400)
        end = body.get("endTime") or int(time.time() * 1000)
        ids = [
            instance_id
            for instance_id, found in sorted(self.instances.items(), key=lambda i: i[1].created_ms)
            if found.process_code == body["processCode"]
            and start <= found.created_ms <= end
            and (not users or found.originator in users)
        ]
        page = ids[offset : offset + size]
        more = offset + size < len(ids)
        result = {"list": page, "nextToken": str(offset + size) if more else None}
        return JSONResponse({"success": True, "result": result})

    async def get_instance(self, request: Request) -> JSONResponse:
        self.instance_reads += 1
        if self.on_instance_call is not None:
            await self.on_instance_call(f"GET {request.url.path}")
        if not self._token_ok(request):
            return JSONResponse({"code": "InvalidAuthentication", "message": "bad token"}, 401)
        found = self.instances.get(request.query_params.get("processInstanceId", ""))
        if found is None:
            return JSONResponse({"code": "InstanceNotFound", "message": "not found"}, 400)
        result = {
            "processCode": found.process_code,
            "originatorUserId": found.originator,
            "status": found.status,
            "result": found.result,
            "createTime": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(found.created_ms / 1000)),
            "formComponentValues": [
                {"name": name, "value": value, "componentType": "TextField"}
                for name, value in found.form.items()
            ],
            "operationRecords": found.records,
        }
        return JSONResponse({"success": True, "result": result})

    async def terminate_instance(self, request: Request) -> JSONResponse:
        """撤销: `isSystem` ends it as the system; otherwise only its originator may."""
        if not self._token_ok(request):
            return JSONResponse({"code": "InvalidAuthentication", "message": "bad token"}, 401)
        body: dict[str, Any] = await request.json()
        self.terminations.append(body)
        if self.terminate_failures:
            self.terminate_failures -= 1
            return JSONResponse({"code": "ServiceUnavailable", "message": "busy"}, 503)
        found = self.instances.get(str(body.get("processInstanceId")))
        if not isinstance(body.get("isSystem"), bool) or found is None:
            return JSONResponse({"code": "InvalidParameter", "message": "bad instance"}, 400)
        operator = body.get("operatingUserId")
        if not body["isSystem"] and operator != found.originator:
            return JSONResponse({"code": "Forbidden.NotOriginator", "message": "no"}, 400)
        if found.status != "RUNNING":
            return JSONResponse({"code": "InstanceStatusError", "message": "finished"}, 400)
        found.status = "TERMINATED"
        found.records.append(
            {"userId": operator, "type": "TERMINATE_PROCESS_INSTANCE", "remark": body.get("remark")}
        )
        return JSONResponse({"success": True, "result": True})

    def _event(self, instance_id: str, change: str, result: str | None) -> dict[str, Any]:
        found = self.instances[instance_id]
        now = int(time.time() * 1000)
        event = {
            "EventType": "bpms_instance_change",
            "eventId": uuid.uuid4().hex,
            "processInstanceId": instance_id,
            "processCode": found.process_code,
            "type": change,
            "staffId": found.originator,
            "createTime": now,
            "finishTime": now,
            "title": found.form.get("Title", ""),
        }
        return event if result is None else {**event, "result": result}

    def started(self, instance_id: str) -> dict[str, Any]:
        """The event DingTalk pushes once an instance is created."""
        return self._event(instance_id, "start", None)

    def decide(
        self, instance_id: str, user_id: str, result: str, remark: str | None = None
    ) -> dict[str, Any]:
        """An approver agrees or refuses in the app, which ends the instance: the event."""
        found = self.instances[instance_id]
        record = {"userId": user_id, "type": "EXECUTE_TASK_NORMAL", "result": result.upper()}
        found.records.append({**record, **({"remark": remark} if remark else {})})
        found.status, found.result = "COMPLETED", result
        return self._event(instance_id, "finish", result)

    def _unions(self) -> set[str]:
        return {str(user.get("unionid")) for user in self.users.values() if user.get("unionid")}

    async def _todo_gate(self, request: Request) -> JSONResponse | None:
        self.todo_requests.append(f"{request.method} {request.url.path}")
        if not self._token_ok(request):
            return JSONResponse({"code": "InvalidAuthentication", "message": "bad token"}, 401)
        if self.todo_failures:
            self.todo_failures -= 1
            return JSONResponse({"code": "ServiceUnavailable", "message": "busy"}, 503)
        if request.path_params["union_id"] not in self._unions():
            return JSONResponse({"code": "todo.paramError", "message": "user not exist"}, 400)
        if request.method in ("POST", "PUT", "DELETE") and "/org/" not in request.url.path:
            operator = request.query_params.get("operatorId")
            self.todo_operators.append(operator)
            if operator is not None and operator != request.path_params["union_id"]:
                # the path's union id must be the operator's (updates-dingtalk-to-do-tasks)
                return JSONResponse({"code": "todo.paramError", "message": "no permission"}, 400)
        return None

    async def create_todo(self, request: Request) -> JSONResponse:
        if (refused := await self._todo_gate(request)) is not None:
            return refused
        body: dict[str, Any] = await request.json()
        detail = body.get("detailUrl") or {}
        executors = [str(e) for e in body.get("executorIds") or []]
        if not body.get("subject") or not executors or not set(executors) <= self._unions():
            return JSONResponse({"code": "todo.taskCreate.paramError", "message": "param"}, 400)
        if not isinstance(body.get("dueTime"), int) or not detail.get("appUrl"):
            return JSONResponse({"code": "todo.taskCreate.paramError", "message": "param"}, 400)
        if any(t.source_id == body.get("sourceId") for t in self.todos.values()):
            return JSONResponse(
                {"code": "todo.taskCreate.paramError", "message": "task exist"}, 400
            )
        todo_id = f"task{uuid.uuid4().hex}"
        self.todos[todo_id] = Todo(
            owner=request.path_params["union_id"],
            source_id=str(body.get("sourceId")),
            subject=str(body["subject"]),
            executors=executors,
            due_ms=int(body["dueTime"]),
            app_url=str(detail["appUrl"]),
            pc_url=str(detail.get("pcUrl")),
        )
        if self.todo_lost_answers:
            self.todo_lost_answers -= 1
            return JSONResponse({"code": "ServiceUnavailable", "message": "timeout"}, 503)
        return JSONResponse({"id": todo_id, "sourceId": body.get("sourceId"), "done": False})

    def _todo_of(self, request: Request) -> Todo | None:
        found = self.todos.get(request.path_params["todo_id"])
        union_id = request.path_params["union_id"]
        return found if found is not None and union_id in (found.owner, *found.executors) else None

    async def change_todo(self, request: Request) -> JSONResponse:
        if (refused := await self._todo_gate(request)) is not None:
            return refused
        found = self._todo_of(request)
        if found is None:
            return JSONResponse(
                {"code": "todo.taskUpdate.paramError", "message": "task not exist"}, 400
            )
        if request.method == "DELETE":
            del self.todos[request.path_params["todo_id"]]
            return JSONResponse({"result": True})
        if request.method == "GET":
            return JSONResponse(
                {
                    "id": request.path_params["todo_id"],
                    "sourceId": found.source_id,
                    "done": found.done,
                }
            )
        body: dict[str, Any] = await request.json()
        if "done" in body:
            found.done = bool(body["done"])
        if "dueTime" in body:
            found.due_ms = int(body["dueTime"])
        return JSONResponse({"result": True})

    async def query_todos(self, request: Request) -> JSONResponse:
        if (refused := await self._todo_gate(request)) is not None:
            return refused
        body: dict[str, Any] = await request.json()
        union_id = request.path_params["union_id"]
        cards = [
            {"taskId": todo_id, "sourceId": t.source_id, "subject": t.subject, "isDone": t.done}
            for todo_id, t in self.todos.items()
            if union_id in t.executors and t.done == bool(body.get("isDone"))
        ]
        return JSONResponse({"todoCards": cards, "nextToken": None})

    def tick(self, todo_id: str, *, done: bool = True, corp_id: str = "") -> dict[str, Any]:
        """The person completes (or re-opens) the to-do in DingTalk: the `todo_task_update`
        event DingTalk pushes over HTTP ("待办任务更新", event-todo-task-update): ids only."""
        todo = self.todos[todo_id]
        todo.done = done
        now = int(time.time() * 1000)
        return {
            "EventType": "todo_task_update",
            "EventTime": now,
            "CorpId": corp_id,
            "BizId": str(now),
            "eventId": uuid.uuid4().hex,
            "taskId": todo_id,
            "UnionIdList": sorted({todo.owner, *todo.executors}),
        }

    def terminate(self, instance_id: str) -> dict[str, Any]:
        """The originator cancels it 「撤销」 in the app (or the terminate API did): the
        event."""
        self.instances[instance_id].status = "TERMINATED"
        return self._event(instance_id, "terminate", None)

    def issue_auth_code(self, corp_id: str, user_id: str, *, lifetime: float = 300) -> str:
        """What `dd.getAuthCode` hands a micro-app opened by `user_id` in `corp_id`."""
        code = uuid.uuid4().hex
        self.auth_codes[code] = AuthCode(corp_id, user_id, time.time() + lifetime)
        return code

    async def getuserinfo(self, request: Request) -> JSONResponse:
        """`topapi/v2/user/getuserinfo`: a code of the token's corp, once, before it expires."""
        self.userinfo_requests += 1
        if self.userinfo_failures:
            self.userinfo_failures -= 1
            return JSONResponse({"error": "down"}, status_code=503)
        if self.userinfo_busy:
            self.userinfo_busy -= 1
            return JSONResponse({"errcode": -1, "errmsg": "系统繁忙"})
        token = request.query_params.get("access_token", "")
        if token not in self.tokens_issued:
            return JSONResponse({"errcode": 40014, "errmsg": "invalid access_token"})
        app_key = token.removeprefix("token-").rsplit("-", 1)[0]
        body: dict[str, Any] = await request.json()
        found = self.auth_codes.pop(str(body.get("code")), None)
        if (
            found is None
            or found.expires_at < time.time()
            or found.corp_id != self.app_corps.get(app_key)
        ):
            return JSONResponse({"errcode": 40078, "errmsg": "不存在的临时授权码"})
        result = {"userid": found.user_id, "unionid": f"union-{found.user_id}", "sys": False}
        return JSONResponse({"errcode": 0, "errmsg": "ok", "result": result})


@pytest.fixture
async def fake_dingtalk() -> AsyncIterator[FakeDingTalk]:
    target = FakeDingTalk(port=free_port())
    app = Starlette(
        routes=[
            Route("/robot/send", target.robot, methods=["POST"]),
            Route("/gettoken", target.gettoken, methods=["GET"]),
            Route(
                "/topapi/message/corpconversation/asyncsend_v2",
                target.asyncsend,
                methods=["POST"],
            ),
            Route("/topapi/v2/user/get", target.directory, methods=["POST"]),
            Route("/topapi/v2/department/get", target.directory, methods=["POST"]),
            Route("/topapi/v2/user/getuserinfo", target.getuserinfo, methods=["POST"]),
            Route("/v1.0/workflow/processInstances", target.create_instance, methods=["POST"]),
            Route("/v1.0/workflow/processInstances", target.get_instance, methods=["GET"]),
            Route(
                "/v1.0/workflow/processes/instanceIds/query",
                target.list_instance_ids,
                methods=["POST"],
            ),
            Route(
                "/v1.0/workflow/processInstances/terminate",
                target.terminate_instance,
                methods=["POST"],
            ),
            Route("/v1.0/todo/users/{union_id}/tasks", target.create_todo, methods=["POST"]),
            Route(
                "/v1.0/todo/users/{union_id}/tasks/{todo_id}",
                target.change_todo,
                methods=["PUT", "DELETE", "GET"],
            ),
            Route(
                "/v1.0/todo/users/{union_id}/org/tasks/query", target.query_todos, methods=["POST"]
            ),
        ]
    )
    async with serving(app, target.port):
        dingtalk.clear_token_cache()
        yield target
        dingtalk.clear_token_cache()
