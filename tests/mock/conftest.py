"""Fixtures for the mock NSP's own tests: an in-process app (starlette TestClient), embedded or hosted
(MOCK_NSP_TEST_HOSTED), or a mock that is already running somewhere, such as its container (MOCK_NSP_TEST_URL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from mocknsp_support import Mock
from remote_support import URL, RemoteServer, remote_mock
from starlette.testclient import TestClient

from mock_nsp.plane.app import create_app
from mock_nsp.settings import Settings


@pytest.fixture(scope="session")
def ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One test CA for the session (key generation is the slow part of starting a mock)."""
    return tmp_path_factory.mktemp("ca")


#: MOCK_NSP_TEST_HOSTED=1 runs every test of the `mock` fixture against the hosted mode (PostgreSQL, a fresh
#: database per test) instead of the embedded one: the same proofs for both stores
TEST_HOSTED = os.environ.get("MOCK_NSP_TEST_HOSTED") == "1"
#: MOCK_NSP_TEST_URL=http://127.0.0.1:P runs every test of the `mock`, `live` and `live_mock` fixtures against the mock
#: running there (reset before each test), e.g. the mock-nsp image (tests/mock/test_mock_container.py); see
#: remote_support for its token and state folder
TEST_URL = os.environ.get(URL)


@pytest.fixture
def in_process_only() -> None:
    """For a test that reaches into the app (monkeypatches it) or needs a fresh journal: skipped against a mock
    running elsewhere."""
    if TEST_URL:
        pytest.skip("needs the in-process mock (MOCK_NSP_TEST_URL names a running one)")


@pytest.fixture
def mock(tmp_path: Path, ca_dir: Path, request: pytest.FixtureRequest) -> Iterator[Mock]:
    if TEST_URL:
        with remote_mock(TEST_URL) as remote:
            yield remote
        return
    if TEST_HOSTED:
        from hosted_support import new_database

        from mock_nsp.plane.app import app_for

        url = new_database(request.getfixturevalue("postgres"))
        app = app_for(Settings(database=url, state_dir=ca_dir))
    else:
        app = create_app(Settings(journal_path=tmp_path / "journal.sqlite", state_dir=ca_dir))
    with TestClient(app) as http:
        yield Mock(http)


class LiveServer:
    """A real uvicorn server in a thread, on a free loopback port."""

    def __init__(self, tmp: Path) -> None:
        import socket
        import threading

        import uvicorn

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.app = create_app(Settings(journal_path=tmp / "live.sqlite", state_dir=tmp / "live-state"))
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="error", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        import time

        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer | RemoteServer]:
    if TEST_URL:
        yield RemoteServer(TEST_URL)
        return
    server = LiveServer(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture
def live_mock(live: LiveServer | RemoteServer) -> Iterator[Mock]:
    """A Mock whose HTTP goes to the live server (httpx), reset before use."""
    import httpx

    if isinstance(live, RemoteServer):
        with remote_mock(live.url) as remote:
            yield remote
        return
    with httpx.Client(base_url=live.url, timeout=10) as http:
        http.post("/__admin/reset")
        m = Mock(http)  # type: ignore[arg-type]
        m.app_state = live.app.state.mock
        yield m
