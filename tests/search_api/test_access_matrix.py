"""Access control: every route of the app against every role, as designed.

The table lists each route once. A route added to the app without a row
fails test_matrix_covers_every_route, so its access rule must be decided.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from search_api.app import create_app
from search_api.contact_relay import interest_id_for
from skillbeacon.api_keys import parse_key_id
from skillbeacon.security import preview_token
from skillbeacon.store.indices import alias_name
from tests.conftest import KEYED_LEARNER_ID, bearer, unlimited
from tests.factories import candidate_document

ROLES = ("anonymous", "recruiter", "hr_system", "learner", "admin")
PROBLEM = "application/problem+json"
# A learner whom the admin rows delete; it is written again before each row.
DISPOSABLE_ID = "cand-matrix-disposable"
# Interest requests to the keyed learner, written again before each row:
# one pending (for the learner's decision) and one awaiting a guardian.
PENDING_INTEREST = "matrix-pending"
AWAITING_INTEREST = "matrix-awaiting"

EMPLOYER_API = {
    "anonymous": 401,
    "recruiter": 200,
    "hr_system": 200,
    "learner": 403,
    "admin": 403,
}
# A learner is redirected to their own preview, an anonymous browser to /login.
RECRUITER_UI = {
    "anonymous": 303,
    "recruiter": 200,
    "hr_system": 403,
    "learner": 303,
    "admin": 403,
}
OWN_LEARNER_API = {
    "anonymous": 401,
    "recruiter": 403,
    "hr_system": 403,
    "learner": 200,
    "admin": 403,
}
ADMIN_ACTION_API = {
    "anonymous": 401,
    "recruiter": 403,
    "hr_system": 403,
    "learner": 403,
    "admin": 200,
}
ADMIN_API = {
    "anonymous": 401,
    "recruiter": 403,
    "hr_system": 403,
    "learner": 403,
    "admin": 204,
}


def _everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


# (method, route path, request path or None for the route path, request
# options, expected status by role)
MATRIX: list[tuple[str, str, str | None, dict[str, Any], dict[str, int]]] = [
    ("GET", "/healthz", None, {}, _everyone(200)),
    ("GET", "/static", "/static/style.css", {}, _everyone(200)),
    ("GET", "/openapi.json", None, {}, _everyone(200)),
    ("GET", "/docs", None, {}, _everyone(200)),
    ("GET", "/docs/oauth2-redirect", None, {}, _everyone(200)),
    ("GET", "/login", None, {}, _everyone(200)),
    (
        "POST",
        "/login",
        None,
        {"data": {"key": "sb_0000000000000000_" + "x" * 43}},
        _everyone(401),
    ),
    ("POST", "/logout", None, {}, _everyone(303)),
    ("GET", "/", "/?skills=teamwork", {}, RECRUITER_UI),
    (
        "GET",
        "/candidates/{candidate_id}",
        "/candidates/cand-verified",
        {},
        RECRUITER_UI,
    ),
    (
        "POST",
        "/candidates/{candidate_id}/interest",
        "/candidates/cand-verified/interest",
        {"data": {"message": "Warehouse role"}},
        {**RECRUITER_UI, "anonymous": 401, "recruiter": 303, "learner": 403},
    ),
    (
        "GET",
        "/preview/{learner_id}",
        f"/preview/{KEYED_LEARNER_ID}",
        {},
        {**OWN_LEARNER_API, "anonymous": 303},
    ),
    ("POST", "/v1/search", None, {"json": {"skills": ["teamwork"]}}, EMPLOYER_API),
    (
        "GET",
        "/v1/candidates/{candidate_id}",
        "/v1/candidates/cand-verified",
        {},
        EMPLOYER_API,
    ),
    ("GET", "/v1/skills/suggest", "/v1/skills/suggest?q=tea", {}, EMPLOYER_API),
    (
        "POST",
        "/v1/candidates/{candidate_id}/interest",
        "/v1/candidates/cand-verified/interest",
        {"json": {"message": "Warehouse role"}},
        EMPLOYER_API,
    ),
    (
        "GET",
        "/v1/interests/{interest_id}",
        "/v1/interests/{own_interest}",
        {},
        EMPLOYER_API,
    ),
    (
        "GET",
        "/v1/learners/{learner_id}/interests",
        f"/v1/learners/{KEYED_LEARNER_ID}/interests",
        {},
        OWN_LEARNER_API,
    ),
    (
        "POST",
        "/v1/learners/{learner_id}/interests/{interest_id}/decision",
        f"/v1/learners/{KEYED_LEARNER_ID}/interests/{PENDING_INTEREST}/decision",
        {"json": {"decision": "decline"}},
        OWN_LEARNER_API,
    ),
    (
        "POST",
        "/v1/learners/{learner_id}/interests/{interest_id}/guardian-acceptance",
        f"/v1/learners/{KEYED_LEARNER_ID}/interests/{AWAITING_INTEREST}"
        "/guardian-acceptance",
        {},
        ADMIN_ACTION_API,
    ),
    (
        "POST",
        "/preview/{learner_id}/interests/{interest_id}",
        f"/preview/{KEYED_LEARNER_ID}/interests/{PENDING_INTEREST}",
        {"data": {"decision": "decline"}},
        {**OWN_LEARNER_API, "learner": 303},
    ),
    (
        "DELETE",
        "/v1/learners/{learner_id}",
        f"/v1/learners/{DISPOSABLE_ID}",
        {},
        ADMIN_API,
    ),
    (
        "POST",
        "/v1/learners/{learner_id}/consent/withdraw",
        f"/v1/learners/{DISPOSABLE_ID}/consent/withdraw",
        {},
        ADMIN_API,
    ),
    (
        "GET",
        "/v1/learners/{learner_id}/preview",
        f"/v1/learners/{KEYED_LEARNER_ID}/preview",
        {},
        OWN_LEARNER_API,
    ),
    (
        "POST",
        "/v1/learners/{learner_id}/preview/rank",
        f"/v1/learners/{KEYED_LEARNER_ID}/preview/rank",
        {"json": {"skills": ["teamwork"]}},
        OWN_LEARNER_API,
    ),
    (
        "GET",
        "/v1/learners/{learner_id}/views",
        f"/v1/learners/{KEYED_LEARNER_ID}/views",
        {},
        OWN_LEARNER_API,
    ),
]

CASES = [
    (method, path or route, options, role, statuses[role])
    for method, route, path, options, statuses in MATRIX
    for role in ROLES
]
CASE_IDS = [
    f"{method} {route} as {role}" for method, route, _, _, _ in MATRIX for role in ROLES
]


def _app_routes(app) -> set[tuple[str, str]]:
    """List (method, path) of every route, inside included routers too."""
    found: set[tuple[str, str]] = set()
    pending = list(app.routes)
    while pending:
        route = pending.pop()
        if isinstance(route, Mount):
            found.add(("GET", route.path))
        elif isinstance(route, APIRoute | Route):
            for method in route.methods or ():
                if method != "HEAD":
                    found.add((method, route.path))
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
    return found


@pytest.fixture(scope="module")
def anonymous(settings, client, population) -> Iterator[TestClient]:
    app = create_app(unlimited(settings), client)
    with TestClient(app, follow_redirects=False) as http:
        yield http


def _interest(interest_id: str, key_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "interest_id": interest_id,
        "candidate_id": KEYED_LEARNER_ID,
        "key_id": key_id,
        "organization": "Matrix Org",
        "status": "pending",
        "requires_guardian": False,
        "requested_at": "2026-01-05T10:00:00+00:00",
        **fields,
    }


@pytest.fixture
def disposable(settings, client, api_keys) -> None:
    """Write the rows' disposable learner and interest requests again."""
    client.index(
        index=alias_name(settings, "candidates"),
        id=DISPOSABLE_ID,
        body=candidate_document(DISPOSABLE_ID),
    )
    key_id = parse_key_id(api_keys["recruiter"])
    interests = [
        _interest(PENDING_INTEREST, key_id),
        _interest(
            AWAITING_INTEREST,
            key_id,
            status="accepted",
            requires_guardian=True,
            contact="555-0100",
        ),
    ]
    for interest in interests:
        client.index(
            index=alias_name(settings, "interests"),
            id=interest["interest_id"],
            body=interest,
        )
    for kind in ("candidates", "interests"):
        client.indices.refresh(index=alias_name(settings, kind))


