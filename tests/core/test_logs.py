from __future__ import annotations

import json
import logging

import pytest

from hrcore.core.context import request_id_var
from hrcore.core.logs import configure_logging


def test_log_lines_are_json_with_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("INFO", json=True)
    token = request_id_var.set("req-42")
    try:
        logging.getLogger("hrcore.test").info("hello %s", "world")
    finally:
        request_id_var.reset(token)
        root.handlers[:], root.level = saved[0], saved[1]
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["message"] == "hello world"
    assert line["request_id"] == "req-42"
    assert line["level"] == "INFO"


def test_font_subsetting_chatter_is_quiet_and_its_warnings_pass() -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("INFO", json=False)
    try:
        subsetter = logging.getLogger("fontTools.subset")
        assert not subsetter.isEnabledFor(logging.INFO)
        assert subsetter.isEnabledFor(logging.WARNING)
        assert logging.getLogger("hrcore.contracts").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
