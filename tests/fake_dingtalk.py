"""A local DingTalk on 127.0.0.1: robots that check signatures and the per-minute limit,
the open API (gettoken, asyncsend_v2) that checks access tokens, the directory
(user/get, department/get) and the approval app (v1.0 process instances: created, read back,
terminated through the API, decided by `decide`/`terminate`, which answer the
`bpms_instance_change` event DingTalk then pushes). Shared by the channels, integrations and
approvals tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import AsyncIterator
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


@dataclass
class Instance:
    """A process instance as DingTalk keeps it."""

    process_code: str
    originator: str
    dept_id: int | None
    form: dict[str, str]
    status: str = "RUNNING"
    result: str = ""
    records: list[dict[str, Any]] = field(default_factory=list)


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
    terminations: list[dict[str, Any]] = field(default_factory=list)
    """Every terminate request's body, answered or failed."""
    terminate_failures: int = 0
    """Terminations to answer with 503 before terminating again."""

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
        self.notices.append(
            WorkNotice(
                agent_id=int(body["agent_id"]),
                user_ids=str(body["userid_list"]).split(","),
                content=str(body["msg"]["text"]["content"]),
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
            records=[{"userId": body["originatorUserId"], "type": "START_PROCESS_INSTANCE"}],
        )
        return JSONResponse({"instanceId": instance_id})

    async def get_instance(self, request: Request) -> JSONResponse:
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

    def terminate(self, instance_id: str) -> dict[str, Any]:
        """The originator cancels it 「撤销」 in the app (or the terminate API did): the
        event."""
        self.instances[instance_id].status = "TERMINATED"
        return self._event(instance_id, "terminate", None)


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
            Route("/v1.0/workflow/processInstances", target.create_instance, methods=["POST"]),
            Route("/v1.0/workflow/processInstances", target.get_instance, methods=["GET"]),
            Route(
                "/v1.0/workflow/processInstances/terminate",
                target.terminate_instance,
                methods=["POST"],
            ),
        ]
    )
    async with serving(app, target.port):
        dingtalk.clear_token_cache()
        yield target
        dingtalk.clear_token_cache()
