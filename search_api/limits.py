"""Request body size limit, as pure ASGI middleware in front of the app.

A body is rejected with a 413 problem before the app reads it when its
Content-Length is over the limit. A body without Content-Length, such as a
chunked one, is counted as it streams in and cut off once it passes the
limit, so at most the limit plus one received chunk is ever held in memory.
"""

import contextlib
import json

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.problems import PROBLEM_MEDIA_TYPE, PayloadTooLarge

log = structlog.get_logger(__name__)


class BodyTooLarge(Exception):
    """Raised from receive() once the streamed body passes the limit."""


class RequestBodyLimit:
    """Reject HTTP request bodies larger than max_bytes with a 413 problem."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            log.info(
                "api.request.too_large",
                path=scope["path"],
                content_length=declared,
                max_bytes=self.max_bytes,
            )
            await self._send_problem(scope, send)
            return

        received = 0
        exceeded = False
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            # Once the limit is passed, the app's own response (FastAPI turns
            # the receive error into a 400) is dropped in favour of the 413.
            if exceeded:
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        # FastAPI catches the error while it reads a JSON body, but code that
        # reads request.stream() itself may let it through to here.
        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, limited_receive, guarded_send)

        if exceeded:
            log.info(
                "api.request.too_large",
                path=scope["path"],
                received_bytes=received,
                max_bytes=self.max_bytes,
            )
            if not response_started:
                await self._send_problem(scope, send)

    async def _send_problem(self, scope: Scope, send: Send) -> None:
        problem = PayloadTooLarge(
            f"The request body is larger than {self.max_bytes} bytes, the "
            "maximum this server accepts. Send a smaller body."
        ).to_detail(scope["path"])
        body = json.dumps(problem.model_dump(exclude_none=True)).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": problem.status,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode("ascii")),
                    (b"content-length", str(len(body)).encode("ascii")),
                    # The rest of the body is never read, so the connection
                    # cannot carry another request.
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    """Return the declared Content-Length, or None when absent or not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
