"""Security headers: framing, sniffing, referrers, CSP and caching by path."""

from search_api.security_headers import (
    DOCS_POLICY,
    PAGE_POLICY,
    content_security_policy,
)
from skillbeacon.security import preview_token

COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _assert_common(response) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (response.url, name)


def test_preview_page_headers(api, settings):
    token = preview_token("cand-verified", settings)

    response = api.get("/preview/cand-verified", params={"token": token})

    assert response.status_code == 200
    _assert_common(response)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert response.headers["cache-control"] == "no-store"


def test_ui_pages_send_page_policy(api):
    for path in ("/", "/?skills=teamwork", "/candidates/cand-verified", "/login"):
        response = api.get(path)

        assert response.status_code == 200, path
        _assert_common(response)
        assert response.headers["content-security-policy"] == PAGE_POLICY, path
        assert response.headers["cache-control"] == "no-store", path


def test_error_page_sends_policy(api):
    response = api.get("/no-such-page")

    assert response.status_code == 404
    _assert_common(response)
    assert response.headers["content-security-policy"] == PAGE_POLICY


def test_api_responses_not_stored(api, settings):
    token = preview_token("cand-verified", settings)
    responses = [
        api.post("/v1/search", json={"skills": ["teamwork"]}),
        api.get("/v1/candidates/cand-verified"),
        api.get("/v1/learners/cand-verified/preview", params={"token": token}),
        api.get("/v1/candidates/no-such-candidate"),
    ]

    for response in responses:
        _assert_common(response)
        assert response.headers["cache-control"] == "no-store", response.url
        # JSON is not rendered by the browser, so it gets no CSP.
        assert "content-security-policy" not in response.headers


def test_docs_keeps_relaxed_policy(api):
    response = api.get("/docs")

    assert response.status_code == 200
    _assert_common(response)
    assert response.headers["content-security-policy"] == DOCS_POLICY
    assert "cache-control" not in response.headers


def test_static_files_cacheable(api):
    response = api.get("/static/style.css")

    assert response.status_code == 200
    _assert_common(response)
    assert "cache-control" not in response.headers


def test_policy_by_path():
    assert content_security_policy("/docs") == DOCS_POLICY
    assert content_security_policy("/docs/oauth2-redirect") == DOCS_POLICY
    assert content_security_policy("/docsx") == PAGE_POLICY
    assert content_security_policy("/preview/cand-1") == PAGE_POLICY
