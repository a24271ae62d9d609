"""DingTalk's approval (OA 审批) API, v1.0: start a process instance, find one hrcore
started, read one back, terminate one.

`POST {workflow base}/v1.0/workflow/processInstances` with `processCode`,
`originatorUserId`, `deptId` and `formComponentValues` (`[{name, value}]`, the names of the
form's controls) answers `{"instanceId": …}`; `GET …/processInstances?processInstanceId=`
answers `{"result": {status, result, operationRecords: [{userId, type, result, remark,
date}], …}}`; `POST …/processInstances/terminate` with `processInstanceId`, `isSystem`,
`remark` and `operatingUserId` (without `isSystem` DingTalk requires the originator as the
operator) answers `{"result": true}`; `POST /v1.0/workflow/processes/instanceIds/query` with
`processCode`, `startTime` (ms), `nextToken` (0 first), `maxResults` (at most 20) and
`userIds` (originators) answers `{"result": {"list": [instance ids], "nextToken": …}}`, the
instances started since then, which `find` reads one by one for the form value hrcore
marked its instance with (DingTalk has no idempotency key for instances). The v1.0 API
takes the app's access token in the `x-acs-dingtalk-access-token` header (the same token
`gettoken` hands out, cached by channels) and answers errors with a non-2xx status and
`{code, message}`. Any failure raises `DingTalkError`, so a job retries.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import api as channels
from hrcore.integrations import repository
from hrcore.integrations.config import CallbackConfig

INSTANCES = "/v1.0/workflow/processInstances"
TERMINATE = f"{INSTANCES}/terminate"
INSTANCE_IDS = "/v1.0/workflow/processes/instanceIds/query"
PAGE = 20
"""DingTalk's largest page of instance ids."""
MAX_PAGES = 10
"""How far `find` reads an originator's instances of one process since the intent."""


@dataclass(frozen=True)
class NewInstance:
    """What starting a DingTalk approval needs: the form's values as `(name, value)`."""

    process_code: str
    originator_user_id: str
    dept_id: int | None
    form: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Workflow:
    """One app's client: `token_base` is where its access token comes from (oapi)."""

    client: httpx.AsyncClient
    token_base: str
    api_base: str
    app_key: str
    app_secret: str

    async def _call(
        self, method: str, params: Any = None, body: Any = None, path: str = INSTANCES
    ) -> dict[str, Any]:
        return await channels.call_v1(
            self.client,
            self.token_base,
            self.app_key,
            self.app_secret,
            method,
            f"{self.api_base}{path}",
            label=path,
            params=params,
            body=body,
        )

    async def start(self, instance: NewInstance) -> str:
        """Create the instance; its id."""
        body: dict[str, Any] = {
            "processCode": instance.process_code,
            "originatorUserId": instance.originator_user_id,
            "formComponentValues": [{"name": n, "value": v} for n, v in instance.form],
        }
        if instance.dept_id is not None:
            body["deptId"] = instance.dept_id
        document = await self._call("POST", body=body)
        instance_id = document.get("instanceId")
        if not isinstance(instance_id, str) or not instance_id:
            raise channels.DingTalkError(f"{INSTANCES}: no instanceId in the answer")
        return instance_id

    async def find(
        self, process_code: str, originator: str, since: datetime, marker: tuple[str, str]
    ) -> str | None:
        """The instance of `process_code` the originator started since `since` whose form
        holds `marker` (`(name, value)`); None when DingTalk has none (it was never made)."""
        body: dict[str, Any] = {
            "processCode": process_code,
            "startTime": int(since.timestamp() * 1000),
            "nextToken": 0,
            "maxResults": PAGE,
            "userIds": [originator],
        }
        for _page in range(MAX_PAGES):
            document = await self._call("POST", body=body, path=INSTANCE_IDS)
            result = document.get("result")
            if not isinstance(result, dict):
                raise channels.DingTalkError(f"{INSTANCE_IDS}: no result in the answer")
            for instance_id in result.get("list") or []:
                values = (await self.get(str(instance_id))).get("formComponentValues") or []
                if any(
                    isinstance(v, dict) and (v.get("name"), v.get("value")) == marker
                    for v in values
                ):
                    return str(instance_id)
            if not result.get("nextToken"):
                return None
            body["nextToken"] = result["nextToken"]
        raise channels.DingTalkError(f"{INSTANCE_IDS}: too many instances to look through")

    async def get(self, instance_id: str) -> dict[str, Any]:
        """The instance as DingTalk reads it (`result` of the answer)."""
        document = await self._call("GET", params={"processInstanceId": instance_id})
        result = document.get("result")
        if not isinstance(result, dict):
            raise channels.DingTalkError(f"{INSTANCES}: no result in the answer")
        return result

    async def terminate(self, instance_id: str, operator: str | None, remark: str) -> None:
        """End a running instance 「撤销」: as its originator `operator`, else as the system."""
        body: dict[str, Any] = {
            "processInstanceId": instance_id,
            "isSystem": operator is None,
            "remark": remark,
        }
        if operator is not None:
            body["operatingUserId"] = operator
        document = await self._call("POST", body=body, path=TERMINATE)
        if document.get("result") is not True:
            raise channels.DingTalkError(f"{TERMINATE}: not terminated")


@asynccontextmanager
async def workflow_of(
    session: AsyncSession, org_id: uuid.UUID, config: CallbackConfig
) -> AsyncIterator[Workflow | None]:
    """The organization's approval client while the block runs; None without an active
    integration with an app key and secret."""
    integration = await repository.dingtalk_integration(session, org_id)
    async with httpx.AsyncClient(
        timeout=config.timeout_seconds, follow_redirects=False, trust_env=False
    ) as client:
        if integration is None or not (
            integration.active and integration.app_key and integration.app_secret
        ):
            yield None
        else:
            yield Workflow(
                client,
                config.api_base,
                config.workflow_api_base,
                integration.app_key,
                integration.app_secret,
            )
