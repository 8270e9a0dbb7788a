"""The mock's own tests against a mock that is already running (``MOCK_NSP_TEST_URL``), such as the mock-nsp image.

``MOCK_NSP_TEST_TOKEN`` is its control-plane token (sent to ``/__admin`` only, so no service request carries it into
the journal); ``MOCK_NSP_TEST_STATE_DIR`` is the folder of its state (the container's ``/data``), where the tests
that sign as the mock's STS find its test CA. Each test starts from a reset and reads only what it journaled
(a mark), as with the multi-process mock. What a test would otherwise read inside the app it asks the control
plane for (the clock); a test that reaches into the app itself is skipped.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import httpx
import pytest
from mocknsp_support import Mock

from mock_nsp.security.ca import TestCA
from mock_nsp.settings import Settings

URL = "MOCK_NSP_TEST_URL"
TOKEN = "MOCK_NSP_TEST_TOKEN"
STATE_DIR = "MOCK_NSP_TEST_STATE_DIR"


class RemoteClock:
    """The running mock's clock, moved through its control plane."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def advance(self, delta: timedelta) -> None:
        self.http.post("/__admin/clock/advance", json={"seconds": delta.total_seconds()}).raise_for_status()


@dataclass
class RemoteState:
    ca: TestCA
    clock: RemoteClock
    settings: Settings = field(default_factory=Settings)


@dataclass
class RemoteServer:
    """Stands in for the in-process live server: the same URL and port, no app to reach into."""

    url: str

    @property
    def port(self) -> int:
        return int(urlsplit(self.url).port or 80)

    @property
    def app(self) -> NoReturn:
        pytest.skip("reaches into the mock's app: in-process only (MOCK_NSP_TEST_URL names a running mock)")


def _ca() -> TestCA:
    folder = os.environ.get(STATE_DIR)
    if not folder or not (Path(folder) / "ca.pem").is_file():
        raise RuntimeError(f"MOCK_NSP_TEST_URL needs {STATE_DIR}: the running mock's state folder with its ca.pem "
                           f"(got {folder!r})")
    return TestCA.load_or_create(Path(folder))


def _token_for_the_control_plane(request: httpx.Request) -> None:
    if request.url.path.startswith("/__admin") and os.environ.get(TOKEN):
        request.headers["x-admin-token"] = os.environ[TOKEN]


@contextlib.contextmanager
def remote_mock(url: str) -> Iterator[Mock]:
    hooks: dict[str, list[Any]] = {"request": [_token_for_the_control_plane]}
    with httpx.Client(base_url=url, timeout=30, event_hooks=hooks) as http:
        http.post("/__admin/reset").raise_for_status()
        mark = f"test-{uuid.uuid4()}"  # what this test journals comes after it
        http.post("/__admin/journal/marks", json={"name": mark}).raise_for_status()
        m = Mock(http)  # type: ignore[arg-type]
        m.app_state, m.journal_mark = RemoteState(_ca(), RemoteClock(http)), mark
        yield m
