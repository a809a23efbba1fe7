"""Authentication, role checks and rate limits for the API and UI routes.

The routes open to all are /healthz, /static, /login, /logout, /docs and
/openapi.json. A request authenticates with `Authorization: Bearer sb_...`,
or, from a browser, with the sign-in cookie that /login sets. The cookie
contains the key itself, and is accepted only for the roles that use the UI
(recruiter and learner). Each key is rate-limited. Failed attempts (an
invalid, unknown or revoked key, or a wrong preview token) are limited too,
per key id and per client address, before the key is looked up.
"""

from collections.abc import Callable
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from opensearchpy import OpenSearch
from pydantic import BaseModel, Field

from search_api.dependencies import ClientDep, SettingsDep
from search_api.problems import (
    Forbidden,
    PreviewTokenInvalid,
    TooManyRequests,
    Unauthorized,
)
from search_api.rate_limit import RateLimiter, retry_after_seconds
from skillbeacon.api_keys import ApiKeyRecord, Role, key_matches, parse_key_id
from skillbeacon.security import PreviewTokenCheck, verify_preview_token
from skillbeacon.settings import Settings
from skillbeacon.store.api_keys import get_api_key

log = structlog.get_logger(__name__)

SESSION_COOKIE = "skillbeacon_key"
# Roles whose key may sit in the sign-in cookie. Keys of the other roles
# are sent by programs, and a browser cookie would only widen their reach.
COOKIE_ROLES = (Role.recruiter, Role.learner)

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="An API key: `sb_` followed by the key id and the secret.",
)


class Principal(BaseModel):
    """The sender of a request: an API key, or a learner's preview token."""

    key_id: str
    role: Role
    learner_id: str | None = None
    organization: str | None = None
    # The employer key's groups and youth-program enrollment, which decide
    # which group-limited learners and which minors its searches show.
    employer_groups: list[str] = Field(default_factory=list)
    youth_program: bool = False
    via: str = "bearer"


def get_rate_limiter(request: Request) -> RateLimiter:
    return request.app.state.rate_limiter


def check_rate(request: Request, bucket: str) -> None:
    """Take a token from the bucket, or raise a 429 problem with Retry-After."""
    wait = get_rate_limiter(request).acquire(bucket)
    if wait > 0:
        seconds = retry_after_seconds(wait)
        log.info("api.rate_limited", path=request.url.path, bucket=bucket)
        raise TooManyRequests(
            f"This key sent more requests than its limit allows. Retry in "
            f"{seconds} second(s).",
            retry_after_seconds=seconds,
        )


def client_address(request: Request) -> str:
    """Return the client's IP address from the connection.

    NOTE: behind a reverse proxy this is the proxy's address unless the
    server trusts its forwarded headers (uvicorn --forwarded-allow-ips),
    and then all clients share one failure budget.
    """
    return request.client.host if request.client else "unknown"


def _failure_buckets(request: Request, key_id: str | None) -> list[str]:
    buckets = [f"address:{client_address(request)}"]
    if key_id is not None:
        buckets.append(f"key:{key_id}")
    return buckets


def check_failure_budget(request: Request, buckets: list[str]) -> None:
    """Raise a 429 problem when any bucket has no failed attempts left.

    It takes no token, so valid requests never use up the budget. Only
    record_failure does.
    NOTE: requests that run at once all pass this check before any of them
    fails, so up to that many lookups beyond the burst can reach OpenSearch.
    """
    limiter: RateLimiter = request.app.state.auth_failure_limiter
    wait = max(limiter.wait(bucket) for bucket in buckets)
    if wait <= 0:
        return

    seconds = retry_after_seconds(wait)
    # The bucket names carry the client address, so only their kind is logged.
    log.info(
        "api.auth.failures_limited",
        path=request.url.path,
        limited_by=[bucket.split(":", 1)[0] for bucket in buckets],
        key_id=next(
            (bucket[4:] for bucket in buckets if bucket.startswith("key:")), None
        ),
    )
    raise TooManyRequests(
        "Too many failed authentication attempts with this key id or from "
        f"this address. Check the key or preview link, and retry in {seconds} "
        "second(s).",
        retry_after_seconds=seconds,
    )


def record_failure(request: Request, buckets: list[str]) -> None:
    """Count one failed attempt against each bucket."""
    limiter: RateLimiter = request.app.state.auth_failure_limiter
    for bucket in buckets:
        limiter.acquire(bucket)


