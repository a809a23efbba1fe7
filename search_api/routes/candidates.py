"""GET /v1/candidates/{candidate_id}: one candidate's employer view."""

import re
from typing import Any

from fastapi import APIRouter, Depends
from opensearchpy import OpenSearch

from search_api.auth import Principal, PrincipalDep
from search_api.contact_relay import InterestRequest, InterestStatus, request_interest
from search_api.dependencies import ClientDep, SettingsDep, require_json_body
from search_api.problems import (
    AUTH_RESPONSES,
    PROBLEM_RESPONSES,
    CandidateNotFound,
    ProblemDetail,
    shorten_value,
)
from skillbeacon.models.profile import LEARNER_ID_PATTERN
from skillbeacon.privacy import EmployerView, employer_view
from skillbeacon.settings import Settings
from skillbeacon.store.candidates import get_candidate, is_employer_visible
from skillbeacon.store.views import ViewEvent, record_view

router = APIRouter(prefix="/v1", tags=["candidates"])

CANDIDATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    **AUTH_RESPONSES,
    404: {
        "model": ProblemDetail,
        "content": {"application/problem+json": {}},
        "description": "No candidate with this id is visible to employers.",
    },
}


def load_visible_candidate(
    client: OpenSearch, settings: Settings, candidate_id: str, caller: Principal
) -> dict[str, Any]:
    """Return the stored document if the caller's key may see it, else raise 404.

    The key's employer groups and youth-program enrollment count as in
    search. A candidate that exists but is hidden gets the same 404 as an
    unknown id, so the response does not reveal that the learner is indexed.
    """
    not_found = CandidateNotFound(
        f"No candidate with id {shorten_value(candidate_id)!r} is visible to "
        "employers. "
        "Check the id; the learner may have withdrawn consent."
    )
    if not re.fullmatch(LEARNER_ID_PATTERN, candidate_id):
        raise not_found
    document = get_candidate(client, settings, candidate_id)
    if document is None:
        raise not_found
    visible = is_employer_visible(
        client,
        settings,
        candidate_id,
        include_minors=caller.youth_program,
        employer_groups=caller.employer_groups,
    )
    if not visible:
        raise not_found
    return document


def record_candidate_view(
    client: OpenSearch,
    settings: Settings,
    candidate_id: str,
    principal: Principal,
    channel: str,
) -> None:
    """Log that an employer key viewed the candidate, for the learner's preview."""
    record_view(
        client,
        settings,
        candidate_id,
        ViewEvent.candidate_viewed,
        key_id=principal.key_id,
        role=principal.role.value,
        organization=principal.organization,
        channel=channel,
    )


@router.get(
    "/candidates/{candidate_id}",
    response_model=EmployerView,
    responses=CANDIDATE_RESPONSES,
    summary="Get a candidate's employer view",
)
def get_candidate_view(
    candidate_id: str, client: ClientDep, settings: SettingsDep, principal: PrincipalDep
):
    """Return what employers may see of one candidate.

    The view is recorded with the key id and organization, and the learner's
    preview lists it.
    """
    document = load_visible_candidate(client, settings, candidate_id, principal)
    record_candidate_view(client, settings, candidate_id, principal, channel="api")
    return employer_view(document)


@router.post(
    "/candidates/{candidate_id}/interest",
    response_model=InterestStatus,
    responses=CANDIDATE_RESPONSES,
    summary="Ask to contact a candidate",
    dependencies=[Depends(require_json_body)],
)
def post_interest(
    candidate_id: str,
    body: InterestRequest,
    client: ClientDep,
    settings: SettingsDep,
    principal: PrincipalDep,
):
    """Send the learner an interest request; they accept or decline it.

    The response never carries the learner's contact details until the
    learner accepts (and, for a minor, a guardian too). Poll
    `GET /v1/interests/{interest_id}` for the answer. Sending the same
    request again with the same key returns the first one.
    """
    load_visible_candidate(client, settings, candidate_id, principal)
    return request_interest(client, settings, candidate_id, principal, body)
