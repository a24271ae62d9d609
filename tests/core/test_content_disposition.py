"""A document's file name survives any script and any character a person's name holds."""

from __future__ import annotations

from hrcore.core.pdf import content_disposition


def test_names_are_encoded_and_the_fallback_is_ascii() -> None:
    header = content_disposition('变更协议-E01-李/"雷"-v2.pdf', "amendment-E01 李-v2.pdf")
    assert header == (
        'inline; filename="amendment-E01_-v2.pdf"; '
        "filename*=UTF-8''%E5%8F%98%E6%9B%B4%E5%8D%8F%E8%AE%AE-E01-%E6%9D%8E_%E9%9B%B7_-v2.pdf"
    )
