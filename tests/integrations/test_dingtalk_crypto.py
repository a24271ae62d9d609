"""DingTalk's own published callback example (open platform docs, "回调接口本地调试方案"):
hrcore's crypto must verify and decrypt it byte for byte."""

from __future__ import annotations

import pytest

from hrcore.integrations.dingtalk_crypto import DingTalkCrypto, DingTalkCryptoError

TOKEN = "123456"
AES_KEY = "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij"
RECEIVER = "suite4xxxxxxxxxxxxxxx"
SIGNATURE = "5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0"
TIMESTAMP = "1445827045067"
NONCE = "nEXhMP4r"
ENCRYPT = (
    "1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBm"
    "fxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBd"
    "HlegK+AGGanfwjXuQ9+0pZcy0w9lQ=="
)
PLAINTEXT = (
    '{"EventType":"check_create_suite_url","Random":"LPIdSnlF",'
    '"TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}'
)


def test_dingtalks_published_example_verifies_and_decrypts() -> None:
    crypto = DingTalkCrypto(TOKEN, AES_KEY, RECEIVER)

    assert crypto.signature(TIMESTAMP, NONCE, ENCRYPT) == SIGNATURE
    assert crypto.decrypt(ENCRYPT) == PLAINTEXT


def test_the_example_for_another_receiver_is_refused() -> None:
    with pytest.raises(DingTalkCryptoError):
        DingTalkCrypto(TOKEN, AES_KEY, "dingsomeoneelse").decrypt(ENCRYPT)
