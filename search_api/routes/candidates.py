"""GET /v1/candidates/{candidate_id}: one candidate's employer view."""

import re
from typing import Any

from fastapi import APIRouter
from opensearchpy import OpenSearch

from search_api.dependencies import ClientDep, SettingsDep
from search_api.problems import (
    PROBLEM_RESPONSES,
    CandidateNotFound,
    ProblemDetail,
    shorten_value,
)
from skillbeacon.models.profile import LEARNER_ID_PATTERN
from skillbeacon.privacy import EmployerView, employer_view
from skillbeacon.settings import Settings
from skillbeacon.store.candidates import get_candidate, is_employer_visible

router = APIRouter(prefix="/v1", tags=["candidates"])

CANDIDATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    404: {
        "model": ProblemDetail,
        "content": {"application/problem+json": {}},
        "description": "No candidate with this id is visible to employers.",
    },
}


def load_visible_candidate(
    client: OpenSearch, settings: Settings, candidate_id: str
) -> dict[str, Any]:
    """Return the stored document if employers may see it, else raise 404.

    A candidate that exists but is hidden gets the same 404 as an unknown
    id, so the response does not reveal that the learner is indexed.
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
    if not is_employer_visible(client, settings, candidate_id):
        raise not_found
    return document


@router.get(
    "/candidates/{candidate_id}",
    response_model=EmployerView,
    responses=CANDIDATE_RESPONSES,
    summary="Get a candidate's employer view",
)
def get_candidate_view(candidate_id: str, client: ClientDep, settings: SettingsDep):
    """Return what employers may see of one candidate."""
    document = load_visible_candidate(client, settings, candidate_id)
    return employer_view(document)
