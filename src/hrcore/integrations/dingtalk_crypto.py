"""DingTalk's callback encryption: signature, AES-256-CBC framing and the encrypted reply.

The scheme of DingTalk's own libraries (`DingCallbackCrypto`):

- signature = hex SHA-1 of the sorted concatenation of [token, timestamp, nonce, encrypt];
- key = Base64-decode(aes_key + "=") of the 43-character EncodingAESKey (32 bytes, AES-256),
  IV = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks;
- plaintext = 16 random bytes + 4-byte big-endian message length + message + receiver id
  (the corp id, suite key or app key the callback was registered for).

Pure functions and no I/O: the service decides what a failure means for the request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import string
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

AES_KEY_LENGTH = 43
BLOCK = 32
RANDOM_PREFIX = 16
SUCCESS = "success"
_NONCE_ALPHABET = string.ascii_letters + string.digits


class DingTalkCryptoError(Exception):
    """The callback cannot be verified or decrypted (the message says why, for the log)."""


def _key(aes_key: str) -> bytes:
    if len(aes_key) != AES_KEY_LENGTH:
        raise DingTalkCryptoError(f"the EncodingAESKey must be {AES_KEY_LENGTH} characters")
    try:
        key = base64.b64decode(aes_key + "=", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DingTalkCryptoError("the EncodingAESKey is not Base64") from exc
    if len(key) != 32:  # pragma: no cover - 43 Base64 characters always decode to 32 bytes
        raise DingTalkCryptoError("the EncodingAESKey does not decode to 32 bytes")
    return key


def valid_aes_key(aes_key: str) -> bool:
    try:
        _key(aes_key)
    except DingTalkCryptoError:
        return False
    return True


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """Hex SHA-1 of the four values sorted and concatenated."""
    joined = "".join(sorted([token, timestamp, nonce, encrypt]))
    return hashlib.sha1(joined.encode(), usedforsecurity=False).hexdigest()


def new_nonce(length: int = 16) -> str:
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class DingTalkCrypto:
    """One integration's secrets: `receiver_id` is the corp id or app key it is registered for."""

    token: str
    aes_key: str
    receiver_id: str

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return signature(self.token, timestamp, nonce, encrypt)

    def verify_signature(
        self, signature_hex: str, timestamp: str, nonce: str, encrypt: str
    ) -> None:
        expected = self.signature(timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected.encode(), signature_hex.lower().encode()):
            raise DingTalkCryptoError("signature mismatch")

    def _cipher(self) -> Cipher[modes.CBC]:
        key = _key(self.aes_key)
        return Cipher(algorithms.AES(key), modes.CBC(key[:16]))

    def encrypt(self, message: str, *, random_prefix: bytes | None = None) -> str:
        """Base64 of AES(random + length + message + receiver id), as DingTalk frames it."""
        body = message.encode()
        prefix = random_prefix if random_prefix is not None else os.urandom(RANDOM_PREFIX)
        if len(prefix) != RANDOM_PREFIX:
            raise ValueError(f"the random prefix must be {RANDOM_PREFIX} bytes")
        plain = prefix + struct.pack(">I", len(body)) + body + self.receiver_id.encode()
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def decrypt(self, encrypt: str) -> str:
        """The message inside `encrypt`; raises when it is malformed or for another receiver."""
        try:
            data = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DingTalkCryptoError("encrypt is not Base64") from exc
        if not data or len(data) % 16:
            raise DingTalkCryptoError("encrypt is not a whole number of AES blocks")
        decryptor = self._cipher().decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise DingTalkCryptoError("bad padding (wrong key?)")
        plain = plain[:-pad]
        if len(plain) < RANDOM_PREFIX + 4:
            raise DingTalkCryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[RANDOM_PREFIX : RANDOM_PREFIX + 4])
        start = RANDOM_PREFIX + 4
        if start + length > len(plain):
            raise DingTalkCryptoError("message length exceeds the plaintext (wrong key?)")
        message, receiver = plain[start : start + length], plain[start + length :]
        if not hmac.compare_digest(receiver, self.receiver_id.encode()):
            raise DingTalkCryptoError("receiver id does not match this integration")
        try:
            return message.decode()
        except UnicodeDecodeError as exc:
            raise DingTalkCryptoError("message is not UTF-8") from exc

    def reply(self, timestamp: str, nonce: str, message: str = SUCCESS) -> dict[str, str]:
        """The body DingTalk expects back: the encrypted `success`, signed."""
        encrypted = self.encrypt(message)
        return {
            "msg_signature": self.signature(timestamp, nonce, encrypted),
            "timeStamp": timestamp,
            "nonce": nonce,
            "encrypt": encrypted,
        }
