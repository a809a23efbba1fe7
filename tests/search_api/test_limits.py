"""Request body size limit: declared, streamed and chunked bodies."""

import asyncio
import json

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.limits import RequestBodyLimit
from tests.conftest import bearer

PROBLEM = "application/problem+json"
TOO_LARGE = "https://skillbeacon.dev/problems/payload-too-large"


def _padded_search(total_bytes: int) -> bytes:
    """A valid search body padded with spaces to total_bytes."""
    body = b'{"skills": ["teamwork"]}'
    return body + b" " * (total_bytes - len(body))


def test_default_limit_is_one_mebibyte(settings):
    assert settings.max_request_bytes == 1024 * 1024


def test_large_body_is_413(api):
    response = api.post(
        "/v1/search",
        content=_padded_search(2 * 1024 * 1024),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == TOO_LARGE
    assert problem["status"] == 413
    assert str(1024 * 1024) in problem["detail"]
    assert problem["instance"] == "/v1/search"


def test_body_at_limit_is_accepted(api):
    response = api.post(
        "/v1/search",
        content=_padded_search(1024 * 1024),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 200


@pytest.fixture(scope="module")
def small_limit_api(settings, client, population, api_keys):
    limited = settings.model_copy(update={"max_request_bytes": 200})
    app = create_app(limited, client)
    with TestClient(app, headers=bearer(api_keys["recruiter"])) as http:
        yield http


def test_chunked_body_over_limit_is_413(small_limit_api):
    def chunks():
        yield b'{"skills": ["teamwork"]'
        for _ in range(50):
            yield b" " * 64
        yield b"}"

    response = small_limit_api.post(
        "/v1/search", content=chunks(), headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == TOO_LARGE
    assert "200 bytes" in response.json()["detail"]


def test_chunked_body_under_limit_is_accepted(small_limit_api):
    def chunks():
        yield b'{"skills": '
        yield b'["teamwork"]}'

    response = small_limit_api.post(
        "/v1/search", content=chunks(), headers={"content-type": "application/json"}
    )

    assert response.status_code == 200


def _run_limited(limit: int, chunk: bytes, chunk_count: int, headers=()):
    """Send chunk_count chunks through the middleware to an app that reads all.

    Returns the response messages and how many chunks the middleware pulled.
    """
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        pulled += 1
        more = pulled < chunk_count
        return {"type": "http.request", "body": chunk, "more_body": more}

    async def send(message):
        sent.append(message)

    async def read_all(scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(body)).encode()})

    scope = {"type": "http", "path": "/v1/search", "headers": list(headers)}
    middleware = RequestBodyLimit(read_all, max_bytes=limit)
    asyncio.run(middleware(scope, receive, send))
    return sent, pulled


def test_middleware_stops_reading_past_limit():
    sent, pulled = _run_limited(limit=1000, chunk=b"x" * 100, chunk_count=10_000)

    assert sent[0]["status"] == 413
    assert (b"content-type", PROBLEM.encode()) in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["type"] == TOO_LARGE
    # 1,000 bytes fit in 10 chunks, and the 11th passes the limit.
    assert pulled == 11


def test_middleware_rejects_declared_length_unread():
    headers = [(b"content-length", b"5000")]

    sent, pulled = _run_limited(
        limit=1000, chunk=b"x" * 100, chunk_count=50, headers=headers
    )

    assert sent[0]["status"] == 413
    assert pulled == 0


def test_middleware_passes_body_under_limit():
    sent, pulled = _run_limited(limit=1000, chunk=b"x" * 100, chunk_count=10)

    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"1000"
    assert pulled == 10
