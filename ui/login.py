"""Sign-in pages: /login stores a pasted key in a cookie, /logout clears it.

The cookie contains the key itself rather than a session id, so revoking a key
signs its browsers out on their next request. It is HttpOnly (scripts cannot
read it), SameSite=Strict (other sites cannot send it), and Secure where
settings ask for it.
"""

from typing import Annotated
from urllib.parse import urlsplit

import structlog
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from search_api.auth import (
    COOKIE_ROLES,
    SESSION_COOKIE,
    check_rate,
    client_address,
    verify_key,
)
from search_api.dependencies import ClientDep, SettingsDep
from skillbeacon.api_keys import Role
from ui.routes import check_same_origin, templates

log = structlog.get_logger(__name__)

router = APIRouter(include_in_schema=False)

# How long a browser keeps the sign-in cookie, in seconds.
COOKIE_MAX_AGE = 8 * 60 * 60


# Longest `next` that the sign-in form accepts back, in characters.
MAX_NEXT_LENGTH = 2000


def _safe_next(target: str) -> str:
    """Return target if it is a path on this site, else "/"; stops open redirects.

    A target longer than the form accepts is also replaced by "/", so the
    sign-in form never sends back a value that it would reject.
    """
    if len(target) > MAX_NEXT_LENGTH:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return "/"
    if target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/"):
    return templates.TemplateResponse(
        request, "login.html", {"next": _safe_next(next), "error": None}
    )


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    client: ClientDep,
    settings: SettingsDep,
    key: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=MAX_NEXT_LENGTH)] = "/",
) -> Response:
    """Check the pasted key and store it in the sign-in cookie."""
    check_same_origin(request)
    check_rate(request, f"login:{client_address(request)}")

    record = verify_key(request, client, settings, key.strip())
    error = None
    if record is None:
        error = "This key is invalid or revoked. Paste the whole key, sb_ included."
    elif record.role not in COOKIE_ROLES:
        error = (
            f"A {record.role.value} key is for programs that call the API, "
            "not for the web pages. Sign in with a recruiter or learner key."
        )
    if record is None or error is not None:
        return templates.TemplateResponse(
            request,
            "login.html",
            {"next": _safe_next(next), "error": error},
            status_code=401,
        )

    target = _safe_next(next)
    if record.role == Role.learner:
        target = f"/preview/{record.learner_id}"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        key.strip(),
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=settings.session_cookie_secure,
        path="/",
    )
    log.info("ui.login", key_id=record.key_id, role=record.role.value)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    check_same_origin(request)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
