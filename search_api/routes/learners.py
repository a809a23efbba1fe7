"""Learner routes: consent operations (admin) and the learner's own preview."""

import re
from typing import Any

from fastapi import APIRouter, Depends, Response
from opensearchpy import OpenSearch

from search_api.auth import ADMIN_ACCESS, LearnerAccessDep, PrincipalDep
from search_api.contact_relay import (
    InterestDecision,
    LearnerInterest,
    decide_interest,
    learner_interests,
    record_guardian_acceptance,
)
from search_api.dependencies import ClientDep, SettingsDep, require_json_body
from search_api.learner_preview import (
    LearnerPreview,
    PreviewRank,
    ViewRecord,
    build_preview,
    learner_views,
    rank_learner,
)
from search_api.problems import (
    AUTH_RESPONSES,
    PROBLEM_MEDIA_TYPE,
    PROBLEM_RESPONSES,
    LearnerNotFound,
    ProblemDetail,
    shorten_value,
)
from skillbeacon.learner_removal import remove_learner
from skillbeacon.models.profile import LEARNER_ID_PATTERN
from skillbeacon.models.search import CandidateSearch
from skillbeacon.settings import Settings
from skillbeacon.store.audit import AuditAction
from skillbeacon.store.candidates import get_candidate

router = APIRouter(prefix="/v1/learners", tags=["learners"])

LEARNER_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    **AUTH_RESPONSES,
    404: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "No learner with this id is indexed.",
    },
}


def _not_found(learner_id: str) -> LearnerNotFound:
    return LearnerNotFound(
        f"No learner with id {shorten_value(learner_id)!r} is indexed. Check "
        "the id; the learner may already be removed."
    )


def load_learner(
    client: OpenSearch, settings: Settings, learner_id: str
) -> dict[str, Any]:
    """Return the learner's stored document, hidden or not, or raise 404."""
    if not re.fullmatch(LEARNER_ID_PATTERN, learner_id):
        raise _not_found(learner_id)
    document = get_candidate(client, settings, learner_id)
    if document is None:
        raise _not_found(learner_id)
    return document


def _remove(
    client: OpenSearch,
    settings: Settings,
    learner_id: str,
    action: AuditAction,
    actor_key_id: str,
) -> Response:
    if not re.fullmatch(LEARNER_ID_PATTERN, learner_id):
        raise _not_found(learner_id)
    if not remove_learner(client, settings, learner_id, action, actor_key_id):
        raise _not_found(learner_id)
    return Response(status_code=204)


@router.delete(
    "/{learner_id}",
    status_code=204,
    responses=LEARNER_RESPONSES,
    summary="Delete a learner from the index (admin)",
    dependencies=[ADMIN_ACCESS],
)
def delete_learner(
    learner_id: str, client: ClientDep, settings: SettingsDep, principal: PrincipalDep
) -> Response:
    """Remove the learner from search, counts and suggestions at once.

    The learner's view log and interest requests are deleted too. An audit
    record with the learner id, the action, the time and the admin key id
    is written.
    """
    return _remove(
        client, settings, learner_id, AuditAction.learner_deleted, principal.key_id
    )


@router.post(
    "/{learner_id}/consent/withdraw",
    status_code=204,
    responses=LEARNER_RESPONSES,
    summary="Withdraw a learner's consent to employer search (admin)",
    dependencies=[ADMIN_ACCESS],
)
def withdraw_consent(
    learner_id: str, client: ClientDep, settings: SettingsDep, principal: PrincipalDep
) -> Response:
    """Remove the learner from search at once and audit the withdrawal."""
    return _remove(
        client, settings, learner_id, AuditAction.consent_withdrawn, principal.key_id
    )


@router.get(
    "/{learner_id}/preview",
    response_model=LearnerPreview,
    responses=LEARNER_RESPONSES,
    summary="The learner's own card as employers see it",
)
def get_preview(
    learner_id: str, access: LearnerAccessDep, client: ClientDep, settings: SettingsDep
):
    """Return the card, the skills by evidence, and why the learner is hidden.

    Send the learner's own key, or the preview link's token as `?token=`.
    """
    document = load_learner(client, settings, learner_id)
    return build_preview(client, settings, document)


@router.post(
    "/{learner_id}/preview/rank",
    response_model=PreviewRank,
    responses=LEARNER_RESPONSES,
    summary="Where the learner would appear for a search",
    dependencies=[Depends(require_json_body)],
)
def get_preview_rank(
    learner_id: str,
    body: CandidateSearch,
    access: LearnerAccessDep,
    client: ClientDep,
    settings: SettingsDep,
):
    """Run the employer search and return only the learner's position and total.

    No other candidate is returned. The search is the one run by employers
    in the learner's employer groups and, for a minor, by employers enrolled
    in youth programs. Hidden learners never appear.
    """
    document = load_learner(client, settings, learner_id)
    return rank_learner(client, settings, document, body)


@router.get(
    "/{learner_id}/views",
    response_model=list[ViewRecord],
    responses=LEARNER_RESPONSES,
    summary="Which employers viewed the learner's card",
)
def get_views(
    learner_id: str, access: LearnerAccessDep, client: ClientDep, settings: SettingsDep
):
    """List employer views of the learner's card, newest first."""
    load_learner(client, settings, learner_id)
    return learner_views(client, settings, learner_id)


INTEREST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **LEARNER_RESPONSES,
    409: {
        "model": ProblemDetail,
        "content": {PROBLEM_MEDIA_TYPE: {}},
        "description": "The request was already answered.",
    },
}


@router.get(
    "/{learner_id}/interests",
    response_model=list[LearnerInterest],
    responses=LEARNER_RESPONSES,
    summary="Employers who asked to contact the learner",
)
def get_interests(
    learner_id: str, access: LearnerAccessDep, client: ClientDep, settings: SettingsDep
):
    """List interest requests, newest first, with the learner's decisions."""
    load_learner(client, settings, learner_id)
    return learner_interests(client, settings, learner_id)


@router.post(
    "/{learner_id}/interests/{interest_id}/decision",
    response_model=LearnerInterest,
    responses=INTEREST_RESPONSES,
    summary="Accept or decline an interest request",
    dependencies=[Depends(require_json_body)],
)
def post_decision(
    learner_id: str,
    interest_id: str,
    body: InterestDecision,
    access: LearnerAccessDep,
    client: ClientDep,
    settings: SettingsDep,
):
    """Accept or decline a pending request; accepting shares the contact given.

    For a minor, the details are released only after a guardian's
    acceptance is recorded too.
    """
    document = load_learner(client, settings, learner_id)
    return decide_interest(client, settings, document, interest_id, body)


@router.post(
    "/{learner_id}/interests/{interest_id}/guardian-acceptance",
    response_model=LearnerInterest,
    responses=INTEREST_RESPONSES,
    summary="Record a guardian's acceptance of a minor's answer (admin)",
    dependencies=[ADMIN_ACCESS],
)
def post_guardian_acceptance(
    learner_id: str, interest_id: str, client: ClientDep, settings: SettingsDep
):
    """Release the contact details of a minor who accepted, once the guardian
    has accepted too. The admin records it after checking with the guardian.
    """
    load_learner(client, settings, learner_id)
    return record_guardian_acceptance(client, settings, learner_id, interest_id)
