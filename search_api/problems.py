"""RFC 9457 problem details: the one place errors become HTTP responses.

Every error a client can see goes through the handlers installed here, so
each has a stable `type` URI, a status and a human `detail`. OpenSearch
errors and stack traces never reach the client; they are logged instead.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from opensearchpy.exceptions import OpenSearchException, RequestError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from skillbeacon.store.client import StoreError

log = structlog.get_logger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://skillbeacon.dev/problems/"
MAX_ECHOED_VALUE_CHARS = 100

# The `field` of an error that concerns the whole request body.
BODY_FIELD = "(request body)"

# Paths whose errors are sent as problem+json. Errors on every other path,
# unknown ones included, are rendered as HTML pages.
API_PATH_PREFIXES = ("/v1/", "/healthz", "/docs", "/openapi.json", "/static/")


class InvalidParam(BaseModel):
    """One rejected input value."""

    field: str = Field(description="Dotted path of the field, e.g. 'filters.country'.")
    location: str = Field(description="body, query, path or header.")
    value: Any = Field(default=None, description="The rejected value, shortened.")
    message: str


class ProblemDetail(BaseModel):
    """An RFC 9457 problem details object."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[InvalidParam] | None = None


class Problem(Exception):
    """An error with a stable problem type; raise it from any route."""

    slug = "about:blank"
    title = "Error"
    status = 500

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers

    def to_detail(self, instance: str | None = None) -> ProblemDetail:
        return ProblemDetail(
            type=problem_type(self.slug),
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
        )


class CandidateNotFound(Problem):
    slug = "candidate-not-found"
    title = "Candidate not found"
    status = 404


class Unauthorized(Problem):
    """No valid API key came with the request.

    With invalid_token, the challenge carries `error="invalid_token"`, which
    RFC 6750 section 3.1 defines for a token that was sent but is invalid,
    revoked or malformed. Without credentials, the challenge is plain `Bearer`.
    """

    slug = "unauthorized"
    title = "Authentication required"
    status = 401

    def __init__(self, detail: str, invalid_token: bool = False) -> None:
        challenge = 'Bearer error="invalid_token"' if invalid_token else "Bearer"
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class Forbidden(Problem):
    """The API key is valid, but its role may not use this endpoint."""

    slug = "forbidden"
    title = "Forbidden"
    status = 403


class PreviewTokenInvalid(Problem):
    slug = "preview-token-invalid"
    title = "Preview link invalid"
    status = 403


class TooManyRequests(Problem):
    slug = "rate-limited"
    title = "Too many requests"
    status = 429

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_seconds)})


class LearnerNotFound(Problem):
    slug = "learner-not-found"
    title = "Learner not found"
    status = 404


class InterestNotFound(Problem):
    slug = "interest-not-found"
    title = "Interest request not found"
    status = 404


class InterestAlreadyAnswered(Problem):
    slug = "interest-already-answered"
    title = "Interest request already answered"
    status = 409


class ContactNotAccepted(Problem):
    slug = "contact-not-accepted"
    title = "Learner does not accept contact requests"
    status = 409


class EngineUnavailable(Problem):
    slug = "engine-unavailable"
    title = "Search engine unavailable"
    status = 503


class QueryRejected(Problem):
    """OpenSearch rejected a query that the server built from a valid request."""

    slug = "query-rejected"
    title = "Search query rejected"
    status = 500


class PayloadTooLarge(Problem):
    slug = "payload-too-large"
    title = "Request body too large"
    status = 413


class UnsupportedMediaType(Problem):
    slug = "unsupported-media-type"
    title = "Unsupported media type"
    status = 415


def problem_type(slug: str) -> str:
    return PROBLEM_TYPE_BASE + slug


