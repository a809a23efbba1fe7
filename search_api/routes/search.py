"""POST /v1/search: ranked, explained candidate search."""

from fastapi import APIRouter

from search_api.candidate_search import run_search
from search_api.dependencies import ClientDep, SettingsDep
from search_api.problems import PROBLEM_RESPONSES
from search_api.schemas import SearchResponse
from skillbeacon.models.search import CandidateSearch

router = APIRouter(prefix="/v1", tags=["search"])


@router.post(
    "/search",
    response_model=SearchResponse,
    responses=PROBLEM_RESPONSES,
    summary="Search candidates by named skills",
)
def search(body: CandidateSearch, client: ClientDep, settings: SettingsDep):
    """Rank candidates by verified evidence for the requested skills.

    Each hit carries the employer view of the candidate and an explanation
    of its rank. Names that match no skill concept are listed in
    `unresolved_skills`. Candidates under 18 are never returned.
    """
    return run_search(client, settings, body)
