"""The control-plane client: the journal is read page by page, and a refused read is a harness error."""

from __future__ import annotations

import httpx
import pytest

from nspcert.nsp.admin import MockNspAdmin, MockNspError


def _admin(handler: httpx.MockTransport) -> MockNspAdmin:
    return MockNspAdmin.over(httpx.Client(base_url="http://mock.invalid/__admin", transport=handler))


def test_an_unknown_mark_is_a_harness_error_not_an_empty_journal() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": f"unknown mark {request.url.params['mark']!r}"})

    with pytest.raises(MockNspError, match="answered 404: .*unknown mark 'scenario-1'"):
        _admin(httpx.MockTransport(answer)).journal(mark="scenario-1")


def test_the_journal_is_read_page_by_page() -> None:
    entries = [{"id": n} for n in range(1, 6)]
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        after, limit = int(request.url.params.get("after_id", 0)), int(request.url.params["limit"])
        asked.append(str(after))
        return httpx.Response(200, json={"entries": [e for e in entries if e["id"] > after][:limit], "dropped": 0})

    assert _admin(httpx.MockTransport(answer)).journal(page=2, mark="m") == entries
    assert asked == ["0", "2", "4"]


def test_a_client_over_a_given_http_client_names_the_mock_and_closes_that_client() -> None:
    http = httpx.Client(base_url="http://mock.invalid/__admin", transport=httpx.MockTransport(lambda _: httpx.Response(200)))
    admin = MockNspAdmin.over(http)
    assert admin.base_url == "http://mock.invalid"
    admin.close()
    assert http.is_closed