def test_matrix_covers_every_route(anonymous):
    listed = {(method, route) for method, route, _, _, _ in MATRIX}

    assert _app_routes(anonymous.app) == listed


@pytest.mark.parametrize(
    ("method", "path", "options", "role", "expected"), CASES, ids=CASE_IDS
)
def test_route_status_by_role(
    anonymous, api_keys, disposable, method, path, options, role, expected
):
    headers = {} if role == "anonymous" else bearer(api_keys[role])
    if "{own_interest}" in path:
        # Each employer key reads the request it sent itself.
        if role in ("recruiter", "hr_system"):
            anonymous.post(
                "/v1/candidates/cand-verified/interest", json={}, headers=headers
            )
        key_id = parse_key_id(api_keys[role]) if role != "anonymous" else "none"
        own = interest_id_for("cand-verified", key_id or "none")
        path = path.replace("{own_interest}", own)

    response = anonymous.request(method, path, headers=headers, **options)

    assert response.status_code == expected, response.text[:300]
    if expected == 401 and path.startswith("/v1/"):
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"].endswith("/unauthorized")
    if expected == 403 and path.startswith("/v1/"):
        assert response.headers["content-type"] == PROBLEM
    if expected == 303 and method == "GET" and role == "learner":
        assert response.headers["location"] == f"/preview/{KEYED_LEARNER_ID}"
    elif expected == 303 and method == "GET":
        assert response.headers["location"].startswith("/login?next=")