# The problem responses each route can produce, for the OpenAPI document.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "Invalid request: `errors` names each bad field and value.",
    },
    500: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "The server failed, for example because OpenSearch "
        "rejected the query it built. The error is logged.",
    },
    503: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "OpenSearch is unreachable or failed; retry later.",
    },
}

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "No API key, or an invalid or revoked one. Send "
        "`Authorization: Bearer sb_...`.",
    },
    403: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "The key's role may not use this endpoint.",
    },
    429: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "The key passed its rate limit, or the key id or client "
        "sent too many invalid keys or preview tokens; retry after the seconds "
        "in `Retry-After`.",
    },
}

HtmlRenderer = Callable[[Request, ProblemDetail], Response]

# UI pages send a browser without a sign-in here, with the page as `next`.
LOGIN_PATH = "/login"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PATH_PREFIXES)


def shorten_value(value: Any) -> Any:
    """Cut a value to MAX_ECHOED_VALUE_CHARS characters for echoing in a problem."""
    if isinstance(value, str | int | float | bool) or value is None:
        if isinstance(value, str) and len(value) > MAX_ECHOED_VALUE_CHARS:
            return value[:MAX_ECHOED_VALUE_CHARS] + "…"
        return value
    text = repr(value)
    if len(text) > MAX_ECHOED_VALUE_CHARS:
        return text[:MAX_ECHOED_VALUE_CHARS] + "…"
    return text


def invalid_params(errors: list[dict[str, Any]]) -> list[InvalidParam]:
    """Convert pydantic error records into problem `errors` entries."""
    params = []
    for error in errors:
        kind = error.get("type")
        location = [str(part) for part in error.get("loc", ())]
        where = location[0] if location else "body"
        field = ".".join(location[1:]) or BODY_FIELD
        message = str(error.get("msg", "invalid value"))
        # A missing field has no value; pydantic reports the parent object there.
        value = None if kind == "missing" else error.get("input")

        if kind == "json_invalid":
            # FastAPI puts the decoder's character offset where a field name goes.
            reason = (error.get("ctx") or {}).get("error", "invalid JSON")
            field = BODY_FIELD
            value = None
            message = (
                f"the request body is not valid JSON: {reason} at position "
                f"{location[1] if len(location) > 1 else 0}"
            )
        elif field == BODY_FIELD and isinstance(value, dict):
            # A rule over the whole object, such as "give at least one skill";
            # echoing the object would only repeat the request.
            value = None
        if field == BODY_FIELD and kind == "missing":
            message = "a JSON request body is required"

        params.append(
            InvalidParam(
                field=field,
                location=where,
                value=shorten_value(value),
                message=message,
            )
        )
    return params


def validation_detail(params: list[InvalidParam]) -> str:
    first = params[0]
    if first.field == BODY_FIELD and first.value is None:
        text = first.message[:1].upper() + first.message[1:] + "."
    elif first.value is None:
        text = f"Field '{first.field}' ({first.location}): {first.message}."
    else:
        text = (
            f"Invalid value {first.value!r} for field '{first.field}' "
            f"({first.location}): {first.message}."
        )
    if len(params) > 1:
        text += f" {len(params) - 1} more invalid field(s) are listed in 'errors'."
    return text + " Correct the request and send it again."


def _rejected_query(error: BaseException) -> RequestError | None:
    """Return the engine's HTTP 400 behind error, raw or wrapped in StoreError."""
    for candidate in (error, error.__cause__):
        if isinstance(candidate, RequestError):
            return candidate
    return None


def _root_cause_types(error: RequestError) -> list[str]:
    """List the engine's root cause types, such as illegal_argument_exception."""
    info = error.info if isinstance(error.info, dict) else {}
    details = info.get("error")
    if not isinstance(details, dict):
        return []
    causes = details.get("root_cause") or []
    return [str(cause.get("type")) for cause in causes if isinstance(cause, dict)]


