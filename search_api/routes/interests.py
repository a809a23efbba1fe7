"""GET /v1/interests/{interest_id}: the status of an employer's interest request."""

from typing import Any

from fastapi import APIRouter

from search_api.auth import PrincipalDep
from search_api.contact_relay import InterestStatus, read_interest_for_employer
from search_api.dependencies import ClientDep, SettingsDep
from search_api.problems import (
    AUTH_RESPONSES,
    PROBLEM_MEDIA_TYPE,
    PROBLEM_RESPONSES,
    ProblemDetail,
)

router = APIRouter(prefix="/v1/interests", tags=["interests"])

INTEREST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    **AUTH_RESPONSES,
    404: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "No interest request with this id was sent with this key.",
    },
}


@router.get(
    "/{interest_id}",
    response_model=InterestStatus,
    responses=INTEREST_RESPONSES,
    summary="Read the answer to an interest request",
)
def get_interest_status(
    interest_id: str, client: ClientDep, settings: SettingsDep, principal: PrincipalDep
):
    """Return the status, and the contact details once the learner accepted."""
    return read_interest_for_employer(client, settings, interest_id, principal)
