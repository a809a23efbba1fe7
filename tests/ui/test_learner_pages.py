"""Web pages for a signed-in learner, sign-in redirects and preview expiry."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.auth import SESSION_COOKIE
from skillbeacon.security import preview_token
from tests.conftest import KEYED_LEARNER_ID, bearer, unlimited

SIGN_OUT = 'action="/logout"'


@pytest.fixture(scope="module")
def browser(settings, client, population, api_keys) -> Iterator[TestClient]:
    """A client of the app that sends no key unless a test adds one."""
    app = create_app(unlimited(settings), client)
    with TestClient(app, follow_redirects=False) as http:
        yield http


def test_learner_cookie_search_redirects_to_preview(browser, api_keys):
    browser.cookies.set(SESSION_COOKIE, api_keys["learner"])
    try:
        response = browser.get("/", params={"skills": "Python"})
    finally:
        browser.cookies.clear()

    assert response.status_code == 303
    assert response.headers["location"] == f"/preview/{KEYED_LEARNER_ID}"


def test_learner_key_candidate_page_redirects(browser, api_keys):
    response = browser.get("/candidates/cand-both", headers=bearer(api_keys["learner"]))

    assert response.status_code == 303
    assert response.headers["location"] == f"/preview/{KEYED_LEARNER_ID}"
    assert "Alex" not in response.text


def test_learner_redirect_target_opens_preview(browser, api_keys):
    response = browser.get(
        f"/preview/{KEYED_LEARNER_ID}", headers=bearer(api_keys["learner"])
    )

    assert response.status_code == 200


def test_hr_system_key_search_page_still_403(browser, api_keys):
    response = browser.get("/", headers=bearer(api_keys["hr_system"]))

    assert response.status_code == 403


def test_recruiter_search_page_not_redirected(browser, api_keys):
    response = browser.get("/", headers=bearer(api_keys["recruiter"]))

    assert response.status_code == 200
    assert SIGN_OUT in response.text


def test_login_page_has_no_sign_out(browser):
    response = browser.get("/login")

    assert response.status_code == 200
    assert SIGN_OUT not in response.text
    assert "Sign out" not in response.text


def test_sign_in_redirect_keeps_query(browser):
    response = browser.get("/", params={"skills": "Python", "country": "us"})

    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/?skills=Python&country=us"]


def test_login_form_carries_query_next(browser):
    response = browser.get("/login", params={"next": "/?skills=Python"})

    assert 'name="next" value="/?skills=Python"' in response.text


def test_login_returns_to_query_page(browser, api_keys):
    response = browser.post(
        "/login", data={"key": api_keys["recruiter"], "next": "/?skills=Python"}
    )
    browser.cookies.clear()

    assert response.status_code == 303
    assert response.headers["location"] == "/?skills=Python"


def test_login_rejects_off_site_next(browser, api_keys):
    for target in (
        "https://evil.example/?skills=Python",
        "//evil.example/?skills=Python",
        "/\\evil.example",
    ):
        response = browser.post(
            "/login", data={"key": api_keys["recruiter"], "next": target}
        )
        browser.cookies.clear()
        assert response.status_code == 303, target
        assert response.headers["location"] == "/", target


def test_login_page_long_next_falls_back(browser):
    response = browser.get("/login", params={"next": "/?skills=" + "a" * 2100})

    assert 'name="next" value="/"' in response.text


def test_preview_expired_token_is_403(browser, settings):
    expires_at = datetime.now(UTC) - timedelta(minutes=1)
    token = preview_token("cand-verified", settings, expires_at=expires_at)

    response = browser.get("/preview/cand-verified", params={"token": token})

    assert response.status_code == 403
    assert "Preview link invalid" in response.text
    assert "has expired" in response.text
    assert "new link" in response.text
    assert "Teamwork" not in response.text


def test_preview_without_contact_scope_says_so(browser, settings):
    token = preview_token("cand-minor-guardian", settings)

    response = browser.get("/preview/cand-minor-guardian", params={"token": token})

    assert response.status_code == 200
    assert "employers cannot send you contact requests" in response.text
    assert "No employer has asked to contact you yet" not in response.text


def test_preview_with_contact_scope_has_no_note(browser, settings):
    token = preview_token("cand-verified", settings)

    response = browser.get("/preview/cand-verified", params={"token": token})

    assert response.status_code == 200
    assert "employers cannot send you contact requests" not in response.text
    assert "No employer has asked to contact you yet" in response.text
