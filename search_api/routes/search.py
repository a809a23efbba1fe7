"""POST /v1/search: ranked, explained candidate search."""

from typing import Any

from fastapi import APIRouter, Depends

from search_api.auth import PrincipalDep
from search_api.candidate_search import run_search
from search_api.dependencies import ClientDep, SettingsDep, require_json_body
from search_api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_RESPONSES, ProblemDetail
from search_api.schemas import SearchResponse
from skillbeacon.models.search import CandidateSearch

router = APIRouter(prefix="/v1", tags=["search"])

SEARCH_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    413: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "The request body is larger than the server accepts.",
    },
    415: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "The body was not sent as application/json.",
    },
}


@router.post(
    "/search",
    response_model=SearchResponse,
    responses=SEARCH_RESPONSES,
    summary="Search candidates by named skills",
    dependencies=[Depends(require_json_body)],
)
def search(
    body: CandidateSearch,
    client: ClientDep,
    settings: SettingsDep,
    principal: PrincipalDep,
):
    """Rank candidates by verified evidence for the requested skills.

    Each hit carries the employer view of the candidate and an explanation
    of its rank. Names that match no skill concept are listed in
    `unresolved_skills`. A request must name at least one skill or give a
    text query. Learners who limited their consent to employer groups are
    returned only to keys in one of those groups. Candidates under 18 are
    returned only to keys enrolled in youth programs, and only with a
    guardian's consent and their consent to youth programs.
    """
    return run_search(client, settings, body, principal)