def verify_key(
    request: Request, client: OpenSearch, settings: Settings, key: str
) -> ApiKeyRecord | None:
    """Return the record of a valid, unrevoked key, else None; log why not.

    Raise a 429 problem, before the key is looked up, when its key id or the
    client address has run out of failed attempts. Only the key id is
    logged, never the key.
    """
    path = request.url.path
    key_id = parse_key_id(key)
    buckets = _failure_buckets(request, key_id)
    check_failure_budget(request, buckets)
    if key_id is None:
        log.info("api.auth.rejected", path=path, reason="malformed")
        record_failure(request, buckets)
        return None

    record = get_api_key(client, settings, key_id)
    if record is None or not key_matches(key, record):
        log.info("api.auth.rejected", path=path, key_id=key_id, reason="unknown")
        record_failure(request, buckets)
        return None
    if record.revoked_at is not None:
        log.info("api.auth.rejected", path=path, key_id=key_id, reason="revoked")
        record_failure(request, buckets)
        return None
    return record


def optional_principal(
    request: Request,
    client: ClientDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal | None:
    """Return the request's principal, None without a key, or raise 401 or 429."""
    via = "bearer"
    key = credentials.credentials if credentials is not None else ""
    if not key:
        via = "cookie"
        key = request.cookies.get(SESSION_COOKIE, "")
    if not key:
        return None

    invalid = Unauthorized(
        "The API key is invalid or revoked. Send a current key as "
        "'Authorization: Bearer sb_...', or sign in again at /login.",
        invalid_token=True,
    )
    record = verify_key(request, client, settings, key)
    if record is None:
        raise invalid
    if via == "cookie" and record.role not in COOKIE_ROLES:
        log.info("api.auth.cookie_role", path=request.url.path, key_id=record.key_id)
        raise invalid

    check_rate(request, f"key:{record.key_id}")
    return Principal(
        key_id=record.key_id,
        role=record.role,
        learner_id=record.learner_id,
        organization=record.organization,
        employer_groups=record.employer_groups,
        youth_program=record.youth_program,
        via=via,
    )


OptionalPrincipalDep = Annotated[Principal | None, Depends(optional_principal)]


def current_principal(principal: OptionalPrincipalDep) -> Principal:
    """Return the request's principal, or raise 401 without a key."""
    if principal is None:
        raise Unauthorized(
            "This endpoint requires an API key. Send it as "
            "'Authorization: Bearer sb_...', or sign in at /login."
        )
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """Build a dependency that lets only keys of the given roles through."""
    allowed = ", ".join(role.value for role in roles)

    def check_role(principal: PrincipalDep) -> Principal:
        if principal.role not in roles:
            log.info(
                "api.auth.forbidden",
                key_id=principal.key_id,
                role=principal.role.value,
            )
            raise Forbidden(
                f"A key with role {principal.role.value!r} may not use this "
                f"endpoint; it requires one of: {allowed}."
            )
        return principal

    return check_role


EMPLOYER_ACCESS = Depends(require_roles(Role.recruiter, Role.hr_system))
RECRUITER_ACCESS = Depends(require_roles(Role.recruiter))
ADMIN_ACCESS = Depends(require_roles(Role.admin))


def learner_access(
    request: Request,
    learner_id: str,
    settings: SettingsDep,
    principal: OptionalPrincipalDep,
    token: str = "",
) -> Principal:
    """Let through the learner's own key, or a valid preview token for learner_id.

    A token is checked first, so a preview link works in a browser that is
    signed in with another key.
    """
    if token:
        # Wrong tokens count against the client address only, because a
        # per-learner budget would let anyone lock a learner out of their
        # preview.
        token_buckets = _failure_buckets(request, None)
        check_failure_budget(request, token_buckets)
        result = verify_preview_token(learner_id, token, settings)
        if result == PreviewTokenCheck.valid:
            check_rate(request, f"preview:{learner_id}")
            return Principal(
                key_id="preview-token",
                role=Role.learner,
                learner_id=learner_id,
                via="preview_token",
            )
        if result == PreviewTokenCheck.expired:
            # The signature is valid, so this is no guess and is not counted
            # as a failed attempt.
            log.info(
                "ui.preview.rejected", learner_id=learner_id, reason="expired_token"
            )
            raise PreviewTokenInvalid(
                "This preview link has expired. Ask your school or wallet "
                "for a new link."
            )
        log.info("ui.preview.rejected", learner_id=learner_id, reason="invalid_token")
        record_failure(request, token_buckets)
        raise PreviewTokenInvalid(
            "This preview link is invalid or incomplete. Open the link "
            "exactly as your school or wallet sent it, or ask them for a new link."
        )

    if principal is None:
        raise Unauthorized(
            "Open your preview link, or sign in with your learner key at /login."
        )
    if principal.role == Role.learner and principal.learner_id == learner_id:
        return principal
    log.info(
        "ui.preview.rejected",
        learner_id=learner_id,
        key_id=principal.key_id,
        reason="other_learner_or_role",
    )
    raise PreviewTokenInvalid(
        "This key may not open this learner's preview. Open the link exactly "
        "as your school or wallet sent it, or sign in with your own learner key."
    )


LearnerAccessDep = Annotated[Principal, Depends(learner_access)]
