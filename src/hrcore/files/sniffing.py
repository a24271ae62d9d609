"""What a file is, read from its bytes: the declared content type and the name are the
client's word, the magic numbers are not. Only the formats below are recognised."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE_BY_EXTENSION = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
MAX_NAME = 200
_SEPARATORS = re.compile(r"[\\/]")


def _ooxml(data: bytes) -> str | None:
    """An Office Open XML document is a zip with `[Content_Types].xml` and its main part's
    folder; only the central directory is read, never the (compressed) contents."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, media_type in _OOXML_PARTS:
        if any(name.startswith(prefix) for name in names):
            return media_type
    return None


def sniff(data: bytes, file_name: str) -> str | None:
    """The content type of `data`, or None when it is none of the recognised formats. The
    legacy Office formats share one container (OLE), told apart by the name's extension."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        return _ooxml(data)
    if data.startswith(_OLE):
        return OLE_BY_EXTENSION.get(file_name.rpartition(".")[2].lower())
    return None


def clean_name(raw: str | None) -> str:
    """The name as the user's device gave it, safe to store and show: no directories, no
    control characters, no leading dots, at most 200 characters, NFC; 'file' when nothing
    is left."""
    name = _SEPARATORS.split(unicodedata.normalize("NFC", raw or ""))[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        _stem, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 10 else ""
        name = name[: MAX_NAME - len(keep) - 1] + "." + keep if keep else name[:MAX_NAME]
    return name or "file"
