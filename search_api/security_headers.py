"""Security headers on every response: framing, sniffing, referrers and caching.

The learner preview authorizes its accept and decline forms with a token in
the URL, so the pages must not be framed by another site (clickjacking) and
must not send their URL on as a Referer. Responses that depend on the caller's
key or token carry candidate data and are not stored by browsers or proxies.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The pages load only /static/style.css and /static/suggest.js, and fetch
# /v1/skills/suggest, all from this origin. No template has inline scripts,
# inline styles or style attributes.
PAGE_POLICY = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)
# FastAPI's /docs page loads Swagger UI's script and stylesheet from
# cdn.jsdelivr.net and starts it with an inline script, so PAGE_POLICY would
# break it. It gets a policy that only forbids framing.
DOCS_POLICY = "frame-ancestors 'none'"
DOCS_PATH = "/docs"

# Paths whose responses are the same for every caller and hold no candidate
# data, so caches may keep them. Every other response gets no-store.
CACHEABLE_PATH_PREFIXES = ("/static/", "/healthz", "/docs", "/openapi.json")

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def content_security_policy(path: str) -> str:
    """Return the Content-Security-Policy for an HTML response at path."""
    if path == DOCS_PATH or path.startswith(DOCS_PATH + "/"):
        return DOCS_POLICY
    return PAGE_POLICY


class SecurityHeaders:
    """ASGI middleware that adds the security headers to each HTTP response.

    A header that the route already set is kept.
    NOTE: responses from the handler for unexpected exceptions (500) are
    built outside the middleware stack, so they go out without these headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    headers.setdefault(name, value)

                content_type = headers.get("content-type", "")
                if content_type.startswith("text/html"):
                    headers.setdefault(
                        "Content-Security-Policy", content_security_policy(path)
                    )
                if not path.startswith(CACHEABLE_PATH_PREFIXES):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
