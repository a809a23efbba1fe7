"""Candidate page: a recruiter requests contact and reads the request status."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.auth import SESSION_COOKIE
from search_api.contact_relay import interest_id_for
from skillbeacon.api_keys import parse_key_id
from skillbeacon.store import interests as interest_store
from skillbeacon.store.candidates import upsert_candidates
from tests.conftest import unlimited
from tests.factories import candidate_document

SAME_ORIGIN = {"origin": "http://testserver"}
NO_CONTACT_ID = "cand-ui-no-contact"
CONTACT = "ana.rivera@example.org"


@pytest.fixture(scope="module")
def learners(settings, client, population) -> None:
    """Index learners of this module only, so each test uses a fresh one."""
    documents = [
        candidate_document(candidate_id)
        for candidate_id in (
            "cand-ui-form",
            "cand-ui-pending",
            "cand-ui-cross-site",
            "cand-ui-answered",
            "cand-ui-long-message",
        )
    ]
    documents.append(
        candidate_document(NO_CONTACT_ID, consent_scopes=["employer_search"])
    )
    written, failed = upsert_candidates(client, settings, documents)
    assert failed == []


@pytest.fixture(scope="module")
def recruiter(settings, client, learners, api_keys) -> Iterator[TestClient]:
    """A browser signed in with the recruiter key, as /login leaves it."""
    app = create_app(unlimited(settings), client)
    with TestClient(app, follow_redirects=False) as http:
        http.cookies.set(SESSION_COOKIE, api_keys["recruiter"])
        yield http


def _stored_interest(client, settings, api_keys, candidate_id):
    key_id = parse_key_id(api_keys["recruiter"])
    assert key_id is not None
    interest_id = interest_id_for(candidate_id, key_id)
    return interest_store.get_interest(client, settings, interest_id)


def test_candidate_page_form_needs_contact_scope(recruiter):
    with_scope = recruiter.get("/candidates/cand-ui-form")
    without_scope = recruiter.get(f"/candidates/{NO_CONTACT_ID}")

    assert with_scope.status_code == 200
    assert 'action="/candidates/cand-ui-form/interest"' in with_scope.text
    assert 'maxlength="500"' in with_scope.text
    assert "The learner accepts contact requests." in with_scope.text
    assert without_scope.status_code == 200
    assert "/interest" not in without_scope.text
    assert "consent does not include contact" in without_scope.text


def test_interest_post_shows_pending(recruiter, client, settings, api_keys):
    response = recruiter.post(
        "/candidates/cand-ui-pending/interest",
        data={"message": "  Summer warehouse role in Springfield  "},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/candidates/cand-ui-pending"
    stored = _stored_interest(client, settings, api_keys, "cand-ui-pending")
    assert stored is not None
    assert stored["status"] == "pending"
    assert stored["message"] == "Summer warehouse role in Springfield"
    page = recruiter.get("/candidates/cand-ui-pending").text
    assert "is pending" in page
    assert 'action="/candidates/cand-ui-pending/interest"' not in page


def test_interest_post_twice_keeps_first(recruiter, client, settings, api_keys):
    for message in ("First note", "Second note"):
        response = recruiter.post(
            "/candidates/cand-ui-form/interest",
            data={"message": message},
            headers=SAME_ORIGIN,
        )
        assert response.status_code == 303, message

    stored = _stored_interest(client, settings, api_keys, "cand-ui-form")
    assert stored is not None
    assert stored["message"] == "First note"


def test_interest_post_cross_site_is_403(recruiter, client, settings, api_keys):
    response = recruiter.post(
        "/candidates/cand-ui-cross-site/interest",
        data={"message": "hello"},
        headers={"origin": "https://attacker.example"},
    )

    assert response.status_code == 403
    assert "sent from another site" in response.text
    assert _stored_interest(client, settings, api_keys, "cand-ui-cross-site") is None


def test_interest_post_long_message_is_422(recruiter, client, settings, api_keys):
    response = recruiter.post(
        "/candidates/cand-ui-long-message/interest",
        data={"message": "x" * 501},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == 422
    stored = _stored_interest(client, settings, api_keys, "cand-ui-long-message")
    assert stored is None


def test_candidate_page_contact_only_after_acceptance(
    recruiter, client, settings, api_keys
):
    recruiter.post(
        "/candidates/cand-ui-answered/interest", data={}, headers=SAME_ORIGIN
    )
    stored = _stored_interest(client, settings, api_keys, "cand-ui-answered")
    assert stored is not None
    interest_id = stored["interest_id"]

    # The contact in a request still pending must not reach the page.
    interest_store.update_interest(client, settings, interest_id, {"contact": CONTACT})
    pending = recruiter.get("/candidates/cand-ui-answered").text
    assert "is pending" in pending
    assert CONTACT not in pending

    # A minor accepted, and the guardian has not yet.
    interest_store.update_interest(
        client,
        settings,
        interest_id,
        {"status": "accepted", "requires_guardian": True},
    )
    awaiting = recruiter.get("/candidates/cand-ui-answered").text
    assert "once their parent or guardian accepts" in awaiting
    assert CONTACT not in awaiting

    interest_store.update_interest(
        client,
        settings,
        interest_id,
        {"guardian_accepted_at": "2026-01-06T10:00:00+00:00"},
    )
    accepted = recruiter.get("/candidates/cand-ui-answered").text
    assert "accepted your request" in accepted
    assert f'<p class="contact-details">{CONTACT}</p>' in accepted

    interest_store.update_interest(
        client, settings, interest_id, {"status": "declined"}
    )
    declined = recruiter.get("/candidates/cand-ui-answered").text
    assert "declined your request" in declined
    assert CONTACT not in declined


def test_interest_post_without_scope_is_409(recruiter, client, settings, api_keys):
    response = recruiter.post(
        f"/candidates/{NO_CONTACT_ID}/interest",
        data={"message": "hello"},
        headers=SAME_ORIGIN,
    )

    assert response.status_code == 409
    assert response.headers["content-type"].startswith("text/html")
    assert "Learner does not accept contact requests" in response.text
    assert _stored_interest(client, settings, api_keys, NO_CONTACT_ID) is None


def test_interest_post_hidden_candidate_is_404(recruiter):
    response = recruiter.post(
        "/candidates/cand-minor/interest", data={}, headers=SAME_ORIGIN
    )

    assert response.status_code == 404
