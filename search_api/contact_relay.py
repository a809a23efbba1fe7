"""Contact relay: employers ask to contact a learner without seeing their email.

The learner accepts or declines in their preview. Only on acceptance do they enter the
contact details they want to share, and only the employer key that asked
can read them. For a minor, the details are released only after an admin
records the guardian's acceptance as well.
"""

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

import structlog
from opensearchpy import OpenSearch
from pydantic import BaseModel, Field, model_validator

from search_api.auth import Principal
from search_api.problems import (
    ContactNotAccepted,
    InterestAlreadyAnswered,
    InterestNotFound,
)
from skillbeacon.privacy import is_minor
from skillbeacon.settings import Settings
from skillbeacon.store import candidates as candidate_store
from skillbeacon.store import interests as interest_store
from skillbeacon.store.views import ViewEvent, record_view

log = structlog.get_logger(__name__)


class InterestState(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    # The minor accepted, and their guardian has not yet.
    awaiting_guardian = "awaiting_guardian"


class InterestRequest(BaseModel):
    message: str | None = Field(
        default=None,
        max_length=500,
        description="A short note to the learner: the role, where and when.",
    )


class InterestStatus(BaseModel):
    """An interest request as shown to the employer key that sent it."""

    interest_id: str
    candidate_id: str
    status: InterestState
    requested_at: datetime
    contact: str | None = Field(
        default=None,
        description="The contact details the learner chose to share, present "
        "only once the request is accepted.",
    )


class LearnerInterest(BaseModel):
    """An interest request as shown to the learner."""

    interest_id: str
    organization: str
    message: str | None = None
    status: InterestState
    requested_at: datetime
    decided_at: datetime | None = None


class InterestDecision(BaseModel):
    decision: Literal["accept", "decline"]
    contact: str | None = Field(
        default=None,
        min_length=3,
        max_length=200,
        description="What the employer may use to reach you, such as an email "
        "address or a phone number. Required to accept.",
    )

    @model_validator(mode="after")
    def _contact_only_on_accept(self) -> "InterestDecision":
        if self.decision == "accept" and not (self.contact or "").strip():
            raise ValueError("give the contact details to share when you accept")
        if self.decision == "decline":
            self.contact = None
        return self


def interest_id_for(candidate_id: str, key_id: str) -> str:
    """Derive the request id, so one employer key sends one learner one request."""
    digest = hashlib.sha256(f"{candidate_id}:{key_id}".encode()).hexdigest()
    return digest[:32]


def _state(stored: dict[str, Any]) -> InterestState:
    if (
        stored["status"] == InterestState.accepted
        and stored.get("requires_guardian")
        and not stored.get("guardian_accepted_at")
    ):
        return InterestState.awaiting_guardian
    return InterestState(stored["status"])


def employer_status(stored: dict[str, Any]) -> InterestStatus:
    state = _state(stored)
    return InterestStatus(
        interest_id=stored["interest_id"],
        candidate_id=stored["candidate_id"],
        status=state,
        requested_at=stored["requested_at"],
        contact=stored.get("contact") if state == InterestState.accepted else None,
    )


def learner_interest(stored: dict[str, Any]) -> LearnerInterest:
    return LearnerInterest(
        interest_id=stored["interest_id"],
        organization=stored.get("organization") or "an unnamed employer",
        message=stored.get("message"),
        status=_state(stored),
        requested_at=stored["requested_at"],
        decided_at=stored.get("decided_at"),
    )


def request_interest(
    client: OpenSearch,
    settings: Settings,
    candidate_id: str,
    principal: Principal,
    request: InterestRequest,
    channel: str = "api",
) -> InterestStatus:
    """Store the employer's request, or return the one this key already sent.

    The learner's consent must include the contact scope. `channel` ("api"
    or "ui") is recorded in the learner's view log.
    """
    candidate = candidate_store.get_candidate(client, settings, candidate_id)
    if candidate is None or "contact" not in candidate.get("consent_scopes", []):
        raise ContactNotAccepted(
            "This learner has not agreed to be contacted through skillbeacon, "
            "so no interest request can be sent."
        )
    document = {
        "interest_id": interest_id_for(candidate_id, principal.key_id),
        "candidate_id": candidate_id,
        "key_id": principal.key_id,
        "organization": principal.organization,
        "message": request.message,
        "status": InterestState.pending.value,
        "requires_guardian": False,
        "requested_at": datetime.now(UTC).isoformat(),
    }
    stored = interest_store.create_interest(client, settings, document)
    if stored is document:
        record_view(
            client,
            settings,
            candidate_id,
            ViewEvent.interest_requested,
            key_id=principal.key_id,
            role=principal.role.value,
            organization=principal.organization,
            channel=channel,
        )
        log.info(
            "interest.requested",
            interest_id=document["interest_id"],
            candidate_id=candidate_id,
            key_id=principal.key_id,
        )
    return employer_status(stored)


def _still_consenting(candidate: dict[str, Any] | None) -> bool:
    """Return whether the learner is indexed and has not withdrawn consent yet."""
    if candidate is None:
        return False
    withdrawn_at = candidate.get("consent_withdrawn_at")
    if withdrawn_at is None:
        return True
    return datetime.fromisoformat(withdrawn_at) > datetime.now(UTC)


def read_interest_for_employer(
    client: OpenSearch, settings: Settings, interest_id: str, principal: Principal
) -> InterestStatus:
    """Return the request's status to the key that sent it; 404 for any other."""
    stored = interest_store.get_interest(client, settings, interest_id)
    if stored is not None and not _still_consenting(
        candidate_store.get_candidate(client, settings, stored["candidate_id"])
    ):
        # A learner who left employer search takes back any contact details.
        stored = None
    if stored is None or stored.get("key_id") != principal.key_id:
        raise InterestNotFound(
            f"No interest request with id {interest_id[:40]!r} was sent with "
            "this key. Use the interest_id that the request returned."
        )
    return employer_status(stored)


def _learners_interest(
    client: OpenSearch, settings: Settings, learner_id: str, interest_id: str
) -> dict[str, Any]:
    stored = interest_store.get_interest(client, settings, interest_id)
    if stored is None or stored.get("candidate_id") != learner_id:
        raise InterestNotFound(
            f"No interest request with id {interest_id[:40]!r} is addressed to "
            "this learner. Reload the preview to see the current requests."
        )
    return stored


def decide_interest(
    client: OpenSearch,
    settings: Settings,
    document: dict[str, Any],
    interest_id: str,
    decision: InterestDecision,
) -> LearnerInterest:
    """Store the learner's decision; only a pending request can be decided."""
    learner_id = document["candidate_id"]
    stored = _learners_interest(client, settings, learner_id, interest_id)
    if stored["status"] != InterestState.pending:
        raise InterestAlreadyAnswered(
            f"This request was already {stored['status']}; it cannot be changed."
        )

    fields: dict[str, Any] = {"decided_at": datetime.now(UTC).isoformat()}
    if decision.decision == "accept":
        fields["status"] = InterestState.accepted.value
        fields["contact"] = (decision.contact or "").strip()
        fields["requires_guardian"] = is_minor(document)
    else:
        fields["status"] = InterestState.declined.value
    interest_store.update_interest(client, settings, interest_id, fields)
    log.info(
        "interest.decided",
        interest_id=interest_id,
        candidate_id=learner_id,
        status=fields["status"],
    )
    return learner_interest({**stored, **fields})


def record_guardian_acceptance(
    client: OpenSearch, settings: Settings, learner_id: str, interest_id: str
) -> LearnerInterest:
    """Mark that the guardian of a minor accepted; the contact is released then."""
    stored = _learners_interest(client, settings, learner_id, interest_id)
    if _state(stored) != InterestState.awaiting_guardian:
        raise InterestAlreadyAnswered(
            f"The request is {_state(stored).value}, not awaiting a guardian's "
            "acceptance. Record it after the learner has accepted."
        )
    fields = {"guardian_accepted_at": datetime.now(UTC).isoformat()}
    interest_store.update_interest(client, settings, interest_id, fields)
    log.info("interest.guardian_accepted", interest_id=interest_id)
    return learner_interest({**stored, **fields})


def learner_interests(
    client: OpenSearch, settings: Settings, learner_id: str
) -> list[LearnerInterest]:
    return [
        learner_interest(row)
        for row in interest_store.list_interests(client, settings, learner_id)
    ]
