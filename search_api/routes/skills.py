"""GET /v1/skills/suggest: skill name autocomplete."""

from typing import Annotated

from fastapi import APIRouter, Query

from search_api.dependencies import ClientDep, SettingsDep
from search_api.problems import PROBLEM_RESPONSES
from search_api.schemas import SkillSuggestion, SuggestResponse
from skillbeacon.store.skills import suggest_skills

router = APIRouter(prefix="/v1/skills", tags=["skills"])


@router.get(
    "/suggest",
    response_model=SuggestResponse,
    responses=PROBLEM_RESPONSES,
    summary="Suggest skill concepts for a typed prefix",
)
def suggest(
    client: ClientDep,
    settings: SettingsDep,
    q: Annotated[
        str, Query(min_length=1, max_length=100, description="What the user typed.")
    ],
    size: Annotated[int, Query(ge=1, le=25, description="Suggestions to return.")] = 10,
):
    """Return skill concepts whose labels start with the typed words.

    Concepts for which more employer-visible candidates have evidence come
    first, then those whose label starts with the typed text. The counts are
    the same for every key: they leave out learners who limited consent to
    employer groups and all minors, even for keys that may find them.
    """
    rows = suggest_skills(client, settings, q.strip(), size=size)
    suggestions = [SkillSuggestion.model_validate(row) for row in rows]
    return SuggestResponse(query=q, suggestions=suggestions)