def install_problem_handlers(
    app: FastAPI, html_renderer: HtmlRenderer | None = None
) -> None:
    """Render every error as problem+json, or as an HTML page for UI paths."""

    def respond(
        request: Request,
        problem: ProblemDetail,
        headers: dict[str, str] | None = None,
    ) -> Response:
        if html_renderer is not None and _wants_html(request):
            if problem.status == 401 and request.method == "GET":
                # The query string is kept, so a search page opened before
                # sign-in shows the same search after it.
                requested = request.url.path
                if request.url.query:
                    requested += "?" + request.url.query
                target = LOGIN_PATH + "?" + urlencode({"next": requested})
                return RedirectResponse(target, status_code=303)
            page = html_renderer(request, problem)
            page.headers.update(headers or {})
            return page
        return JSONResponse(
            problem.model_dump(exclude_none=True),
            status_code=problem.status,
            media_type=PROBLEM_MEDIA_TYPE,
            headers=headers,
        )

    @app.exception_handler(Problem)
    async def handle_problem(request: Request, error: Problem) -> Response:
        log.info("api.problem", path=request.url.path, problem=error.slug)
        return respond(request, error.to_detail(request.url.path), error.headers)

    @app.exception_handler(RequestValidationError)
    async def handle_validation(
        request: Request, error: RequestValidationError
    ) -> Response:
        params = invalid_params(list(error.errors()))
        log.info(
            "api.request.invalid",
            path=request.url.path,
            fields=[param.field for param in params],
        )
        problem = ProblemDetail(
            type=problem_type("validation"),
            title="Invalid request",
            status=422,
            detail=validation_detail(params),
            instance=request.url.path,
            errors=params,
        )
        return respond(request, problem)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http(request: Request, error: StarletteHTTPException) -> Response:
        slugs = {404: "not-found", 405: "method-not-allowed"}
        slug = slugs.get(error.status_code, "http-error")
        log.info("api.http_error", path=request.url.path, status=error.status_code)
        detail = str(error.detail)
        if error.status_code == 404:
            detail = f"No page or endpoint at {request.url.path}; see /docs."
        problem = ProblemDetail(
            type=problem_type(slug),
            title=slug.replace("-", " ").capitalize(),
            status=error.status_code,
            detail=detail,
            instance=request.url.path,
        )
        # Keeps headers such as Allow on a 405.
        return respond(request, problem, headers=getattr(error, "headers", None))

    async def handle_engine_error(request: Request, error: Exception) -> Response:
        # Covers StoreError and raw client errors, connection failures
        # included. The engine's message can carry index names and query
        # fragments, so only error classes are logged and none is sent on.
        rejected = _rejected_query(error)
        if rejected is not None:
            log.error(
                "api.engine.query_rejected",
                path=request.url.path,
                error_type=type(error).__name__,
                status=rejected.status_code,
                engine_error=rejected.error,
                root_causes=_root_cause_types(rejected),
            )
            problem = QueryRejected(
                "The request was valid, but the search engine rejected the query "
                "the server built from it. This is a server error and it has "
                "been logged. Report it with the time of the request."
            ).to_detail(request.url.path)
            return respond(request, problem)

        log.warning(
            "api.engine.unavailable",
            path=request.url.path,
            error_type=type(error).__name__,
            cause_type=type(error.__cause__).__name__ if error.__cause__ else None,
        )
        problem = EngineUnavailable(
            "The search engine is unreachable or failed to answer. Retry in a "
            "minute; if it persists, check the OpenSearch cluster health."
        ).to_detail(request.url.path)
        return respond(request, problem)

    app.add_exception_handler(StoreError, handle_engine_error)
    app.add_exception_handler(OpenSearchException, handle_engine_error)

    @app.exception_handler(Exception)
    async def handle_unexpected(request: Request, error: Exception) -> Response:
        log.exception("api.internal_error", path=request.url.path)
        problem = ProblemDetail(
            type=problem_type("internal"),
            title="Internal error",
            status=500,
            detail="The server failed to handle this request. It has been "
            "logged; retry later or report it with the time of the request.",
            instance=request.url.path,
        )
        return respond(request, problem)
