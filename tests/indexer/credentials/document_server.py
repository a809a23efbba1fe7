"""A plain HTTP server on 127.0.0.1 that serves test documents to the fetcher."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What the server sends for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before the status line, or between body chunks.
    delay_before: float = 0.0
    chunk_delay: float = 0.0
    chunk_size: int = 0
    # False sends no Content-Length, so the body ends when the server closes.
    content_length: bool = True


@dataclass
class DocumentServer:
    base_url: str
    routes: dict[str, Reply | Callable[[], Reply]]
    hits: dict[str, int]

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def serve_documents() -> Iterator[DocumentServer]:
    """Run a server on a free 127.0.0.1 port; routes are filled in by the test."""
    routes: dict[str, Reply | Callable[[], Reply]] = {}
    hits: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            hits[self.path] = hits.get(self.path, 0) + 1
            route = routes.get(self.path, Reply(status=404, body=b"not found"))
            reply = route() if callable(route) else route
            time.sleep(reply.delay_before)

            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.content_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()

            size = reply.chunk_size or len(reply.body) or 1
            for start in range(0, len(reply.body), size):
                self.wfile.write(reply.body[start : start + size])
                self.wfile.flush()
                time.sleep(reply.chunk_delay)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        port = server.server_address[1]
        yield DocumentServer(f"http://127.0.0.1:{port}", routes, hits)
    finally:
        server.shutdown()
        server.server_close()