def test_preview_token_opens_preview_for_every_role(anonymous, api_keys, settings):
    token = preview_token(KEYED_LEARNER_ID, settings)
    for role in ROLES:
        headers = {} if role == "anonymous" else bearer(api_keys[role])
        for path in (
            f"/preview/{KEYED_LEARNER_ID}",
            f"/v1/learners/{KEYED_LEARNER_ID}/preview",
            f"/v1/learners/{KEYED_LEARNER_ID}/views",
        ):
            response = anonymous.get(path, params={"token": token}, headers=headers)

            assert response.status_code == 200, (role, path)


def test_learner_key_rejected_for_other_learner(anonymous, api_keys):
    headers = bearer(api_keys["learner"])
    for path in ("/preview/cand-self", "/v1/learners/cand-self/preview"):
        response = anonymous.get(path, headers=headers)

        assert response.status_code == 403, path


def test_invalid_key_is_401(anonymous, api_keys):
    recruiter_key = api_keys["recruiter"]
    wrong_secret = recruiter_key[:-4] + (
        "aaaa" if recruiter_key[-4:] != "aaaa" else "bbbb"
    )
    for key in ("nonsense", wrong_secret, "sb_0123456789abcdef_" + "x" * 43):
        response = anonymous.post(
            "/v1/search", json={"skills": ["teamwork"]}, headers=bearer(key)
        )

        assert response.status_code == 401, key
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_revoked_key_is_401(anonymous, settings, client):
    from skillbeacon.api_keys import Role
    from skillbeacon.store.api_keys import create_api_key, revoke_api_key

    record, key = create_api_key(client, settings, Role.hr_system, organization="X")
    assert (
        anonymous.get("/v1/skills/suggest?q=tea", headers=bearer(key)).status_code
        == 200
    )

    assert revoke_api_key(client, settings, record.key_id)

    response = anonymous.get("/v1/skills/suggest?q=tea", headers=bearer(key))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_login_sets_strict_httponly_cookie(settings, client, population, api_keys):
    app = create_app(unlimited(settings), client)
    with TestClient(app, follow_redirects=False) as browser:
        response = browser.post(
            "/login", data={"key": api_keys["recruiter"], "next": "/?skills=teamwork"}
        )

        assert response.status_code == 303
        assert response.headers["location"] == "/?skills=teamwork"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=strict" in cookie
        assert browser.get("/", params={"skills": "teamwork"}).status_code == 200
        assert browser.get("/v1/skills/suggest", params={"q": "tea"}).status_code == 200

        assert browser.post("/logout").status_code == 303
        assert browser.get("/").status_code == 303


def test_login_learner_key_goes_to_own_preview(settings, client, population, api_keys):
    app = create_app(unlimited(settings), client)
    with TestClient(app, follow_redirects=False) as browser:
        response = browser.post("/login", data={"key": api_keys["learner"]})

        assert response.status_code == 303
        assert response.headers["location"] == f"/preview/{KEYED_LEARNER_ID}"
        assert browser.get(f"/preview/{KEYED_LEARNER_ID}").status_code == 200
        home = browser.get("/")
        assert home.status_code == 303
        assert home.headers["location"] == f"/preview/{KEYED_LEARNER_ID}"


def test_login_rejects_program_roles(anonymous, api_keys):
    for role in ("hr_system", "admin"):
        response = anonymous.post("/login", data={"key": api_keys[role]})

        assert response.status_code == 401, role
        assert "set-cookie" not in response.headers
        assert api_keys[role] not in response.text


def test_cookie_with_program_key_is_401(anonymous, api_keys):
    cookies = {"skillbeacon_key": api_keys["admin"]}
    response = anonymous.post(
        "/v1/learners/cand-self/consent/withdraw",
        headers={"cookie": "skillbeacon_key=" + cookies["skillbeacon_key"]},
    )

    assert response.status_code == 401


def test_login_next_cannot_leave_site(anonymous, api_keys):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = anonymous.post(
            "/login", data={"key": api_keys["recruiter"], "next": target}
        )

        assert response.status_code == 303
        assert response.headers["location"] == "/", target


def test_login_cross_origin_post_is_403(anonymous, api_keys):
    response = anonymous.post(
        "/login",
        data={"key": api_keys["recruiter"]},
        headers={"origin": "https://evil.example"},
    )

    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_rate_limit_is_429_with_retry_after(settings, client, population, api_keys):
    limited = settings.model_copy(
        update={"rate_limit_burst": 2, "rate_limit_per_second": 0.01}
    )
    with TestClient(create_app(limited, client)) as http:
        headers = bearer(api_keys["hr_system"])
        statuses = [
            http.get("/v1/skills/suggest?q=tea", headers=headers).status_code
            for _ in range(3)
        ]
        response = http.get("/v1/skills/suggest?q=tea", headers=headers)

        assert statuses == [200, 200, 429]
        assert response.status_code == 429
        assert response.headers["content-type"] == PROBLEM
        assert int(response.headers["retry-after"]) >= 1
        assert response.json()["type"].endswith("/rate-limited")
        other = http.get(
            "/v1/skills/suggest?q=tea", headers=bearer(api_keys["recruiter"])
        )
        assert other.status_code == 200
