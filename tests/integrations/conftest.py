"""A test-side DingTalk: encrypts and signs callbacks the way DingTalk does.

Written independently of `hrcore.integrations.dingtalk_crypto` (straight from DingTalk's
callback scheme), so the tests check interoperability rather than the code against itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
import time
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from httpx import AsyncClient, Response

from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org


def new_aes_key() -> str:
    return base64.b64encode(os.urandom(32)).decode().rstrip("=")


def sha1_signature(*values: str) -> str:
    return hashlib.sha1("".join(sorted(values)).encode()).hexdigest()


def dingtalk_encrypt(aes_key: str, receiver_id: str, message: str) -> str:
    key = base64.b64decode(aes_key + "=")
    body = message.encode()
    plain = os.urandom(16) + struct.pack(">I", len(body)) + body + receiver_id.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def dingtalk_decrypt(aes_key: str, encrypt: str) -> tuple[str, str]:
    """(message, receiver id)."""
    key = base64.b64decode(aes_key + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypt)) + decryptor.finalize()
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    return plain[20 : 20 + length].decode(), plain[20 + length :].decode()


@dataclass
class Signed:
    params: dict[str, str]
    body: dict[str, str]


@dataclass
class DingTalkSender:
    api: AsyncClient
    slug: str
    token: str
    aes_key: str
    receiver_id: str

    def sign(
        self,
        message: dict[str, Any] | str,
        *,
        timestamp: str | None = None,
        encrypt: str | None = None,
        aes_key: str | None = None,
        receiver_id: str | None = None,
        token: str | None = None,
    ) -> Signed:
        text = message if isinstance(message, str) else json.dumps(message)
        encrypted = encrypt or dingtalk_encrypt(
            aes_key or self.aes_key, receiver_id or self.receiver_id, text
        )
        stamp = timestamp or str(int(time.time() * 1000))
        nonce = secrets.token_hex(8)
        signature = sha1_signature(token or self.token, stamp, nonce, encrypted)
        return Signed(
            params={"org": self.slug, "signature": signature, "timestamp": stamp, "nonce": nonce},
            body={"encrypt": encrypted},
        )

    async def post(self, signed: Signed, *, org: str | None = None) -> Response:
        params = {**signed.params, **({"org": org} if org else {})}
        return await self.api.post(
            "/api/v1/integrations/dingtalk/events", params=params, json=signed.body
        )

    async def send(self, message: dict[str, Any] | str, **options: Any) -> Response:
        return await self.post(self.sign(message, **options))

    def check_reply(self, response: Response) -> None:
        """The reply is DingTalk's encrypted, signed `success`."""
        assert response.status_code == 200, response.text
        reply = response.json()
        assert set(reply) == {"msg_signature", "timeStamp", "nonce", "encrypt"}
        expected = sha1_signature(self.token, reply["timeStamp"], reply["nonce"], reply["encrypt"])
        assert reply["msg_signature"] == expected
        assert dingtalk_decrypt(self.aes_key, reply["encrypt"]) == ("success", self.receiver_id)


async def configure(api: AsyncClient, hr: Account, slug: str) -> DingTalkSender:
    sender = DingTalkSender(
        api=api,
        slug=slug,
        token=secrets.token_hex(8),
        aes_key=new_aes_key(),
        receiver_id=f"ding{secrets.token_hex(6)}",
    )
    response = await api.put(
        "/api/v1/integrations/dingtalk",
        json={"receiver_id": sender.receiver_id, "token": sender.token, "aes_key": sender.aes_key},
        headers=hr.headers,
    )
    assert response.status_code == 200, response.text
    return sender


@pytest.fixture
async def hr(runtime: Runtime) -> Account:
    return await make_org(runtime, slug="acme")


@pytest.fixture
async def dingtalk(api: AsyncClient, hr: Account) -> DingTalkSender:
    return await configure(api, hr, "acme")
